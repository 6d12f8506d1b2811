import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { BackLink, LoadFailure } from '@/components/ui/page-states';
import { EmptyState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { workflowQueries, type Workflow } from '@/features/workflows/api/queries';
import {
  describeSaveWorkflowError,
  emptyWorkflowFormValues,
  toWorkflowFormValues,
  useSaveWorkflow,
} from '@/features/workflows/api/save-workflow';
import { WorkflowForm } from '@/features/workflows/components/workflow-form';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

// /workflows/new and /workflows/:workflowId/edit.
export function Component() {
  const { workflowId } = useParams();
  const organisation = useCurrentOrganisation();
  const workflow = useQuery({
    ...workflowQueries.detail(organisation.id, workflowId ?? ''),
    enabled: Boolean(workflowId),
  });
  const title = workflowId ? 'Edit workflow' : 'New workflow';
  const backHref = workflowId
    ? paths.app.workflow.getHref(workflowId)
    : paths.app.workflows.getHref();

  const header = (
    <header className="space-y-3">
      <BackLink to={backHref}>
        {workflowId ? (workflow.data?.name ?? 'Workflow') : 'Workflows'}
      </BackLink>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
    </header>
  );

  const page = (body: ReactNode) => (
    <div className="space-y-6">
      <title>{`${title} · ${organisation.name} · Forkflow`}</title>
      {header}
      {body}
    </div>
  );

  if (!canManageWorkflows(organisation.role)) {
    return page(
      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <EmptyState
          title="Only owners and admins edit workflows"
          description="You can still run workflows and follow their jobs."
        />
      </div>,
    );
  }

  if (workflowId && workflow.isError && !workflow.data) {
    return page(
      <LoadFailure
        query={workflow}
        notFoundTitle="Workflow not found"
        errorTitle="Couldn't load this workflow"
      />,
    );
  }

  if (workflowId && !workflow.data) {
    return page(
      <div role="status" aria-label="Loading workflow" className="grid gap-6 lg:grid-cols-3">
        <Skeleton className="h-96 lg:col-span-2" />
        <Skeleton className="h-64" />
      </div>,
    );
  }

  return page(
    <EditorBody
      // A reload after a conflict remounts the form with the latest version.
      key={workflow.data ? `${workflow.data.id}@${workflow.data.version}` : 'new'}
      workflow={workflow.data ?? null}
      backHref={backHref}
      onReloadLatest={() => void workflow.refetch()}
    />,
  );
}

function EditorBody({
  workflow,
  backHref,
  onReloadLatest,
}: {
  workflow: Workflow | null;
  backHref: string;
  onReloadLatest: () => void;
}) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const transformers = useQuery(workflowQueries.transformers(organisation.id));
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  const [defaultValues] = useState(() =>
    workflow ? toWorkflowFormValues(workflow) : emptyWorkflowFormValues,
  );
  const save = useSaveWorkflow({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (saved) => {
        toast({
          title: workflow ? 'Workflow saved' : 'Workflow created',
          description: `${saved.name} · version ${saved.version}`,
        });
        guard.allowNextNavigation();
        navigate(paths.app.workflow.getHref(saved.id));
      },
    },
  });

  return (
    <>
      <WorkflowForm
        defaultValues={defaultValues}
        isNew={!workflow}
        transformers={transformers.data}
        submitLabel={workflow ? 'Save workflow' : 'Create workflow'}
        isPending={save.isPending}
        serverProblem={save.error ? describeSaveWorkflowError(save.error) : null}
        onDirtyChange={setDirty}
        onCancel={() => navigate(backHref)}
        onReloadLatest={onReloadLatest}
        onSubmit={(data) =>
          save.mutate({
            organisationId: organisation.id,
            workflowId: workflow?.id,
            expectedVersion: workflow?.version,
            data,
          })
        }
      />
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this workflow haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </>
  );
}
