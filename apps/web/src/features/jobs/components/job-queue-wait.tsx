import { useQuery } from '@tanstack/react-query';
import { Hourglass } from 'lucide-react';
import { useNow } from '@/hooks/use-now';
import { DEFAULT_QUEUE_WAIT_MS, queueWaitQueries } from '../api/queue-wait';
import type { Job } from '../api/queries';
import { formatDuration } from '../utils/format';
import { ACTIVE_REFRESH_MS } from './jobs-list';

/**
 * On a pending job that has waited longer than its workflow's jobs usually do (their p95
 * queue wait over the last 24 h, or 10 s with none to go by): "Waiting for a worker: N jobs
 * ahead", from public.jobs_ahead, refreshed while it waits. Nothing while the wait is usual.
 */
export function QueueWaitNote({
  organisationId,
  job,
}: {
  organisationId: string;
  job: Pick<Job, 'id' | 'workflow_id' | 'status' | 'created_at'>;
}) {
  // Ticks so the note appears once the wait passes the usual one, without a refetch.
  const now = useNow(ACTIVE_REFRESH_MS).getTime();
  const p95 = useQuery(queueWaitQueries.p95(organisationId, job.workflow_id));
  const waited = now - Date.parse(job.created_at);
  const usual = p95.data ?? DEFAULT_QUEUE_WAIT_MS;
  const unusual = job.status === 'pending' && !p95.isPending && waited > usual;
  const ahead = useQuery({
    ...queueWaitQueries.ahead(organisationId, job.id),
    enabled: unusual,
    refetchInterval: unusual ? ACTIVE_REFRESH_MS : false,
  });
  if (!unusual) return null;
  const count = ahead.data;
  const jobs =
    count === undefined || count === null
      ? null
      : count === 0
        ? 'next in line'
        : `${count} ${count === 1 ? 'job' : 'jobs'} ahead`;
  return (
    <section
      aria-label="Queue"
      aria-live="polite"
      className="flex items-start gap-2 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 sm:px-5"
    >
      <Hourglass className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        <span className="font-medium">
          Waiting for a worker{jobs ? `: ${jobs}` : ahead.isError ? '' : '…'}
        </span>
        <span className="block text-amber-800">
          {`Waiting ${formatDuration(waited)}; this workflow's jobs usually start within ${formatDuration(usual)}.`}
        </span>
      </p>
    </section>
  );
}
