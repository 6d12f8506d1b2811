import { Link } from 'react-router';
import type { Job, JobEvent } from '../api/queries';

/**
 * Settings → Connections (H7's page, issue 12 §9): where an owner adds a host an http-request
 * step may call. A literal path rather than paths.ts's entry, which that page adds.
 */
export const CONNECTIONS_HREF = '/settings/connections';

/**
 * A failed job a retry would only repeat: its final `failed` event says why (…004400:
 * `non_retryable`, `payload_too_large`; anything but `retries_exhausted`, where a retry
 * later may work), or its error is a refused host (fixed in Settings, not by retrying).
 */
export function isNonRetryableFailure(
  job: Pick<Job, 'status' | 'error_code'>,
  events: readonly Pick<JobEvent, 'event_type' | 'data'>[],
): boolean {
  if (job.status !== 'failed') return false;
  if (job.error_code === 'host_not_allowed') return true;
  const failed = events.findLast((event) => event.event_type === 'failed');
  const data = failed?.data;
  const reason =
    data && typeof data === 'object' && !Array.isArray(data)
      ? (data as { reason?: unknown }).reason
      : undefined;
  return typeof reason === 'string' && reason !== 'retries_exhausted';
}

/** The host the executor names in its host_not_allowed message (executor-outbound.ts). */
export function refusedHost(message: string | null): string | null {
  const match = /^(?:The host )?([A-Za-z0-9.*[\]:-]+) is not /.exec(message ?? '');
  return match?.[1] ?? null;
}

/** Under a host_not_allowed error: the fix an owner can make in the app. */
export function HostNotAllowedHint({ message }: { message: string | null }) {
  const host = refusedHost(message);
  return (
    <p className="mt-2">
      <Link to={CONNECTIONS_HREF} className="font-medium text-red-900 underline">
        {host ? `Add ${host} in Settings → Connections` : 'Add the host in Settings → Connections'}
      </Link>
      , then re-run the job.
    </p>
  );
}
