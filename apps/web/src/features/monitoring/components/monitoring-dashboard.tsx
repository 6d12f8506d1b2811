import { useQuery } from '@tanstack/react-query';
import { Activity } from 'lucide-react';
import { useId } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { Select } from '@/components/ui/form-field';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { APP_LOCALE, getDisplayTimeZone } from '@/lib/format-in-zone';
import { useCurrentOrganisation } from '@/lib/organisation';
import { monitoringQueries } from '../api/queries';
import { count, formatMs, percent } from '../utils/format';
import { rangeSettings, type MonitoringRange, type StatsBucket } from '../utils/stats';
import { ApiLatency } from './api-latency';
import { HealthTables } from './health-tables';
import { RangeSelector } from './range-selector';
import { StatTile } from './stat-tile';
import { TimeSeriesChart } from './time-series-chart';

type Props = {
  range: MonitoringRange;
  onRangeChange: (range: MonitoringRange) => void;
  /** Without the monitoring RPCs, figures come from the jobs RLS shows: admins see all. */
  canSeeAllJobs: boolean;
  /** The workflows to narrow the figures to (the route supplies them); null = all. */
  workflows?: { id: string; name: string }[] | undefined;
  workflowId?: string | null;
  onWorkflowChange?: (workflowId: string | null) => void;
};

