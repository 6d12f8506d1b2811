import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RotateCcw, Trash2, X } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast, useToastClearance } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import {
  countFinishedJobs,
  deleteFinishedJobs,
  deleteJobs,
  retryJobs,
  type BulkRetryReport,
} from '../api/bulk-jobs';
import { jobQueries, type JobListItem, type JobQuery } from '../api/queries';

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What a bulk retry did, in a sentence: how many retried, how many skipped and why. */
export function describeRetry(report: BulkRetryReport): string {
  const parts = [`${plural(report.retried, 'job')} re-queued`];
  if (report.notFailed > 0) parts.push(`${report.notFailed} skipped (not failed)`);
  if (report.refused.length > 0)
    parts.push(
      `${report.refused.length} refused (${[...new Set(report.refused.map((r) => r.message))].join('; ')})`,
    );
  return `${parts.join(', ')}.`;
}

type Props = {
  organisationId: string;
  /** The selected rows (of those on screen). */
  selected: JobListItem[];
  /** The list's filters: "Delete all finished matching these filters". */
  query: JobQuery;
  onClear: () => void;
};

/**
 * The Jobs list's bulk actions, in a bar that stays in view at the bottom of the list:
 * Retry selected (failed ones), Delete selected, Delete all finished matching the filters.
 * Deletes ask first, stating the count; the server decides what the caller may delete
 * (owners/admins any job of the organisation, members their own; finished only).
 */
export function JobsBulkBar({ organisationId, selected, query, onClear }: Props) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const toastClearance = useToastClearance();
  const [confirm, setConfirm] = useState<'selected' | 'matching' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: jobQueries.all(organisationId) });

  const failed = selected.filter((job) => job.status === 'failed');
  const finished = selected.filter((job) => FINISHED.has(job.status));

  const retry = useMutation({
    mutationFn: () => retryJobs(selected),
    onSuccess: (report) => {
      toast({
        tone: report.refused.length > 0 || report.retried === 0 ? 'error' : undefined,
        title: report.retried > 0 ? 'Jobs retried' : 'No job retried',
        description: describeRetry(report),
        duration: 8000,
      });
      onClear();
    },
    onSettled: refresh,
  });
  const removeSelected = useMutation({
    mutationFn: () => deleteJobs(finished.map((job) => job.id)),
    onSuccess: (deleted) => {
      setConfirm(null);
      const skipped = selected.length - deleted;
      toast({
        title: `${plural(deleted, 'job')} deleted`,
        description:
          skipped > 0 ? `${skipped} skipped: still running, or not yours to delete.` : undefined,
      });
      onClear();
    },
    onError: (error) => {
      setConfirm(null);
      toast({
        tone: 'error',
        title: "Couldn't delete the jobs",
        description: getErrorMessage(error),
      });
    },
    onSettled: refresh,
  });
  const matching = useQuery({
    // Outside the jobs keys: a delete's refresh would count again behind the closing dialog.
    // Stale at once, so each opening counts afresh.
    queryKey: ['orgs', organisationId, 'finished-jobs-count', query] as const,
    queryFn: () => countFinishedJobs(organisationId, query),
    enabled: confirm === 'matching',
  });
  const removeMatching = useMutation({
    mutationFn: () => deleteFinishedJobs(organisationId, query),
    onSuccess: (deleted) => {
      setConfirm(null);
      toast({ title: `${plural(deleted, 'finished job')} deleted` });
      onClear();
    },
    onError: (error) => {
      setConfirm(null);
      toast({
        tone: 'error',
        title: "Couldn't delete the jobs",
        description: getErrorMessage(error),
      });
    },
    onSettled: refresh,
  });

  const count = matching.data;
  return (
    <>
      <div
        ref={toastClearance}
        role="toolbar"
        aria-label="Bulk actions"
        className="sticky bottom-0 z-20 flex flex-wrap items-center gap-2 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-4px_12px_-8px_rgba(15,23,42,0.25)] backdrop-blur sm:px-5"
      >
        <p className="mr-auto text-sm text-slate-700" aria-live="polite">
          {selected.length > 0 ? `${plural(selected.length, 'job')} selected` : 'No job selected'}
        </p>
        {selected.length > 0 ? (
          <>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => retry.mutate()}
              isLoading={retry.isPending}
              disabled={failed.length === 0}
              title={failed.length === 0 ? 'None of the selected jobs failed' : undefined}
            >
              {retry.isPending ? null : <RotateCcw className="size-4" aria-hidden />}
              Retry selected
            </Button>
            <Button
              variant="secondary-danger"
              size="sm"
              onClick={() => setConfirm('selected')}
              disabled={finished.length === 0}
              title={finished.length === 0 ? 'Only finished jobs can be deleted' : undefined}
            >
              <Trash2 className="size-4" aria-hidden />
              Delete selected
            </Button>
            <Button variant="ghost" size="sm" onClick={onClear}>
              <X className="size-4" aria-hidden />
              Clear selection
            </Button>
          </>
        ) : null}
        <Button variant="secondary-danger" size="sm" onClick={() => setConfirm('matching')}>
          <Trash2 className="size-4" aria-hidden />
          Delete all finished matching these filters
        </Button>
      </div>

      <ConfirmDialog
        open={confirm === 'selected'}
        onOpenChange={(open) => setConfirm(open ? 'selected' : null)}
        title={`Delete ${plural(finished.length, 'job')}?`}
        description={
          <>
            {`${plural(finished.length, 'finished job')} and ${finished.length === 1 ? 'its' : 'their'} history will be deleted for good.`}
            {selected.length > finished.length
              ? ` ${plural(selected.length - finished.length, 'selected job')} still in the queue ${selected.length - finished.length === 1 ? 'is' : 'are'} left alone.`
              : ''}
          </>
        }
        confirmLabel={`Delete ${plural(finished.length, 'job')}`}
        cancelLabel="Keep them"
        isPending={removeSelected.isPending}
        onConfirm={() => removeSelected.mutate()}
      />
      <ConfirmDialog
        open={confirm === 'matching'}
        onOpenChange={(open) => setConfirm(open ? 'matching' : null)}
        title={
          count === undefined
            ? 'Delete the finished jobs matching these filters?'
            : `Delete all ${plural(count, 'finished job')} matching these filters?`
        }
        description={
          matching.isError
            ? `Couldn't count them: ${getErrorMessage(matching.error)}`
            : count === undefined
              ? 'Counting them…'
              : count === 0
                ? 'No finished job matches these filters: nothing to delete.'
                : `Every completed, failed or cancelled job the filters above select (not only those on screen) is deleted with its history, for good. Jobs still running are left alone.`
        }
        confirmLabel={count === undefined ? 'Delete' : `Delete ${plural(count, 'job')}`}
        cancelLabel="Keep them"
        isPending={removeMatching.isPending}
        onConfirm={() => {
          if (count) removeMatching.mutate();
          else setConfirm(null);
        }}
      />
    </>
  );
}
