// JSON responses and errors shared by every function. Errors always have the shape
// { error: { code, message } } so machines can branch on `code`.

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

/** A failure a handler raises on purpose; `handle` turns it into its HTTP response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Wraps a handler with CORS preflight and uniform error responses. */
export function handle(
  handler: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err.status, err.code, err.message);
      console.error(JSON.stringify({ level: 'error', message: String(err) }));
      return errorResponse(500, 'internal_error', 'Something went wrong on our side');
    }
  };
}
