import { useParams } from 'react-router';
import { JobDetails } from '@/features/jobs/components/job-details';
import { LazyJobCanvas } from '@/features/workflows/components/canvas/lazy-canvas';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useJobLookups } from './use-job-lookups';

export function Component() {
  const { jobId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const { workflowName, memberName } = useJobLookups(organisation.id);
  return (
    <>
      <title>{`Job · ${organisation.name} · Forkflow`}</title>
      <JobDetails
        key={jobId}
        id={jobId}
        workflowName={workflowName}
        memberName={memberName}
        renderCanvas={({ job, events }) => (
          <LazyJobCanvas
            organisationId={organisation.id}
            workflowId={job.workflow_id}
            workflowVersion={job.workflow_version}
            status={job.status}
            currentStepId={job.current_step_id}
            events={events}
          />
        )}
      />
    </>
  );
}
