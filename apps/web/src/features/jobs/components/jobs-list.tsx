import { useInfiniteQuery } from '@tanstack/react-query';
import { ListChecks, SearchX } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useNow } from '@/hooks/use-now';
import { getErrorMessage } from '@/lib/errors';
import { formatTimeInZone } from '@/lib/format-in-zone';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { isActiveJobStatus } from '@forkflow/domain/jobs';
import { jobQueries, jobStatusLabels, type JobListItem, type JobQuery } from '../api/queries';
import { formatDuration, jobDurationMs, shortId } from '../utils/format';
import { JobStatusBadge } from './job-status-badge';
import { JobsBulkBar } from './jobs-bulk-bar';

type Props = {
  query: JobQuery;
  hasFilters: boolean;
  onClearFilters: () => void;
  workflowName: (id: string) => string | undefined;
  memberName: (id: string) => string | undefined;
  /** Show who started each job (when listing everyone's). */
  showOwner: boolean;
  /**
   * What started a job when it was not started by hand (a trigger, a sequence step, a flow
   * run): the route renders it, shown whatever showOwner says.
   */
  renderStartedBy?: ((job: JobListItem) => ReactNode) | undefined;
};

/** While any job on screen may still change, poll every second (the engine is fast). */
export const ACTIVE_REFRESH_MS = 1_000;