export function MonitoringDashboard({
  range,
  onRangeChange,
  canSeeAllJobs,
  workflows,
  workflowId = null,
  onWorkflowChange,
}: Props) {
  const organisation = useCurrentOrganisation();
  const workflowSelectId = useId();
  const query = useQuery(monitoringQueries.stats(organisation.id, range, workflowId));
  // The health figures are organisation-wide: shown when no workflow is picked.
  const health = useQuery({
    ...monitoringQueries.health(organisation.id, range),
    enabled: workflowId === null,
  });
  const workflowName = workflowId ? workflows?.find((w) => w.id === workflowId)?.name : null;
  const scopeLabel =
    query.data?.source === 'jobs' && !canSeeAllJobs ? 'Your jobs' : 'Every job in the organisation';
  const bucketLabel =
    rangeSettings[range].bucketMs >= 3_600_000
      ? `${rangeSettings[range].bucketMs / 3_600_000} h`
      : `${rangeSettings[range].bucketMs / 60_000} min`;
  const queue = workflowId === null ? health.data?.queue : undefined;
  const { ms } = rangeSettings[range];
  const dayLong = ms > 86_400_000;
  // The chart's own compact spellings, in the app's one locale, clock and zone.
  const zone = { hourCycle: 'h23', timeZone: getDisplayTimeZone() } as const;
  const timeFormat = new Intl.DateTimeFormat(APP_LOCALE, {
    ...(dayLong ? { weekday: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...zone,
  });
  const tickFormat = new Intl.DateTimeFormat(APP_LOCALE, {
    ...(dayLong ? { weekday: 'short', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' }),
    ...zone,
  });
  const axis = {
    formatTime: (t: number) => timeFormat.format(new Date(t)),
    formatTick: (t: number) => tickFormat.format(new Date(t)),
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {workflowId
            ? `${workflowName ?? 'One workflow'}: ${scopeLabel.toLowerCase()}`
            : scopeLabel}{' '}
          · {rangeSettings[range].label.toLowerCase()}, per {bucketLabel}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          {workflows && onWorkflowChange ? (
            <div className="flex items-center gap-2">
              <label htmlFor={workflowSelectId} className="text-sm text-slate-600">
                Workflow
              </label>
              <Select
                id={workflowSelectId}
                value={workflowId ?? ''}
                onChange={(event) => onWorkflowChange(event.target.value || null)}
                className="h-9 w-auto max-w-56"
              >
                <option value="">All workflows</option>
                {workflows.map((workflow) => (
                  <option key={workflow.id} value={workflow.id}>
                    {workflow.name}
                  </option>
                ))}
              </Select>
            </div>
          ) : null}
          <RangeSelector range={range} onRangeChange={onRangeChange} />
        </div>
      </div>

      {query.isPending ? (
        <div role="status" aria-label="Loading metrics" className="grid gap-4 md:grid-cols-2">
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} className="h-64" />
          ))}
        </div>
      ) : !query.data ? (
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          <ErrorState
            title="Couldn't load the metrics"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
          />
        </div>
      ) : query.data.totals.completed + query.data.totals.failed === 0 &&
        !query.data.totals.queueDepth ? (
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          <EmptyState
            icon={<Activity className="size-6" aria-hidden />}
            title="No jobs in this range"
            description="Run a workflow and its jobs show up here: how many finish, how many fail, how long they take and how many wait."
          />
        </div>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
            <StatTile label="Completed" value={count(query.data.totals.completed)} />
            <StatTile label="Failed" value={count(query.data.totals.failed)} />
            <StatTile
              label="Failure rate"
              value={
                query.data.totals.failureRate === null
                  ? '—'
                  : percent(query.data.totals.failureRate)
              }
            />
            <StatTile
              label="Average duration"
              value={query.data.totals.avgMs === null ? '—' : formatMs(query.data.totals.avgMs)}
            />
            <StatTile
              label="p95 duration"
              value={query.data.totals.p95Ms === null ? '—' : formatMs(query.data.totals.p95Ms)}
              hint={
                query.data.totals.p95IsHighestBucket ? `Highest of any ${bucketLabel}` : undefined
              }
            />
            <StatTile
              label="In the queue now"
              value={
                queue
                  ? count(queue.pending + queue.running + queue.awaiting_retry)
                  : query.data.totals.queueDepth === null
                    ? '—'
                    : count(query.data.totals.queueDepth)
              }
              hint={
                queue && queue.due > 0
                  ? `Oldest due for ${formatMs(queue.oldest_due_age_seconds * 1000)}`
                  : 'Pending, running or awaiting retry'
              }
            />
            {query.data.totals.retries !== null ? (
              <StatTile label="Retries scheduled" value={count(query.data.totals.retries)} />
            ) : null}
          </dl>
          {query.data.truncated ? (
            <p className="rounded-lg bg-amber-50 px-4 py-2 text-sm text-amber-800">
              Only the newest 10,000 jobs were counted: the figures undercount this range.
            </p>
          ) : null}
          <div className="grid gap-4 md:grid-cols-2">
            <TimeSeriesChart
              title="Throughput"
              kind="bar"
              series={[
                { name: 'Completed', className: 'fill-emerald-500', swatch: 'bg-emerald-500' },
                { name: 'Failed', className: 'fill-red-500', swatch: 'bg-red-500' },
              ]}
              points={bucketPoints(query.data.buckets, (bucket) => [
                bucket.completed,
                bucket.failed,
              ])}
              formatValue={count}
              {...axis}
            />
            <TimeSeriesChart
              title="Failure rate"
              kind="line"
              yMax={1}
              series={[{ name: 'Failure rate', className: 'text-red-500', swatch: 'bg-red-500' }]}
              points={bucketPoints(query.data.buckets, (bucket) => [bucket.failureRate])}
              formatValue={percent}
              {...axis}
            />
            <TimeSeriesChart
              title="Duration"
              kind="line"
              series={[
                { name: 'Average', className: 'text-brand-500', swatch: 'bg-brand-500' },
                { name: 'p95', className: 'text-amber-500', swatch: 'bg-amber-500' },
              ]}
              points={bucketPoints(query.data.buckets, (bucket) => [bucket.avgMs, bucket.p95Ms])}
              formatValue={formatMs}
              {...axis}
            />
            <TimeSeriesChart
              title="Queue depth"
              kind="line"
              series={[
                { name: 'Queue depth', className: 'text-slate-600', swatch: 'bg-slate-600' },
              ]}
              points={bucketPoints(query.data.buckets, (bucket) => [bucket.queueDepth])}
              formatValue={count}
              {...axis}
            />
          </div>
          {health.data && workflowId === null ? <HealthTables health={health.data} /> : null}
        </>
      )}
      {workflowId === null ? <ApiLatency range={range} /> : null}
    </div>
  );
}

/** One chart point per bucket: its start and the values `pick` takes from it. */
const bucketPoints = (
  buckets: readonly StatsBucket[],
  pick: (bucket: StatsBucket) => (number | null)[],
) => buckets.map((bucket) => ({ t: bucket.start, values: pick(bucket) }));
