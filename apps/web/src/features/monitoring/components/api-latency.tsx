import { useQuery } from '@tanstack/react-query';
import { Gauge } from 'lucide-react';
import type { ReactNode } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { monitoringQueries } from '../api/queries';
import { formatMs, orDash } from '../utils/format';
import { rangeSettings, type MonitoringRange } from '../utils/stats';
import { FiguresTable } from './figures-table';

const TITLE = 'API response times';

function Panel({ children }: { children: ReactNode }) {
  return <div className="rounded-xl bg-white ring-1 ring-slate-200">{children}</div>;
}

/**
 * p50 and p95 response time of each edge function over the range: how the API behaves for
 * everyone, measured in the functions from request to response.
 */
export function ApiLatency({ range }: { range: MonitoringRange }) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(monitoringQueries.apiLatency(organisation.id, range));

  let body: ReactNode;
  if (query.isPending) {
    body = (
      <div role="status" aria-label="Loading API response times">
        <Skeleton className="h-40" />
      </div>
    );
  } else if (query.isError) {
    body = (
      <Panel>
        <ErrorState
          title="Couldn't load the API response times"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
        />
      </Panel>
    );
  } else if (!query.data?.length) {
    body = (
      <Panel>
        <EmptyState
          icon={<Gauge className="size-6" aria-hidden />}
          title={query.data ? 'No API calls in this range' : 'Response times are not recorded here'}
          description={
            query.data
              ? 'Each function’s median and 95th-percentile response time shows here once it has been called.'
              : 'This database has no latency histograms yet: apply the latest migrations.'
          }
        />
      </Panel>
    );
  } else {
    body = (
      <FiguresTable
        title={`${TITLE} · ${rangeSettings[range].label.toLowerCase()}`}
        columns={['Function', 'p50', 'p95']}
        rows={query.data.map((row) => ({
          key: row.function_name,
          cells: [row.function_name, orDash(row.p50_ms, formatMs), orDash(row.p95_ms, formatMs)],
        }))}
      />
    );
  }

  return (
    <section aria-labelledby="api-latency-heading" className="space-y-2">
      <div>
        <h2 id="api-latency-heading" className="text-base font-semibold text-slate-900">
          {TITLE}
        </h2>
        <p className="text-sm text-slate-600">
          Per function, every caller’s requests: half answer within p50, 95 in 100 within p95
          (estimated from duration buckets).
        </p>
      </div>
      {body}
    </section>
  );
}
