// forkflow_function_duration_seconds: every edge function's response times since the start,
// a Prometheus histogram (cumulative `le` buckets, _sum, _count) per function, from
// public.function_latency_metrics (migration …_function_latency.sql, which owns the bounds).
import type { Exposition } from './prometheus.ts';

export interface FunctionLatency {
  bounds_ms: number[];
  functions: { function: string; cumulative_counts: number[]; sum_ms: number; count: number }[];
}

export const FUNCTION_DURATION = 'forkflow_function_duration_seconds';

export function renderFunctionLatency(out: Exposition, latency: FunctionLatency): void {
  out.family(
    FUNCTION_DURATION,
    'histogram',
    'Edge function response time (handler start to response), per function, since the start.',
  );
  for (const row of latency.functions) {
    const labels = { function: row.function };
    latency.bounds_ms.forEach((bound, i) =>
      out.sample(
        `${FUNCTION_DURATION}_bucket`,
        { ...labels, le: bound / 1000 },
        row.cumulative_counts[i] ?? 0,
      ),
    );
    out.sample(`${FUNCTION_DURATION}_bucket`, { ...labels, le: '+Inf' }, row.count);
    out.sample(`${FUNCTION_DURATION}_sum`, labels, row.sum_ms / 1000);
    out.sample(`${FUNCTION_DURATION}_count`, labels, row.count);
  }
}
