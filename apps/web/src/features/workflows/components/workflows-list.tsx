import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, GitBranch, SearchX } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useNow } from '@/hooks/use-now';
import type { FiltersPatch } from '@/hooks/use-url-filters';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { WorkflowMeta } from './workflow-meta';
import {
  WORKFLOWS_PAGE_SIZE,
  workflowQueries,
  type WorkflowFilters,
  type WorkflowPageItem,
} from '../api/queries';

type Props = {
  filters: WorkflowFilters;
  setFilters: (patch: FiltersPatch<WorkflowFilters>, options?: { replace?: boolean }) => void;
  /** Owners and admins may create workflows. */
  canCreate: boolean;
  /** A job status as a badge (the jobs feature's; the app passes it in). */
  renderRunStatus: (status: string) => ReactNode;
};

export function WorkflowStatusBadge({ status }: { status: string }) {
  return status === 'archived' ? (
    <Badge tone="slate">Archived</Badge>
  ) : (
    <Badge tone="emerald" dot>
      Active
    </Badge>
  );
}

/** A page of workflows, searched, filtered and sorted on the server; the page is in the URL. */
export function WorkflowsList({ filters, setFilters, canCreate, renderRunStatus }: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(workflowQueries.page(organisation.id, filters));
  const data = query.data;

  // A page past the end (after deletes, or an old link): go to the last real page.
  useEffect(() => {
    if (!data || query.isPlaceholderData || filters.page === 1) return;
    if (data.rows.length === 0) {
      const lastPage = data.total > 0 ? data.pageCount : 1;
      if (lastPage !== filters.page) setFilters({ page: lastPage }, { replace: true });
    }
  }, [data, filters.page, query.isPlaceholderData, setFilters]);

  if (query.isPending) return <WorkflowsListSkeleton />;
  if (!data) {
    return (
      <ErrorState
        title="Couldn't load workflows"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }

  if (data.rows.length === 0) {
    // The default view (active) with nothing typed is "none yet", not "no match": the
    // archived ones, if any, are one select away and said so.
    const filtered = filters.q !== '' || filters.status === 'archived';
    // Past the last page: the effect above moves to it; nothing to say meanwhile.
    if (filters.page > 1) return <WorkflowsListSkeleton />;
    return filtered ? (
      <EmptyState
        icon={<SearchX className="size-6" aria-hidden />}
        title="No workflows match"
        description={
          filters.q
            ? `Nothing matches “${filters.q}”${filters.status === 'all' ? '' : ` among ${filters.status} workflows`}.`
            : `There are no ${filters.status} workflows.`
        }
        action={
          <Button variant="secondary" onClick={() => setFilters({ q: '', status: 'all' })}>
            Show all workflows
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<GitBranch className="size-6" aria-hidden />}
        title={filters.status === 'all' ? 'No workflows yet' : 'No active workflows'}
        description={`${
          canCreate
            ? 'A workflow is a series of steps, each running a transformer (echo, transcription, HTTP). Start from the example.'
            : 'An owner or admin of the organisation creates workflows; you can run them here once they exist.'
        }${filters.status === 'all' ? '' : ' Archived workflows are under “All statuses”.'}`}
        action={
          canCreate ? (
            <ButtonLink to={paths.app.newWorkflow.getHref()} variant="primary">
              New workflow
            </ButtonLink>
          ) : undefined
        }
      />
    );
  }

  const first = (data.page - 1) * WORKFLOWS_PAGE_SIZE + 1;
  const last = first + data.rows.length - 1;
  return (
    <div aria-busy={query.isFetching || undefined}>
      <ul aria-label="Workflows" className="divide-y divide-slate-100">
        {data.rows.map((workflow) => (
          <li
            key={workflow.id}
            className="relative flex flex-col gap-2 px-4 py-4 hover:bg-slate-50/60 sm:flex-row sm:items-center sm:gap-6 sm:px-5"
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Link
                  to={paths.app.workflow.getHref(workflow.id)}
                  title={workflow.name}
                  // The whole row opens the workflow, as a job's row does on the Jobs page.
                  className="min-w-0 font-medium break-words text-slate-900 after:absolute sm:truncate after:inset-0 hover:text-brand-700 focus-visible:underline focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-brand-600 focus-visible:after:ring-inset"
                >
                  {workflow.name}
                </Link>
                <WorkflowStatusBadge status={workflow.status} />
              </div>
              <WorkflowMeta workflow={workflow} className="mt-1 text-xs text-slate-500" />
              {workflow.description ? (
                <p className="mt-1 line-clamp-2 text-sm text-slate-600">{workflow.description}</p>
              ) : null}
            </div>
            <LastRun run={workflow.last_run} renderRunStatus={renderRunStatus} />
          </li>
        ))}
      </ul>
      {data.pageCount > 1 || filters.page > 1 ? (
        <nav
          aria-label="Pagination"
          className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm sm:px-5"
        >
          <p className="text-slate-600" aria-live="polite">
            <span className="font-medium text-slate-900">{first}</span>–
            <span className="font-medium text-slate-900">{last}</span> of{' '}
            <span className="font-medium text-slate-900">{data.total}</span>
          </p>
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="sm"
              disabled={data.page <= 1}
              onClick={() => setFilters({ page: data.page - 1 })}
            >
              <ChevronLeft className="size-4" aria-hidden />
              Previous
            </Button>
            <Button
              variant="secondary"
              size="sm"
              disabled={data.page >= data.pageCount}
              onClick={() => setFilters({ page: data.page + 1 })}
            >
              Next
              <ChevronRight className="size-4" aria-hidden />
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}

/**
 * The newest run the user may open (admins: anyone's; members: their own), linked to its job.
 * The link sits above the row's stretched link, so it opens the job, not the workflow.
 */
function LastRun({
  run,
  renderRunStatus,
}: {
  run: WorkflowPageItem['last_run'];
  renderRunStatus: (status: string) => ReactNode;
}) {
  const now = useNow(30_000).getTime();
  if (!run) return <p className="shrink-0 text-xs text-slate-500">Never run</p>;
  return (
    <Link
      to={paths.app.job.getHref(run.job_id)}
      aria-label={`Last run: ${run.status.replace('_', ' ')}, ${formatRelative(run.at, now)}`}
      className="relative z-10 flex shrink-0 items-center gap-2 rounded-md text-xs text-slate-600 hover:text-brand-700 focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:outline-none"
    >
      {renderRunStatus(run.status)}
      <time dateTime={run.at} title={formatDateTime(run.at)}>
        {formatRelative(run.at, now)}
      </time>
    </Link>
  );
}

export function WorkflowsListSkeleton() {
  return (
    <div role="status" aria-label="Loading workflows" className="divide-y divide-slate-100">
      {Array.from({ length: 4 }, (_, index) => (
        <div key={index} className="space-y-2 px-5 py-5">
          <Skeleton className="h-4 w-56 max-w-full" />
          <Skeleton className="h-3 w-72 max-w-full" />
        </div>
      ))}
    </div>
  );
}
