// GET /functions/v1/workflow-metrics — the workflow engine's metrics across organisations in
// Prometheus text format, for an operator's scraper (docs/workflows-contract.md,
// "Monitoring"). Service role only (403 otherwise). `?window_seconds=` (10..86400, default
// 300) sets the window of the duration summaries. Three RPCs: public.workflow_metrics,
// public.workflow_queue_wait_metrics (created → first claim per workflow), and
// public.function_latency_metrics for every function's response-time histogram.
import { requireServiceRole } from '../_shared/claims.ts';
import { createServiceClient } from '../_shared/clients.ts';
import { JOB_STATUSES } from '../_shared/domain/jobs.ts';
import { handle, HttpError } from '../_shared/http.ts';
import { log } from '../_shared/logger.ts';
import { type FunctionLatency, renderFunctionLatency } from './function-latency.ts';
import { Exposition } from './prometheus.ts';

interface Summary {
  count: number;
  sum_ms: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

interface Metrics {
  window_seconds: number;
  jobs_by_status: Record<string, number>;
  queue: { due: number; oldest_due_age_seconds: number };
  finished_jobs: ({ organisation_id: string; workflow: string; status: string } & Summary)[];
  steps: ({ transformer: string; outcome: string } & Summary)[];
  /** public.workflow_queue_wait_metrics (…007400): created → first claim. */
  queue_wait?: ({ organisation_id: string; workflow: string } & Summary)[];
}

const QUANTILES = [
  ['0.5', 'p50_ms'],
  ['0.95', 'p95_ms'],
  ['0.99', 'p99_ms'],
] as const;

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

function summary(
  out: Exposition,
  name: string,
  labels: Record<string, string>,
  values: Summary,
): void {
  for (const [quantile, key] of QUANTILES)
    out.sample(name, { ...labels, quantile }, seconds(values[key]));
  out.sample(`${name}_sum`, labels, values.sum_ms / 1000);
  out.sample(`${name}_count`, labels, values.count);
}

export function render(metrics: Metrics, latency: FunctionLatency): string {
  const window = `${metrics.window_seconds}s`;
  const out = new Exposition();

  out.family('forkflow_jobs', 'gauge', 'Jobs per status, now.');
  for (const status of JOB_STATUSES)
    out.sample('forkflow_jobs', { status }, metrics.jobs_by_status[status] ?? 0);

  out.family('forkflow_queue_depth', 'gauge', 'Jobs due now: claimable by an orchestrator.');
  out.sample('forkflow_queue_depth', {}, metrics.queue.due);

  out.family(
    'forkflow_oldest_due_job_age_seconds',
    'gauge',
    'How long the oldest due job has been due (0 when none is).',
  );
  out.sample('forkflow_oldest_due_job_age_seconds', {}, metrics.queue.oldest_due_age_seconds);

  out.family(
    'forkflow_job_duration_seconds',
    'summary',
    `Started to finished, per workflow and final status, of jobs finished in the last ${window}.`,
  );
  for (const row of metrics.finished_jobs)
    summary(
      out,
      'forkflow_job_duration_seconds',
      { organisation: row.organisation_id, workflow: row.workflow, status: row.status, window },
      row,
    );

  out.family(
    'forkflow_job_queue_wait_seconds',
    'summary',
    `Created to first claimed, per workflow, of jobs finished in the last ${window}.`,
  );
  for (const row of metrics.queue_wait ?? [])
    summary(
      out,
      'forkflow_job_queue_wait_seconds',
      { organisation: row.organisation_id, workflow: row.workflow, window },
      row,
    );

  out.family(
    'forkflow_step_duration_seconds',
    'summary',
    `Executor call time per transformer and outcome, of steps run in the last ${window}.`,
  );
  for (const row of metrics.steps)
    summary(
      out,
      'forkflow_step_duration_seconds',
      { transformer: row.transformer, outcome: row.outcome, window },
      row,
    );

  renderFunctionLatency(out, latency);
  return out.toString();
}

Deno.serve(
  handle(async (req) => {
    await requireServiceRole(req);
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET');
    const param = new URL(req.url).searchParams.get('window_seconds');
    const windowSeconds = param === null ? 300 : Number(param);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 10 || windowSeconds > 86_400)
      throw new HttpError(
        400,
        'invalid_request',
        'window_seconds must be an integer from 10 to 86400',
      );

    const started = performance.now();
    const client = createServiceClient();
    const [metrics, latency, queueWait] = await Promise.all([
      client.rpc('workflow_metrics', { p_window: `${windowSeconds} seconds` }),
      client.rpc('function_latency_metrics'),
      client.rpc('workflow_queue_wait_metrics', { p_window: `${windowSeconds} seconds` }),
    ]);
    const error = metrics.error ?? latency.error ?? queueWait.error;
    if (error) throw new HttpError(500, 'query_failed', error.message);
    const body = render(
      {
        ...(metrics.data as unknown as Metrics),
        queue_wait: queueWait.data as unknown as Metrics['queue_wait'],
      },
      latency.data as unknown as FunctionLatency,
    );
    log('info', 'metrics scraped', { duration_ms: Math.round(performance.now() - started) });
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
    });
  }),
);