export function JobsList({
  query,
  hasFilters,
  onClearFilters,
  workflowName,
  memberName,
  showOwner,
  renderStartedBy,
}: Props) {
  const organisation = useCurrentOrganisation();
  const now = useNow(30_000).getTime();
  const listRef = useRef<HTMLUListElement>(null);
  // Selected job ids for the bulk actions; rows no longer listed (filters changed, deleted)
  // simply stop counting.
  const [selection, setSelection] = useState<ReadonlySet<string>>(() => new Set());
  const jobs = useInfiniteQuery({
    ...jobQueries.list(organisation.id, query),
    refetchInterval: (current) =>
      current.state.data?.pages.some((page) => page.some((job) => isActiveJobStatus(job.status)))
        ? ACTIVE_REFRESH_MS
        : false,
  });

  // After "Load more", focus goes to the first job just loaded: keyboard and screen-reader
  // users carry on from there instead of falling to the top of the page when the button
  // goes away after the last page.
  const focusFrom = useRef<number | null>(null);
  const loaded = jobs.data?.pages.reduce((total, page) => total + page.length, 0) ?? 0;
  useEffect(() => {
    const index = focusFrom.current;
    if (index === null || jobs.isFetchingNextPage) return;
    focusFrom.current = null;
    const links = listRef.current?.querySelectorAll<HTMLAnchorElement>('a[data-job-link]');
    // An empty last page: the button is gone, so the last job takes focus instead.
    (links?.[index] ?? (jobs.hasNextPage ? undefined : links?.[links.length - 1]))?.focus();
  }, [loaded, jobs.isFetchingNextPage, jobs.hasNextPage]);
  const loadMore = () => {
    focusFrom.current = loaded;
    void jobs.fetchNextPage();
  };

  if (jobs.isPending) return <JobsListSkeleton />;
  if (!jobs.data) {
    return (
      <ErrorState
        title="Couldn't load jobs"
        message={getErrorMessage(jobs.error)}
        onRetry={() => void jobs.refetch()}
        isRetrying={jobs.isFetching}
      />
    );
  }

  const rows = jobs.data.pages.flat();
  const selected = rows.filter((job) => selection.has(job.id));
  const allSelected = rows.length > 0 && selected.length === rows.length;
  const toggle = (id: string) =>
    setSelection((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelection(allSelected ? new Set() : new Set(rows.map((job) => job.id)));
  if (rows.length === 0) {
    return hasFilters ? (
      <EmptyState
        icon={<SearchX className="size-6" aria-hidden />}
        title="No jobs match these filters"
        action={
          <Button variant="secondary" onClick={onClearFilters}>
            Reset filters
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<ListChecks className="size-6" aria-hidden />}
        title="No jobs yet"
        description="Run a workflow from its page: each run is a job, listed here with its status."
        action={
          <Link
            to={paths.app.workflows.getHref()}
            className="text-sm font-medium text-brand-700 hover:underline"
          >
            Go to workflows
          </Link>
        }
      />
    );
  }

  return (
    <div aria-busy={jobs.isFetching || undefined}>
      <div className="flex items-center gap-3 border-b border-slate-100 px-4 py-2 sm:px-5">
        <input
          // "Some selected" is a property, not an attribute: set on the element itself.
          ref={(element) => {
            if (element) element.indeterminate = selected.length > 0 && !allSelected;
          }}
          type="checkbox"
          id="jobs-select-all"
          className="size-4 rounded border-slate-300 text-brand-600 focus-visible:ring-2 focus-visible:ring-brand-600"
          checked={allSelected}
          onChange={toggleAll}
        />
        <label htmlFor="jobs-select-all" className="text-xs font-medium text-slate-600">
          {`Select all ${rows.length} shown`}
        </label>
      </div>
      <ul ref={listRef} aria-label="Jobs" className="divide-y divide-slate-100">
        {rows.map((job) => {
          const name = workflowName(job.workflow_id) ?? 'Workflow';
          const duration = jobDurationMs(job);
          const status = jobStatusLabels[job.status as keyof typeof jobStatusLabels] ?? job.status;
          return (
            <li
              key={job.id}
              className="relative flex flex-col gap-1.5 px-4 py-3 hover:bg-slate-50/60 sm:flex-row sm:items-center sm:gap-4 sm:px-5"
            >
              {/* Above the row link's overlay (z-10), so a click selects rather than opens. */}
              <input
                type="checkbox"
                aria-label={`Select ${name} job ${shortId(job.id)}`}
                className="relative z-10 size-4 shrink-0 rounded border-slate-300 text-brand-600 focus-visible:ring-2 focus-visible:ring-brand-600"
                checked={selection.has(job.id)}
                onChange={() => toggle(job.id)}
              />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <Link
                    to={paths.app.job.getHref(job.id)}
                    data-job-link
                    className="min-w-0 font-medium break-words text-slate-900 after:absolute sm:truncate after:inset-0 hover:text-brand-700 focus-visible:underline focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-brand-600 focus-visible:after:ring-inset"
                  >
                    {name}
                    <span className="sr-only">
                      {` job ${shortId(job.id)}, ${status}, created ${formatDateTime(job.created_at)}`}
                    </span>
                  </Link>
                  <span className="font-mono text-xs text-slate-400" aria-hidden>
                    {shortId(job.id)}
                  </span>
                </div>
                <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-500">
                  <span>v{job.workflow_version}</span>
                  <span aria-hidden>·</span>
                  <time dateTime={job.created_at} title={formatDateTime(job.created_at)}>
                    {formatRelative(job.created_at, now)}
                  </time>
                  {duration !== null ? (
                    <>
                      <span aria-hidden>·</span>
                      <span>{formatDuration(duration)}</span>
                    </>
                  ) : null}
                  {job.retry_count > 0 ? (
                    <>
                      <span aria-hidden>·</span>
                      <span>
                        {job.retry_count} {job.retry_count === 1 ? 'retry' : 'retries'}
                      </span>
                    </>
                  ) : null}
                  {renderStartedBy &&
                  (job.trigger_id || job.sequence_task_id || job.flow_run_flow_id) ? (
                    <>
                      <span aria-hidden>·</span>
                      {renderStartedBy(job)}
                    </>
                  ) : showOwner ? (
                    <>
                      <span aria-hidden>·</span>
                      <span>{memberName(job.user_id) ?? 'A former member'}</span>
                    </>
                  ) : null}
                </p>
                {job.status === 'awaiting_retry' && job.next_retry_at ? (
                  <p className="mt-0.5 text-xs text-amber-800">
                    Retry {job.retry_count} of {job.max_retries} at{' '}
                    <time dateTime={job.next_retry_at}>
                      {formatTimeInZone(new Date(job.next_retry_at))}
                    </time>
                  </p>
                ) : null}
                {job.error_message && job.status !== 'completed' ? (
                  <p className="mt-0.5 line-clamp-1 text-xs text-red-700">{job.error_message}</p>
                ) : null}
              </div>
              <div className="shrink-0">
                <JobStatusBadge status={job.status} />
              </div>
            </li>
          );
        })}
      </ul>
      {jobs.hasNextPage ? (
        <div className="border-t border-slate-100 p-3 text-center">
          <Button variant="secondary" onClick={loadMore} isLoading={jobs.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      ) : null}
      <JobsBulkBar
        organisationId={organisation.id}
        selected={selected}
        query={query}
        onClear={() => setSelection(new Set())}
      />
    </div>
  );
}

export function JobsListSkeleton() {
  return (
    <div role="status" aria-label="Loading jobs" className="divide-y divide-slate-100">
      {Array.from({ length: 6 }, (_, index) => (
        <div key={index} className="flex items-center gap-4 px-5 py-4">
          <div className="flex-1 space-y-2">
            <Skeleton className="h-4 w-48 max-w-full" />
            <Skeleton className="h-3 w-64 max-w-full" />
          </div>
          <Skeleton className="h-5 w-20 rounded-full" />
        </div>
      ))}
    </div>
  );
}
