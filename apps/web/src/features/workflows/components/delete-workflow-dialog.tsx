import { useQuery } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import {
  useDeleteWorkflow,
  workflowDeleteQueries,
  type DeletedWorkflow,
  type WorkflowDeletePreview,
} from '../api/delete-workflow';

type Props = {
  organisationId: string;
  workflowId: string;
  /** Shown in the title before the preview has loaded (the preview's name after). */
  name?: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** After the delete (a toast says what went): close, and leave a page about it. */
  onDeleted: (result: DeletedWorkflow) => void;
};

const count = new Intl.NumberFormat();
const plural = (n: number, one: string, many: string) =>
  `${count.format(n)} ${n === 1 ? one : many}`;

/** "This deletes 2 versions and 1,234 runs of job history." */
export function deletionSummary(
  preview: Pick<WorkflowDeletePreview, 'version_count' | 'job_count'>,
) {
  const versions = plural(preview.version_count, 'version', 'versions');
  const history =
    preview.job_count === 0
      ? 'it has no job history'
      : `${plural(preview.job_count, 'run', 'runs')} of job history`;
  return preview.job_count === 0
    ? `This deletes ${versions}; ${history}.`
    : `This deletes ${versions} and ${history}.`;
}

/**
 * Deleting a workflow for good (owners/admins), said plainly: the counts of what goes, why it
 * cannot go yet (jobs open, project sequences using it), and the key typed to confirm. The
 * typed key resets whenever the dialog closes.
 */
export function DeleteWorkflowDialog({
  organisationId,
  workflowId,
  name,
  open,
  onOpenChange,
  onDeleted,
}: Props) {
  const { toast } = useToast();
  const [typed, setTyped] = useState('');
  const formId = useId();
  const blockedId = useId();
  const preview = useQuery({
    ...workflowDeleteQueries.preview(organisationId, workflowId),
    enabled: open,
  });
  const remove = useDeleteWorkflow({
    organisationId,
    mutationConfig: {
      onSuccess: (result) => {
        setTyped('');
        toast({
          title: 'Workflow deleted',
          description: `${result.key}: ${plural(result.version_count, 'version', 'versions')} and ${plural(result.job_count, 'job', 'jobs')} removed.`,
        });
        onDeleted(result);
      },
      // A job may have started, or a sequence taken it up, since the preview: show today's.
      onError: () => void preview.refetch(),
    },
  });

  const close = (next: boolean) => {
    if (next) return onOpenChange(true);
    if (remove.isPending) return;
    setTyped('');
    remove.reset();
    onOpenChange(false);
  };

  const data = preview.data;
  const busy = (data?.active_job_count ?? 0) > 0;
  const inUse = (data?.used_by.length ?? 0) > 0;
  const blocked = busy || inUse;
  const matches = data !== undefined && typed === data.key;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!data || blocked || !matches || remove.isPending) return;
    remove.mutate({ organisationId, id: workflowId, confirmKey: typed });
  };

  const title = `Delete ${data?.name ?? name ?? 'this workflow'} permanently?`;

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={title}
      role="alertdialog"
      footer={
        <>
          <Button variant="secondary" onClick={() => close(false)} autoFocus>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="danger"
            disabled={!data || blocked || !matches}
            isLoading={remove.isPending}
            aria-describedby={blocked ? blockedId : undefined}
          >
            Delete permanently
          </Button>
        </>
      }
    >
      {preview.isPending ? (
        <div role="status" aria-label="Counting what will be deleted" className="space-y-2">
          <Skeleton className="h-4 w-64 max-w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : preview.isError ? (
        <ErrorState
          title="Couldn't check what would be deleted"
          message={getErrorMessage(preview.error)}
          onRetry={() => void preview.refetch()}
          isRetrying={preview.isFetching}
          className="py-4"
        />
      ) : data ? (
        <form id={formId} onSubmit={submit} className="space-y-4 text-sm text-slate-700">
          <p>
            <strong className="font-semibold text-slate-900">{deletionSummary(data)}</strong> The
            workflow, its versions and its jobs with their timelines are removed for good; this
            can't be undone. Archiving keeps everything and only stops new runs.
          </p>
          {data.trashed ? (
            <p>It is in the trash: this deletes it now instead of after 30 days.</p>
          ) : null}

          {blocked ? (
            <div
              id={blockedId}
              role="alert"
              className="space-y-2 rounded-lg bg-amber-50 px-3 py-2.5 text-amber-900"
            >
              {busy ? (
                <p className="flex gap-2">
                  <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                  <span>
                    It can't be deleted while {plural(data.active_job_count, 'job is', 'jobs are')}{' '}
                    waiting or running:{' '}
                    <Link
                      className="font-medium underline"
                      to={paths.app.jobs.getHref(
                        new URLSearchParams({ workflow: workflowId }).toString(),
                      )}
                    >
                      cancel them in Jobs
                    </Link>{' '}
                    or let them finish.
                  </span>
                </p>
              ) : null}
              {inUse ? (
                <div className="flex gap-2">
                  <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                  <div>
                    <p>
                      It can't be deleted while project sequences run it. Remove it from them first:
                    </p>
                    <ul aria-label="Sequences using it" className="mt-1 list-disc pl-5">
                      {data.used_by.map((use) => (
                        <li key={use.flow_sequence_id}>
                          <Link
                            className="font-medium underline"
                            to={paths.app.flowSequence.getHref(
                              use.project_id,
                              use.flow_sequence_id,
                            )}
                          >
                            {use.project_name} › {use.flow_sequence_name}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </div>
                </div>
              ) : null}
            </div>
          ) : null}

          <Field label={`Type ${data.key} to confirm`} hint="The workflow's key, exactly as shown.">
            {(control) => (
              <Input
                {...control}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                disabled={blocked || remove.isPending}
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                className="font-mono"
              />
            )}
          </Field>

          {remove.isError ? (
            <p role="alert" className="text-red-700">
              {getErrorMessage(remove.error)}
            </p>
          ) : null}
        </form>
      ) : null}
    </Dialog>
  );
}
