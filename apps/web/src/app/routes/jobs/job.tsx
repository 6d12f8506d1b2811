import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { jobQueries, type Job } from '@/features/jobs/api/queries';
import { JobDetails } from '@/features/jobs/components/job-details';
import { workflowQueries } from '@/features/workflows/api/queries';
import { JobStartedBy } from '@/features/workflow-triggers/components/job-started-by';
import { RunWorkflowDialog } from '@/features/workflows/components/run-workflow-dialog';
import { getErrorMessage } from '@/lib/errors';
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
        renderRerun={({ job, onClose }) => <RerunDialog job={job} onClose={onClose} />}
        renderStartedBy={(job) => <JobStartedBy job={job} memberName={memberName} />}
      />
    </>
  );
}

/**
 * "Re-run with edited input" (issue 12 §9): the Run dialog of the job's workflow (its
 * current version), prefilled with the job's input; the new job records it as rerun_of.
 */
function RerunDialog({ job, onClose }: { job: Job; onClose: () => void }) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const workflow = useQuery(workflowQueries.detail(organisation.id, job.workflow_id));
  const failure = workflow.error;
  useEffect(() => {
    if (!failure) return;
    toast({
      tone: 'error',
      title: "Couldn't open the workflow to re-run",
      description: getErrorMessage(failure),
    });
    onClose();
  }, [failure, toast, onClose]);
  return (
    <RunWorkflowDialog
      workflow={workflow.data ?? null}
      title={workflow.data ? `Re-run ${workflow.data.name}` : undefined}
      initialInput={job.input_data as Record<string, unknown>}
      rerunOf={job.id}
      onOpenChange={(open) => (open ? undefined : onClose())}
      onStarted={(started) => {
        void queryClient.invalidateQueries({ queryKey: jobQueries.all(organisation.id) });
        toast({ title: 'Job started', description: 'A re-run with the input you gave.' });
        onClose();
        navigate(paths.app.job.getHref(started.job_id));
      }}
    />
  );
}
