import { organisationQueries } from '@/features/organisations/api/queries';
import { triggerQueries } from '@/features/workflow-triggers/api/queries';
import { workflowQueries } from '@/features/workflows/api/queries';
import type { RouteData } from '../../route-data';

/** A workflow, its versions, the members who made them and its triggers. */
export const workflowData: RouteData = ({ organisationId, params }) => {
  const id = params.workflowId ?? '';
  return [
    workflowQueries.detail(organisationId, id),
    workflowQueries.versions(organisationId, id),
    organisationQueries.members(organisationId),
    triggerQueries.list(organisationId, id),
  ];
};
