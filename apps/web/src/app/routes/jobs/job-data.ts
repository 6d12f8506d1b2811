import { jobQueries } from '@/features/jobs/api/queries';
import { organisationQueries } from '@/features/organisations/api/queries';
import { workflowQueries } from '@/features/workflows/api/queries';
import type { RouteData } from '../../route-data';

/** A job, and the names of its workflow and of who started it. */
export const jobData: RouteData = ({ organisationId, params }) => [
  jobQueries.detail(organisationId, params.jobId ?? ''),
  workflowQueries.list(organisationId),
  organisationQueries.members(organisationId),
];
