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
