import { HttpError } from './http.ts';

interface PostgrestLikeError {
  code?: string;
  message: string;
  details?: string | null;
}

// The SQLSTATEs our functions raise on purpose (docs/sequences-contract.md,
// docs/workflows-contract.md "RPCs"), and PostgREST's "no row" for `.single()`.
const SQLSTATES: Record<string, { status: number; code: string }> = {
  P0002: { status: 404, code: 'not_found' },
  PGRST116: { status: 404, code: 'not_found' },
  '42501': { status: 403, code: 'forbidden' },
  '22023': { status: 400, code: 'invalid_input' },
  '22P02': { status: 400, code: 'invalid_input' },
  '23514': { status: 400, code: 'invalid_input' },
  '23505': { status: 409, code: 'conflict' },
  '55000': { status: 409, code: 'invalid_state' },
};

// Codes our RPCs choose themselves through private.raise_http ('workflow_not_found',
// 'job_finished', ...): lower snake case, unlike SQLSTATEs and PostgREST's own PGRSTnnn.
const APPLICATION_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * Turns an RPC's Postgres error into the HTTP error a caller can act on. `status` is the
 * HTTP status PostgREST answered with (supabase-js returns it beside `error`): an RPC that
 * raises through private.raise_http chooses both, and the function passes them on as they
 * are. Anything else unexpected (a PostgREST error about our own request, a bug) is a 500.
 */
export function httpErrorFromPostgrest(error: PostgrestLikeError, status?: number): HttpError {
  const known = error.code ? SQLSTATES[error.code] : undefined;
  if (known) return new HttpError(known.status, known.code, error.message);
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    error.code &&
    APPLICATION_CODE.test(error.code)
  ) {
    // A rate limit's details are the seconds to wait (20261122005200_rate_limits.sql).
    const details = error.details ?? '';
    const retryAfter =
      status === 429 && /^\d+$/.test(details) ? { 'Retry-After': details } : undefined;
    return new HttpError(status, error.code, error.message, undefined, retryAfter);
  }
  return new HttpError(500, 'internal_error', error.message);
}
