// One structured line per request, for every function (seed 003 iteration 12): `handle`
// (http.ts) calls `requestDone` once the response is ready, so no function can forget it.
//
//   {"level":"info","msg":"request","function":"cancel-job","method":"POST","status":200,
//    "duration_ms":14,"user_id":"<jwt sub>","role":"authenticated","job_id":"<uuid>"}
//
// Same format as every other line (logger.ts). level follows the status: error for 5xx, warn
// for 4xx. user_id and role come from the bearer token's claims (null for API keys without a
// user); a handler adds what only it knows (job_id) with `annotate`. Nothing else from the
// request is written: no body, header, query string or token.
import { bearerClaims } from './claims.ts';
import { recordDuration } from './latency.ts';
import { log, type LogFields } from './logger.ts';

const notes = new WeakMap<Request, LogFields>();

/** Adds fields to this request's log line, e.g. { job_id }. Identifiers only: never secrets or bodies. */
export function annotate(req: Request, fields: LogFields): void {
  notes.set(req, { ...notes.get(req), ...fields });
}

/**
 * The function's name: the first path segment, as Supabase routes `/functions/v1/<name>` to
 * a function that sees `/<name>/…` (a `/functions/v1/` prefix is skipped as well).
 */
export function functionName(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  const at = parts[0] === 'functions' && parts[1] === 'v1' ? 2 : 0;
  return parts[at] ?? 'unknown';
}

/** The request's log line, and its duration for the latency histograms (preflights are not timed). */
export function requestDone(req: Request, status: number, durationMs: number): void {
  const name = functionName(req.url);
  const claims = bearerClaims(req);
  log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', {
    function: name,
    method: req.method,
    status,
    duration_ms: Math.round(durationMs),
    user_id: claims?.sub ?? null,
    role: claims?.role ?? null,
    ...notes.get(req),
  });
  if (req.method !== 'OPTIONS') recordDuration(name, durationMs);
}
