import { useParams } from 'react-router';
import { JobDetails } from '@/features/jobs/components/job-details';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useJobLookups } from './use-job-lookups';

export function Component() {
  const { jobId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const { workflowName, memberName } = useJobLookups(organisation.id);
  return (
    <>
      <title>{`Job · ${organisation.name} · Forkflow`}</title>
      <JobDetails key={jobId} id={jobId} workflowName={workflowName} memberName={memberName} />
    </>
  );
}
