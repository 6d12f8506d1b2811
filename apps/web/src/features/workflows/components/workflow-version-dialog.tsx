import { RotateCcw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { Workflow, WorkflowVersion } from '../api/queries';
import {
  describeSaveWorkflowError,
  toWorkflowFormValues,
  useSaveWorkflow,
} from '../api/save-workflow';
import { prettyDefinition } from '../utils/analyse-definition';
import { policyRows } from '../utils/retry-policy';

type Props = {
  workflow: Workflow;
  /** The version shown, or null when the dialog is closed. */
  version: WorkflowVersion | null;
  onClose: () => void;
  canManage: boolean;
};

/**
 * One saved version's definition and retry policy. A manager can make an older version the
 * current one: it is saved again as the next version (history is never rewritten), through
 * save-workflow, so it is validated as any edit is and refused if someone saved meanwhile.
 */
export function WorkflowVersionDialog({ workflow, version, onClose, canManage }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const save = useSaveWorkflow({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (saved) => {
        onClose();
        toast({
          title: `Version ${version?.version ?? ''} restored`,
          description: `${saved.name} is now at version ${saved.version}; jobs started from now on use it.`,
        });
      },
      onError: (error) => {
        const problem = describeSaveWorkflowError(error);
        toast({
          tone: 'error',
          title: problem.conflict ? problem.title : "Couldn't restore this version",
          description: problem.messages.join(' '),
          duration: 10_000,
        });
      },
    },
  });

  const restorable = canManage && version !== null && version.version !== workflow.version;
  const restore = () => {
    if (!version) return;
    save.mutate({
      organisationId: organisation.id,
      workflowId: workflow.id,
      expectedVersion: workflow.version,
      restoredFrom: version.version,
      data: {
        ...toWorkflowFormValues({
          ...workflow,
          definition: version.definition,
          retry_policy: version.retry_policy,
        }),
        change_description: `Restored version ${version.version}`,
      },
    });
  };

  return (
    <Dialog
      open={version !== null}
      onOpenChange={(open) => (open || save.isPending ? undefined : onClose())}
      title={version ? `${workflow.name} · version ${version.version}` : 'Version'}
      description={version?.change_description ?? undefined}
      size="lg"
      footer={
        restorable ? (
          <>
            <Button variant="secondary" onClick={onClose} disabled={save.isPending}>
              Close
            </Button>
            <Button onClick={restore} isLoading={save.isPending}>
              {save.isPending ? null : <RotateCcw className="size-4" aria-hidden />}
              Restore as version {workflow.version + 1}
            </Button>
          </>
        ) : undefined
      }
    >
      {version ? (
        <div className="space-y-4">
          <pre
            tabIndex={0}
            aria-label={`Definition of version ${version.version}`}
            className="max-h-[50dvh] overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-[13px] leading-5 text-slate-800 ring-1 ring-slate-200"
          >
            {prettyDefinition(version.definition)}
          </pre>
          <p className="text-xs text-slate-500">
            Retry policy:{' '}
            {policyRows(version.retry_policy)
              .map(([label, value]) => `${label.toLowerCase()} ${value}`)
              .join(' · ')}
          </p>
          {restorable ? (
            <p className="text-sm text-slate-600">
              Restoring saves this definition and retry policy as version {workflow.version + 1}.
              Every version stays in the history, and jobs already running keep the version they
              started on.
            </p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
