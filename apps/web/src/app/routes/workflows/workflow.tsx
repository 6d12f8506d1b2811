import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { jobQueries } from '@/features/jobs/api/queries';
import { organisationQueries } from '@/features/organisations/api/queries';
import { WorkflowTriggers } from '@/features/workflow-triggers/components/workflow-triggers';
import { workflowQueries, type Workflow } from '@/features/workflows/api/queries';
import { RunWorkflowDialog } from '@/features/workflows/components/run-workflow-dialog';
import { WorkflowDetails } from '@/features/workflows/components/workflow-details';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

export function Component() {
  const { workflowId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const members = useQuery(organisationQueries.members(organisation.id));
  const memberNames = useMemo(
    () => new Map((members.data ?? []).map((member) => [member.userId, member.fullName])),
    [members.data],
  );
  const [running, setRunning] = useState<Workflow | null>(null);
  // The details load the workflow; the triggers wait for it (same query) so a missing
  // workflow shows one "not found", not a second empty section.
  const workflow = useQuery(workflowQueries.detail(organisation.id, workflowId));

  return (
    <>
      <title>{`Workflow · ${organisation.name} · Forkflow`}</title>
      <WorkflowDetails
        key={workflowId}
        id={workflowId}
        canManage={canManageWorkflows(organisation.role)}
        memberNames={memberNames}
        onRun={setRunning}
      />
      {workflow.data ? (
        <div className="mt-6">
          <WorkflowTriggers
            key={workflowId}
            workflowId={workflowId}
            canManage={canManageWorkflows(organisation.role)}
            archived={workflow.data.status === 'archived'}
          />
        </div>
      ) : null}
      <RunWorkflowDialog
        workflow={running}
        onOpenChange={(open) => (open ? undefined : setRunning(null))}
        onStarted={(job) => {
          void queryClient.invalidateQueries({ queryKey: jobQueries.all(organisation.id) });
          toast({ title: 'Job started', description: running?.name });
          setRunning(null);
          navigate(paths.app.job.getHref(job.job_id));
        }}
      />
    </>
  );
}
