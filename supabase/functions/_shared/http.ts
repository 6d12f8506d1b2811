// JSON responses and errors shared by every function. Errors always have the shape
// { error: { code, message } } so machines can branch on `code`.
import { HttpError } from './http-error.ts';
import { log } from './logger.ts';
import { functionName, requestDone } from './request-log.ts';

export { HttpError };

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, idempotency-key',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...corsHeaders, ...headers },
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
    const response = await respond(handler, req);
    requestDone(req, response.status, performance.now() - started);
    return response;
  };
}

async function respond(
  handler: (req: Request) => Promise<Response>,
  req: Request,
): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  try {
    return await handler(req);
  } catch (err) {
    if (err instanceof HttpError)
      return json(err.status, { error: { ...err.detail, code: err.code, message: err.message } });
    log('error', 'unhandled error', { function: functionName(req.url), error: String(err) });
    return errorResponse(500, 'internal_error', 'Something went wrong on our side');
  }
}
