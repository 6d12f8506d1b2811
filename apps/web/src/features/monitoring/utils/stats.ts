// Health of the workflow engine over time (issue 4, item 12): throughput, failure rate,
// duration and queue depth per time bucket.

export const monitoringRanges = ['1h', '24h', '7d'] as const;
export type MonitoringRange = (typeof monitoringRanges)[number];

export const rangeSettings: Record<
  MonitoringRange,
  { label: string; ms: number; bucketMs: number }
> = {
  '1h': { label: 'Last hour', ms: 3_600_000, bucketMs: 5 * 60_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000, bucketMs: 3_600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000 },
};

export type StatsBucket = {
  /** Start of the bucket, epoch ms. */
  start: number;
  completed: number;
  failed: number;
  /** failed / (completed + failed); null when nothing finished. */
  failureRate: number | null;
  avgMs: number | null;
  p95Ms: number | null;
  /** Jobs waiting or running at the end of the bucket. */
  queueDepth: number | null;
  /** Retries scheduled in the bucket (null when not known). */
  retries: number | null;
};

export type MonitoringStats = {
  from: number;
  to: number;
  bucketMs: number;
  buckets: StatsBucket[];
  totals: {
    completed: number;
    failed: number;
    failureRate: number | null;
    avgMs: number | null;
    p95Ms: number | null;
    /** p95 is the highest of the buckets' (the database gives p95 per bucket only). */
    p95IsHighestBucket: boolean;
    queueDepth: number | null;
    retries: number | null;
  };
  /** Where the figures come from: the monitoring RPC, or jobs read directly. */
  source: 'rpc' | 'jobs';
  /** The jobs read were capped: the figures undercount. */
  truncated: boolean;
};

/** The share of finished jobs that failed; null when nothing finished. */
export const failureRate = (completed: number, failed: number): number | null =>
  completed + failed ? failed / (completed + failed) : null;

/** Completed and failed jobs over all the buckets, and the share that failed. */
export function finishedTotals(buckets: readonly StatsBucket[]) {
  const completed = buckets.reduce((sum, bucket) => sum + bucket.completed, 0);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  return { completed, failed, failureRate: failureRate(completed, failed) };
}

/** The p-th percentile (0..1) by nearest rank; null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

const average = (values: readonly number[]) =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;

export type JobTimes = {
  status: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  last_updated_at: string;
};

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** When a job left the queue (finished), or null while it is still in it. */
const endOf = (job: JobTimes) =>
  FINAL.has(job.status) ? new Date(job.completed_at ?? job.last_updated_at).getTime() : null;

/** Buckets computed from job rows (the fallback when no monitoring RPC is available). */
export function bucketJobs(
  jobs: readonly JobTimes[],
  from: number,
  to: number,
  bucketMs: number,
): Omit<MonitoringStats, 'source' | 'truncated'> {
  const count = Math.max(1, Math.ceil((to - from) / bucketMs));
  const durations: number[][] = Array.from({ length: count }, () => []);
  const buckets: StatsBucket[] = Array.from({ length: count }, (_, index) => ({
    start: from + index * bucketMs,
    completed: 0,
    failed: 0,
    failureRate: null,
    avgMs: null,
    p95Ms: null,
    queueDepth: 0,
    retries: null,
  }));
  const all: number[] = [];
  for (const job of jobs) {
    if (job.status !== 'completed' && job.status !== 'failed') continue;
    if (!job.completed_at) continue;
    const finished = new Date(job.completed_at).getTime();
    if (finished < from || finished >= to) continue;
    const index = Math.floor((finished - from) / bucketMs);
    const bucket = buckets[index];
    if (!bucket) continue;
    if (job.status === 'completed') {
      bucket.completed++;
      if (job.started_at) {
        const duration = finished - new Date(job.started_at).getTime();
        durations[index]?.push(duration);
        all.push(duration);
      }
    } else {
      bucket.failed++;
    }
  }
  for (const [index, bucket] of buckets.entries()) {
    bucket.failureRate = failureRate(bucket.completed, bucket.failed);
    const sorted = [...(durations[index] ?? [])].sort((a, b) => a - b);
    bucket.avgMs = average(sorted);
    bucket.p95Ms = percentile(sorted, 0.95);
    const end = Math.min(bucket.start + bucketMs, to);
    bucket.queueDepth = jobs.filter((job) => {
      const created = new Date(job.created_at).getTime();
      const ended = endOf(job);
      return created <= end && (ended === null || ended > end);
    }).length;
  }
  all.sort((a, b) => a - b);
  return {
    from,
    to,
    bucketMs,
    buckets,
    totals: {
      ...finishedTotals(buckets),
      avgMs: average(all),
      p95Ms: percentile(all, 0.95),
      p95IsHighestBucket: false,
      queueDepth: jobs.filter((job) => endOf(job) === null).length,
      retries: null,
    },
  };
}
