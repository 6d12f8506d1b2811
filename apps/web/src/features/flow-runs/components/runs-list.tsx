import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useNow } from '@/hooks/use-now';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { flowRunQueries, RUN_REFRESH_MS, RUNS_PAGE_SIZE } from '../api/queries';
import { formatDuration, runDurationMs } from '../utils/run-format';
import { RunStatusBadge } from './run-status-badge';

/** The sequence's runs, newest first, a page at a time; refreshed while one is running. */
export function RunsList({
  sequenceId,
  memberName,
}: {
  sequenceId: string;
  memberName: (userId: string) => string | undefined;
}) {
  const organisation = useCurrentOrganisation();
  const [page, setPage] = useState(0);
  const now = useNow(1_000).getTime();
  const query = useQuery({
    ...flowRunQueries.list(organisation.id, sequenceId, page),
    refetchInterval: (current) =>
      current.state.data?.rows.some((row) => row.status === 'running') ? RUN_REFRESH_MS * 2 : false,
  });
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / RUNS_PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby="runs-title" className="space-y-3">
      <h2 id="runs-title" className="text-base font-semibold text-slate-900">
        Runs
      </h2>
      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        {query.isPending ? (
          <div role="status" aria-label="Loading runs" className="space-y-2 p-4">
            <Skeleton className="h-6" />
            <Skeleton className="h-6" />
          </div>
        ) : query.isError ? (
          <ErrorState
            title="Couldn't load the runs"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
          />
        ) : query.data.rows.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-slate-600">
            Not run yet. Save the sequence, then Run or Debug run.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">Runs of this sequence, newest first</caption>
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Mode
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Environment
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Duration
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Run by
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Started
                  </th>
                </tr>
              </thead>
              <tbody>
                {query.data.rows.map((row) => (
                  <tr key={row.id} className="border-t border-slate-100">
                    <td className="px-4 py-2">
                      <Link
                        to={paths.app.flowRun.getHref(row.id)}
                        className="rounded focus-visible:outline-2 focus-visible:outline-brand-600"
                        aria-label={`Run started ${formatDateTime(row.started_at)}, ${row.status}`}
                      >
                        <RunStatusBadge status={row.status} />
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-slate-700">
                      {row.mode === 'debug' ? 'Debug' : 'Normal'}
                    </td>
                    <td className="px-4 py-2 text-slate-700">{row.environment_name ?? '—'}</td>
                    <td className="px-4 py-2 text-slate-700 tabular-nums">
                      {formatDuration(runDurationMs(row, now))}
                    </td>
                    <td className="px-4 py-2 text-slate-700">
                      {row.created_by ? (memberName(row.created_by) ?? 'A former member') : '—'}
                    </td>
                    <td className="px-4 py-2 text-slate-700">
                      <time dateTime={row.started_at} title={formatDateTime(row.started_at)}>
                        {formatRelative(row.started_at, now)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {query.data && pages > 1 ? (
          <nav
            aria-label="Pages of runs"
            className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm"
          >
            <Button
              variant="ghost"
              size="sm"
              disabled={page === 0}
              onClick={() => setPage(page - 1)}
            >
              Newer
            </Button>
            <span className="text-slate-600">
              Page {page + 1} of {pages}
            </span>
            <Button
              variant="ghost"
              size="sm"
              disabled={page + 1 >= pages}
              onClick={() => setPage(page + 1)}
            >
              Older
            </Button>
          </nav>
        ) : null}
      </div>
    </section>
  );
}
