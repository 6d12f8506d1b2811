import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import {
  bucketJobs,
  rangeSettings,
  type JobTimes,
  type MonitoringRange,
  type MonitoringStats,
} from '../utils/stats';

/** Jobs read at most for the fallback; beyond it the page says the figures undercount. */
export const MONITORING_JOB_CAP = 10_000;

/**
 * Figures from the jobs the caller can see (RLS: admins see the organisation's, members
 * their own), bucketed in the browser.
 */
async function getStatsFromJobs(
  organisationId: string,
  range: MonitoringRange,
  now: number,
): Promise<MonitoringStats> {
  const { ms, bucketMs } = rangeSettings[range];
  // Align to bucket boundaries so refreshes don't shift every bar.
  const to = Math.ceil(now / bucketMs) * bucketMs;
  const from = to - ms;
  const fromIso = new Date(from).toISOString();
  const { data, error } = await supabase
    .from('jobs')
    .select('status, created_at, started_at, completed_at, last_updated_at')
    .eq('organisation_id', organisationId)
    // Finished in the range, or still in the queue (for its depth).
    .or(
      `completed_at.gte."${fromIso}",created_at.gte."${fromIso}",status.in.(pending,running,awaiting_retry)`,
    )
    .order('created_at', { ascending: false })
    .limit(MONITORING_JOB_CAP + 1)
    .overrideTypes<JobTimes[], { merge: false }>();
  if (error) raise(error);
  const truncated = data.length > MONITORING_JOB_CAP;
  const rows = truncated ? data.slice(0, MONITORING_JOB_CAP) : data;
  return { ...bucketJobs(rows, from, to, bucketMs), source: 'jobs', truncated };
}

export async function getMonitoringStats(
  organisationId: string,
  range: MonitoringRange,
  now: number = Date.now(),
): Promise<MonitoringStats> {
  return getStatsFromJobs(organisationId, range, now);
}

export const monitoringQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'monitoring'] as const,
  stats: (organisationId: string, range: MonitoringRange) =>
    queryOptions({
      queryKey: [...monitoringQueries.all(organisationId), 'stats', range] as const,
      queryFn: () => getMonitoringStats(organisationId, range),
      refetchInterval: range === '1h' ? 10_000 : 60_000,
      staleTime: 5_000,
    }),
};
