import { useQuery } from '@tanstack/react-query';
import { Activity } from 'lucide-react';
import { useId } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { Select } from '@/components/ui/form-field';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { monitoringQueries, type WorkflowHealth } from '../api/queries';
import {
  monitoringRanges,
  rangeSettings,
  type MonitoringRange,
  type StatsBucket,
} from '../utils/stats';
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

const percent = (value: number) => `${Math.round(value * 100)}%`;
const count = (value: number) =>
  Number.isInteger(value) ? value.toLocaleString() : value.toFixed(1);
export const formatMs = (value: number) =>
  value < 1000
    ? `${Math.round(value)} ms`
    : value < 60_000
      ? `${(value / 1000).toFixed(1)} s`
      : `${(value / 60_000).toFixed(1)} min`;

function Tile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-xl bg-white px-4 py-3 shadow-xs ring-1 ring-slate-200">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold text-slate-900 tabular-nums">{value}</dd>
      {hint ? <dd className="text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

export function RangeSelector({
  range,
  onRangeChange,
}: {
  range: MonitoringRange;
  onRangeChange: (range: MonitoringRange) => void;
}) {
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="flex items-center gap-2">
      <span id={labelId} className="text-sm text-slate-600">
        Range
      </span>
      <div className="inline-flex rounded-lg bg-slate-100 p-0.5">
        {monitoringRanges.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={range === option}
            title={rangeSettings[option].label}
            onClick={() => onRangeChange(option)}
            className={cn(
              // At least 36 px tall on a phone, so a thumb hits the intended range.
              'min-h-9 rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600 sm:min-h-0',
              range === option
                ? 'bg-white text-slate-900 shadow-xs'
                : 'text-slate-600 hover:text-slate-900',
            )}
          >
            <span aria-hidden>{option}</span>
            <span className="sr-only">{rangeSettings[option].label}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

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
  const timeFormat = new Intl.DateTimeFormat(undefined, {
    ...(dayLong ? { weekday: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  });
  const tickFormat = new Intl.DateTimeFormat(
    undefined,
    dayLong ? { weekday: 'short', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
  );
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
            <Tile label="Completed" value={count(query.data.totals.completed)} />
            <Tile label="Failed" value={count(query.data.totals.failed)} />
            <Tile
              label="Failure rate"
              value={
                query.data.totals.failureRate === null
                  ? '—'
                  : percent(query.data.totals.failureRate)
              }
            />
            <Tile
              label="Average duration"
              value={query.data.totals.avgMs === null ? '—' : formatMs(query.data.totals.avgMs)}
            />
            <Tile
              label="p95 duration"
              value={query.data.totals.p95Ms === null ? '—' : formatMs(query.data.totals.p95Ms)}
              hint={
                query.data.totals.p95IsHighestBucket ? `Highest of any ${bucketLabel}` : undefined
              }
            />
            <Tile
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
              <Tile label="Retries scheduled" value={count(query.data.totals.retries)} />
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
    </div>
  );
}

/** One chart point per bucket: its start and the values `pick` takes from it. */
const bucketPoints = (
  buckets: readonly StatsBucket[],
  pick: (bucket: StatsBucket) => (number | null)[],
) => buckets.map((bucket) => ({ t: bucket.start, values: pick(bucket) }));

const orDash = (value: number | null, format: (n: number) => string) =>
  value === null ? '—' : format(value);

function HealthTable({
  title,
  columns,
  rows,
}: {
  title: string;
  columns: string[];
  rows: { key: string; cells: string[] }[];
}) {
  return (
    <section className="min-w-0 rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      {/* On a phone the columns scroll sideways: focusable, so the keyboard scrolls them too. */}
      <div
        role="region"
        aria-label={title}
        tabIndex={0}
        className="overflow-x-auto rounded-xl focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <table className="w-full text-left text-sm">
          <caption className="border-b border-slate-200 px-4 py-3 text-left text-sm font-semibold text-slate-900">
            {title}
          </caption>
          <thead>
            <tr className="text-xs text-slate-500">
              {columns.map((column, index) => (
                <th
                  key={column}
                  scope="col"
                  className={cn(
                    'px-4 py-2 font-medium whitespace-nowrap',
                    index > 0 && 'text-right',
                  )}
                >
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, index) =>
                  index === 0 ? (
                    <th
                      key={index}
                      scope="row"
                      // Room for a long workflow name: the table scrolls sideways on a phone
                      // rather than squeezing the name into one word per line.
                      className="min-w-40 px-4 py-2 font-medium break-words text-slate-900"
                    >
                      {cell}
                    </th>
                  ) : (
                    <td
                      key={index}
                      className="px-4 py-2 text-right whitespace-nowrap text-slate-700 tabular-nums"
                    >
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function HealthTables({ health }: { health: WorkflowHealth }) {
  return (
    <div className="grid gap-4 2xl:grid-cols-2">
      {health.workflows.length > 0 ? (
        <HealthTable
          title="By workflow"
          columns={['Workflow', 'Finished', 'Failed', 'Failure rate', 'Avg', 'p95', 'In queue']}
          rows={health.workflows.map((workflow) => ({
            key: workflow.workflow_id,
            cells: [
              workflow.name,
              count(workflow.finished),
              count(workflow.failed),
              orDash(workflow.failure_rate, percent),
              orDash(workflow.avg_duration_ms, formatMs),
              orDash(workflow.p95_duration_ms, formatMs),
              count(workflow.in_queue),
            ],
          }))}
        />
      ) : null}
      {health.transformers.length > 0 ? (
        <HealthTable
          title="By transformer (steps)"
          columns={['Transformer', 'Steps', 'Failed', 'Failure rate', 'Avg', 'p95']}
          rows={health.transformers.map((transformer) => ({
            key: transformer.transformer_id,
            cells: [
              transformer.transformer_id,
              count(transformer.steps),
              count(transformer.failed),
              orDash(transformer.failure_rate, percent),
              orDash(transformer.avg_duration_ms, formatMs),
              orDash(transformer.p95_duration_ms, formatMs),
            ],
          }))}
        />
      ) : null}
    </div>
  );
}
