// JSON responses and errors shared by every function. Errors always have the shape
// { error: { code, message } } so machines can branch on `code`.
import { HttpError } from './http-error.ts';
import { log } from './logger.ts';
import { functionName, requestDone } from './request-log.ts';
import { runtimeEnv } from './runtime-env.ts';

export { HttpError };

/** CORS headers every response carries; `handle` adds Allow-Origin for allowed origins only. */
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, idempotency-key',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Expose-Headers': 'retry-after, idempotent-replayed',
  Vary: 'Origin',
};

/** The local dashboard (`pnpm dev`, Vite's port) when ALLOWED_ORIGINS is not set. */
export const DEFAULT_ALLOWED_ORIGINS = 'http://localhost:5173,http://127.0.0.1:5173';

/**
 * Whether a browser page at `origin` may read the functions' answers: ALLOWED_ORIGINS (comma
 * separated, exact origins; `http://host:*` admits any port of that host), else the local
 * dashboard's. Calls carry the user's token, so only the dashboard's origins are answered.
 */
export function originAllowed(origin: string): boolean {
  const list = (runtimeEnv('ALLOWED_ORIGINS') || DEFAULT_ALLOWED_ORIGINS)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return list.some((allowed) =>
    allowed.endsWith(':*')
      ? origin.startsWith(allowed.slice(0, -1)) && /^\d+$/.test(origin.slice(allowed.length - 1))
      : origin === allowed,
  );
}

function withCors(req: Request, response: Response): Response {
  const origin = req.headers.get('Origin');
  try {
    for (const [name, value] of Object.entries(corsHeaders)) response.headers.set(name, value);
    if (origin && originAllowed(origin))
      response.headers.set('Access-Control-Allow-Origin', origin);
    return response;
  } catch {
    // Immutable headers (a Response.redirect): answered as they are, without CORS.
    return response;
  }
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/**
 * Wraps a handler with CORS preflight, uniform error responses and, for every request, one
 * structured log line and its duration in the latency histograms (request-log.ts).
 */
export function handle(
  handler: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const started = performance.now();
    const response = withCors(req, await respond(handler, req));
    requestDone(req, response.status, performance.now() - started);
    return response;
  };
}

async function respond(
  handler: (req: Request) => Promise<Response>,
  req: Request,
): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response('ok');
  try {
    return await handler(req);
  } catch (err) {
    if (err instanceof HttpError)
      return json(
        err.status,
        { error: { ...err.detail, code: err.code, message: err.message } },
        err.headers,
      );
    log('error', 'unhandled error', { function: functionName(req.url), error: String(err) });
    return errorResponse(500, 'internal_error', 'Something went wrong on our side');
  }
}
