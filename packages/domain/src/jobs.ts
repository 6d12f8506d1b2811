// Workflow jobs as the web app and the edge functions both see them: the statuses (as the
// jobs_status check in SQL), which of them are still active, and the keyset cursor that pages
// through a job list newest first. One definition, so the Jobs page and list-jobs cannot drift
// (the cursor's index bound once had to be fixed in both, e416d14).
import { isUuid } from './ids.ts';

/** Every status a job can have, in lifecycle order. */
export const JOB_STATUSES = [
  'pending',
  'running',
  'awaiting_retry',
  'completed',
  'failed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Not final yet: the orchestrator may still move these jobs (so pages keep refreshing), and
 * they are the ones cancel_job accepts.
 */
export const ACTIVE_JOB_STATUSES = [
  'pending',
  'running',
  'awaiting_retry',
] as const satisfies readonly JobStatus[];
export type ActiveJobStatus = (typeof ACTIVE_JOB_STATUSES)[number];

export const isJobStatus = (value: string): value is JobStatus =>
  (JOB_STATUSES as readonly string[]).includes(value);

export const isActiveJobStatus = (status: string): status is ActiveJobStatus =>
  (ACTIVE_JOB_STATUSES as readonly string[]).includes(status);

// Keyset cursor -------------------------------------------------------------------------

/** The position after the last job of a page: newest first, ties broken by id. */
export type JobCursor = { created_at: string; id: string };

/** The cursor to continue after `job`. */
export const jobCursorAfter = (job: JobCursor): JobCursor => ({
  created_at: job.created_at,
  id: job.id,
});

/** The subset of a PostgREST query builder the cursor filter needs. */
export interface KeysetFilterable<Q> {
  lte(column: 'created_at', value: string): Q;
  or(filters: string): Q;
}

/**
 * Narrows a newest-first (created_at desc, id desc) job query to the rows after `cursor`.
 * The values must be a PostgREST timestamp and a UUID (decodeJobCursor checks both when
 * they come from outside); they are quoted because timestamps hold characters PostgREST's
 * filter syntax reserves (`:`, `+`). The plain `created_at <= cursor` bound is what lets the
 * (created_at, id) indexes start at the cursor: the OR alone is no index bound, and a page
 * far back scanned from the newest job (0.3–0.4 s at 300k jobs, 2 ms with the bound).
 */
export function afterJobCursor<Q extends KeysetFilterable<Q>>(query: Q, cursor: JobCursor): Q {
  const { created_at, id } = cursor;
  return query
    .lte('created_at', created_at)
    .or(`created_at.lt."${created_at}",and(created_at.eq."${created_at}",id.lt.${id})`);
}

/** The cursor as an opaque URL-safe string (base64url of `[created_at, id]`). */
export function encodeJobCursor(cursor: JobCursor): string {
  return btoa(JSON.stringify([cursor.created_at, cursor.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

// created_at exactly as PostgREST prints a timestamptz; checked strictly because the
// cursor's values end up inside a PostgREST filter expression.
const POSTGREST_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

const DATE_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * Whether Postgres reads an ISO 8601 date or date-time as a timestamptz. Date.parse is laxer
 * (it takes 2026-02-30, year 0, offsets past ±15:59), and what it lets through would fail in
 * the database as a 500.
 */
export function postgresReadsTimestamp(value: string): boolean {
  const m = DATE_PARTS.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return false;
  if (minute! > 59 || second! > 59 || offsetHours! > 15 || offsetMinutes! > 59) return false;
  return hour! < 24 || (hour === 24 && minute === 0 && second === 0);
}

/** The cursor `encodeJobCursor` made, or null for anything else (so it is safe to filter by). */
export function decodeJobCursor(value: string): JobCursor | null {
  try {
    const parsed = JSON.parse(atob(value.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [created_at, id] = parsed as unknown[];
    if (
      typeof created_at === 'string' &&
      POSTGREST_TIMESTAMP.test(created_at) &&
      postgresReadsTimestamp(created_at) &&
      typeof id === 'string' &&
      isUuid(id)
    )
      return { created_at, id };
  } catch {
    // not base64 or not JSON
  }
  return null;
}
