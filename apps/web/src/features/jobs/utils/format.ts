/** 230 ms, 4.2 s, 3 min 12 s, 2 h 5 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** From started to completed (or to now while it runs). */
export function jobDurationMs(
  job: { started_at: string | null; completed_at: string | null },
  now: number = Date.now(),
): number | null {
  if (!job.started_at) return null;
  const end = job.completed_at ? new Date(job.completed_at).getTime() : now;
  return end - new Date(job.started_at).getTime();
}

export const shortId = (id: string) => id.slice(0, 8);

type AttemptEvent = {
  event_type: string;
  from_status: string | null;
  created_at: string;
};

/**
 * The last attempt's duration and how many attempts there were (issue 12 §9: "a retry ran
 * 9 s and failed the same way" should read 9 s, not the minutes of backoff before it). An
 * attempt starts at a claim from pending or awaiting_retry, or at the first claim after a
 * retry by hand (`retried`, whose claim may be from running); the claims after that are its
 * next steps. It ends when the job finishes, when it is put back to await a retry, or now.
 * Null until the job has been claimed (or when its events cannot be read).
 */
export function lastAttempt(
  job: { status: string; completed_at: string | null },
  events: readonly AttemptEvent[],
  now: number = Date.now(),
): { ms: number; attempts: number } | null {
  let start: string | null = null;
  let retryEnd: string | null = null;
  let attempts = 0;
  let retriedByHand = false;
  for (const event of events) {
    if (event.event_type === 'retried') {
      attempts += 1;
      retriedByHand = true;
    } else if (event.event_type === 'claimed') {
      const fresh = event.from_status === 'pending' || event.from_status === 'awaiting_retry';
      if (retriedByHand || fresh) {
        if (!retriedByHand) attempts += 1;
        retriedByHand = false;
        start = event.created_at;
        retryEnd = null;
      }
    } else if (event.event_type === 'retry_scheduled') {
      retryEnd = event.created_at;
    }
  }
  if (start === null) return null;
  const stop = job.completed_at ?? (job.status === 'awaiting_retry' ? retryEnd : null);
  return { ms: (stop ? Date.parse(stop) : now) - Date.parse(start), attempts };
}
