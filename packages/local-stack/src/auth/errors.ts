import type { IncomingMessage, ServerResponse } from 'node:http';

/** The GoTrue error codes this server emits (supabase/auth internal/api/apierrors/errorcode.go). */
export type ErrorCode =
  | 'unexpected_failure'
  | 'validation_failed'
  | 'bad_json'
  | 'email_exists'
  | 'bad_jwt'
  | 'not_admin'
  | 'no_authorization'
  | 'user_not_found'
  | 'session_not_found'
  | 'session_expired'
  | 'refresh_token_not_found'
  | 'refresh_token_already_used'
  | 'user_banned'
  | 'phone_provider_disabled'
  | 'anonymous_provider_disabled'
  | 'email_not_confirmed'
  | 'user_already_exists'
  | 'same_password'
  | 'weak_password'
  | 'invalid_credentials'
  | 'over_request_rate_limit'
  | 'over_email_send_rate_limit'
  | 'otp_expired';

/** GoTrue's HTTPError: a status, a machine-readable code and a message. */
export class AuthHttpError extends Error {
  constructor(
    readonly status: number,
    /** Undefined only where GoTrue has none either (unknown routes); sent as `unknown`. */
    readonly errorCode: ErrorCode | undefined,
    message: string,
    /** Sent as `Retry-After` (a 429's seconds until a retry can succeed). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** GoTrue's WeakPasswordError: always 422 `weak_password`, with the reasons alongside. */
export class WeakPasswordError extends Error {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** GoTrue's OAuthError (`{ error, error_description }`), still used for a missing refresh_token. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export const badRequest = (code: ErrorCode, message: string): AuthHttpError =>
  new AuthHttpError(400, code, message);
export const forbidden = (code: ErrorCode, message: string): AuthHttpError =>
  new AuthHttpError(403, code, message);
export const notFound = (code: ErrorCode | undefined, message: string): AuthHttpError =>
  new AuthHttpError(404, code, message);
export const unprocessable = (code: ErrorCode, message: string): AuthHttpError =>
  new AuthHttpError(422, code, message);
export const internalError = (message: string): AuthHttpError =>
  new AuthHttpError(500, 'unexpected_failure', message);

const API_VERSION_HEADER = 'x-supabase-api-version';
const API_VERSION_2024_01_01 = '2024-01-01';

/**
 * GoTrue answers errors in the shape of the API version the client asks for in
 * X-Supabase-Api-Version (auth-js always sends 2024-01-01): `{ code: 'invalid_credentials',
 * message }` from that version on, the legacy `{ code: 400, error_code, msg }` before it or
 * without the header. auth-js only trusts the string `code` when the response echoes the
 * version header, so the echo matters as much as the body.
 */
export function requestedApiVersion(req: IncomingMessage): '2024-01-01' | 'initial' {
  const raw = req.headers[API_VERSION_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'initial';
  const asked = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(asked)) return 'initial';
  // The closest known version at or before the one asked for; 2024-01-01 is the only one.
  return asked >= Date.parse(`${API_VERSION_2024_01_01}T00:00:00Z`)
    ? API_VERSION_2024_01_01
    : 'initial';
}

interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The status, headers and body GoTrue's HandleResponseError would send for `err`. */
export function errorResponse(err: unknown, version: '2024-01-01' | 'initial'): ErrorResponse {
  const headers: Record<string, string> = {};
  if (version !== 'initial') headers[API_VERSION_HEADER] = version;

  if (err instanceof WeakPasswordError) {
    const weak_password = { reasons: err.reasons };
    if (version === 'initial') headers['x-sb-error-code'] = 'weak_password';
    const body =
      version === 'initial'
        ? { code: 422, error_code: 'weak_password', msg: err.message, weak_password }
        : { code: 'weak_password', message: err.message, weak_password };
    return { status: 422, headers, body };
  }

  if (err instanceof OAuthError) {
    return { status: 400, headers, body: { error: err.error, error_description: err.description } };
  }

  const httpError =
    err instanceof AuthHttpError
      ? err
      : internalError('Unexpected failure, please check server logs for more information');
  const code = httpError.errorCode ?? (httpError.status === 500 ? 'unexpected_failure' : 'unknown');
  if (httpError.errorCode) headers['x-sb-error-code'] = httpError.errorCode;
  if (httpError.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(httpError.retryAfterSeconds);
  }
  const body =
    version === 'initial'
      ? { code: httpError.status, error_code: code, msg: httpError.message }
      : { code, message: httpError.message };
  return { status: httpError.status, headers, body };
}

export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const { status, headers, body } = errorResponse(err, requestedApiVersion(req));
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
