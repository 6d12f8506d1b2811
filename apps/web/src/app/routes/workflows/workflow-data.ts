import { organisationQueries } from '@/features/organisations/api/queries';
import { workflowQueries } from '@/features/workflows/api/queries';
import type { RouteData } from '../../route-data';

/** A workflow, its versions and the members who made them. */
export const workflowData: RouteData = ({ organisationId, params }) => {
  const id = params.workflowId ?? '';
  return [
    workflowQueries.detail(organisationId, id),
    workflowQueries.versions(organisationId, id),
    organisationQueries.members(organisationId),
  ];
};
