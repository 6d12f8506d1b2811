import { ACTIVE_JOB_STATUSES } from '@forkflow/domain/jobs';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import {
  bucketJobs,
  finishedTotals,
  rangeSettings,
  type JobTimes,
  type MonitoringRange,
  type MonitoringStats,
  type StatsBucket,
} from '../utils/stats';

/** The range's window, aligned to bucket boundaries so refreshes don't shift every bar. */
export function rangeWindow(range: MonitoringRange, now: number) {
  const { ms, bucketMs } = rangeSettings[range];
  const to = Math.ceil(now / bucketMs) * bucketMs;
  return { from: to - ms, to, bucketMs };
}

// What public.workflow_stats returns per bucket (supabase/migrations/…_workflow_monitoring.sql).
// Nullable where SQL gives null (no finished job: no rate, no duration).
const count = z.number().catch(0);
const maybe = z.number().nullable().catch(null);
const statsRowSchema = z.object({
  bucket_start: z.string(),
  created: count,
  started: count,
  completed: count,
  failed: count,
  cancelled: count,
  retries: count,
  failure_rate: maybe,
  avg_duration_ms: maybe,
  p95_duration_ms: maybe,
  queue_depth: maybe,
});

/** Figures the database computes for the whole organisation, per bucket. */
async function getStatsFromRpc(
  organisationId: string,
  range: MonitoringRange,
  workflowId: string | null,
  now: number,
): Promise<MonitoringStats | null> {
  const { from, to, bucketMs } = rangeWindow(range, now);
  const { data, error } = await supabase.rpc('workflow_stats', {
    p_organisation_id: organisationId,
    p_from: new Date(from).toISOString(),
    p_to: new Date(to).toISOString(),
    p_bucket: `${bucketMs / 1000} seconds`,
    ...(workflowId ? { p_workflow_id: workflowId } : {}),
  });
  // Not deployed (an older database): fall back to counting jobs in the browser.
  if (error?.code === 'PGRST202' || error?.code === '42883') return null;
  if (error) raise(error);
  const parsed = z.array(statsRowSchema).safeParse(data);
  if (!parsed.success) throw new AppError('The metrics came back in a shape we don’t know.');
  const buckets: StatsBucket[] = parsed.data.map((row) => ({
    start: new Date(row.bucket_start).getTime(),
    completed: row.completed,
    failed: row.failed,
    failureRate: row.failure_rate,
    avgMs: row.avg_duration_ms,
    p95Ms: row.p95_duration_ms,
    queueDepth: row.queue_depth,
    retries: row.retries,
  }));
  const finished = finishedTotals(buckets);
  // The average over the range, weighted by each bucket's completed jobs (exact); for p95
  // only the buckets' own are known, so the page shows the highest.
  const weighted = buckets.reduce((sum, bucket) => sum + (bucket.avgMs ?? 0) * bucket.completed, 0);
  const p95s = buckets.flatMap((bucket) => (bucket.p95Ms === null ? [] : [bucket.p95Ms]));
  return {
    from,
    to,
    bucketMs,
    buckets,
    totals: {
      ...finished,
      avgMs: finished.completed ? weighted / finished.completed : null,
      p95Ms: p95s.length ? Math.max(...p95s) : null,
      p95IsHighestBucket: true,
      queueDepth: buckets[buckets.length - 1]?.queueDepth ?? null,
      retries: buckets.reduce((sum, bucket) => sum + (bucket.retries ?? 0), 0),
    },
    source: 'rpc',
    truncated: false,
  };
}

/** Jobs read at most for the fallback; beyond it the page says the figures undercount. */
export const MONITORING_JOB_CAP = 10_000;

/**
 * The fallback: figures from the jobs the caller can see (RLS: admins see the
 * organisation's, members their own), bucketed in the browser.
 */
async function getStatsFromJobs(
  organisationId: string,
  range: MonitoringRange,
  workflowId: string | null,
  now: number,
): Promise<MonitoringStats> {
  const { from, to, bucketMs } = rangeWindow(range, now);
  const fromIso = new Date(from).toISOString();
  let request = supabase
    .from('jobs')
    .select('status, created_at, started_at, completed_at, last_updated_at')
    .eq('organisation_id', organisationId);
  if (workflowId) request = request.eq('workflow_id', workflowId);
  const { data, error } = await request
    // Finished in the range, or still in the queue (for its depth).
    .or(
      `completed_at.gte."${fromIso}",created_at.gte."${fromIso}",status.in.(${ACTIVE_JOB_STATUSES.join(',')})`,
    )
    .order('created_at', { ascending: false })
    .limit(MONITORING_JOB_CAP + 1)
    .overrideTypes<JobTimes[], { merge: false }>();
  if (error) raise(error);
  const truncated = data.length > MONITORING_JOB_CAP;
  const rows = truncated ? data.slice(0, MONITORING_JOB_CAP) : data;
  return { ...bucketJobs(rows, from, to, bucketMs), source: 'jobs', truncated };
}

/** `workflowId` null = every workflow. */
export async function getMonitoringStats(
  organisationId: string,
  range: MonitoringRange,
  workflowId: string | null = null,
  now: number = Date.now(),
): Promise<MonitoringStats> {
  return (
    (await getStatsFromRpc(organisationId, range, workflowId, now)) ??
    getStatsFromJobs(organisationId, range, workflowId, now)
  );
}

// public.workflow_health: the queue now, and per workflow / per transformer since a time.
const rate = z.number().nullable().catch(null);
export const workflowHealthSchema = z.object({
  queue: z
    .object({
      due: count,
      pending: count,
      running: count,
      awaiting_retry: count,
      oldest_due_age_seconds: count,
      next_retry_at: z.string().nullable().catch(null),
    })
    .catch({
      due: 0,
      pending: 0,
      running: 0,
      awaiting_retry: 0,
      oldest_due_age_seconds: 0,
      next_retry_at: null,
    }),
  workflows: z
    .array(
      z.object({
        workflow_id: z.string(),
        key: z.string(),
        name: z.string(),
        finished: count,
        completed: count,
        failed: count,
        cancelled: count,
        completion_rate: rate,
        failure_rate: rate,
        avg_duration_ms: rate,
        p95_duration_ms: rate,
        in_queue: count,
        // From public.workflow_queue_wait (…007400), merged in by getWorkflowHealth.
        queue_wait_p50_ms: rate.default(null),
        queue_wait_p95_ms: rate.default(null),
      }),
    )
    .catch([]),
  transformers: z
    .array(
      z.object({
        transformer_id: z.string(),
        steps: count,
        succeeded: count,
        failed: count,
        failure_rate: rate,
        avg_duration_ms: rate,
        p95_duration_ms: rate,
      }),
    )
    .catch([]),
});
export type WorkflowHealth = z.output<typeof workflowHealthSchema>;

export async function getWorkflowHealth(
  organisationId: string,
  range: MonitoringRange,
  now: number = Date.now(),
): Promise<WorkflowHealth | null> {
  const { from } = rangeWindow(range, now);
  const since = new Date(from).toISOString();
  const [{ data, error }, waits] = await Promise.all([
    supabase.rpc('workflow_health', { p_organisation_id: organisationId, p_since: since }),
    // Queue wait (created → first claim) per workflow over the same jobs; a database
    // without it leaves the columns blank rather than the page.
    supabase.rpc('workflow_queue_wait', { p_organisation_id: organisationId, p_since: since }),
  ]);
  if (error?.code === 'PGRST202' || error?.code === '42883') return null;
  if (error) raise(error);
  const parsed = workflowHealthSchema.safeParse(data);
  if (!parsed.success) throw new AppError('The health figures came back in a shape we don’t know.');
  const byWorkflow = new Map(
    (waits.error ? [] : (waits.data ?? [])).map((w) => [w.workflow_id, w]),
  );
  return {
    ...parsed.data,
    workflows: parsed.data.workflows.map((workflow) => ({
      ...workflow,
      queue_wait_p50_ms: byWorkflow.get(workflow.workflow_id)?.p50_ms ?? null,
      queue_wait_p95_ms: byWorkflow.get(workflow.workflow_id)?.p95_ms ?? null,
    })),
  };
}

// public.function_latency_stats: p50/p95 response time per edge function over the range,
// from the latency histograms (migration …_function_latency.sql). The platform's API, so the
// same for every organisation; null where the database predates it.
const functionLatencySchema = z.array(
  z.object({
    function_name: z.string(),
    p50_ms: z.number().nullable().catch(null),
    p95_ms: z.number().nullable().catch(null),
  }),
);
export type FunctionLatency = z.output<typeof functionLatencySchema>[number];

export async function getFunctionLatency(
  range: MonitoringRange,
  now: number = Date.now(),
): Promise<FunctionLatency[] | null> {
  const { from } = rangeWindow(range, now);
  const { data, error } = await supabase.rpc('function_latency_stats', {
    p_since: new Date(from).toISOString(),
  });
  if (error?.code === 'PGRST202' || error?.code === '42883') return null;
  if (error) raise(error);
  const parsed = functionLatencySchema.safeParse(data);
  if (!parsed.success) throw new AppError('The response times came back in a shape we don’t know.');
  return parsed.data;
}

export const monitoringQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'monitoring'] as const,
  stats: (organisationId: string, range: MonitoringRange, workflowId: string | null = null) =>
    queryOptions({
      queryKey: [...monitoringQueries.all(organisationId), 'stats', range, workflowId] as const,
      queryFn: () => getMonitoringStats(organisationId, range, workflowId),
      refetchInterval: range === '1h' ? 10_000 : 60_000,
      staleTime: 5_000,
    }),
  health: (organisationId: string, range: MonitoringRange) =>
    queryOptions({
      queryKey: [...monitoringQueries.all(organisationId), 'health', range] as const,
      queryFn: () => getWorkflowHealth(organisationId, range),
      refetchInterval: 10_000,
      staleTime: 5_000,
    }),
  apiLatency: (organisationId: string, range: MonitoringRange) =>
    queryOptions({
      queryKey: [...monitoringQueries.all(organisationId), 'api-latency', range] as const,
      queryFn: () => getFunctionLatency(range),
      refetchInterval: 30_000,
      staleTime: 10_000,
    }),
};
