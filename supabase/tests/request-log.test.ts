// The request line every function writes through `handle` (_shared/http.ts, request-log.ts),
// called directly without a stack. The durations it records are covered against the stack
// by function-latency.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handle, HttpError, json } from '../functions/_shared/http.ts';
import { annotate, functionName } from '../functions/_shared/request-log.ts';

const USER_ID = '6f1c1d6e-8a5b-4b8e-9a43-2f7d1f0c0a11';
const JOB_ID = '0b9f0e7a-3c1d-4a53-8e2b-5d6c7f8e9a10';
const token = (claims: Record<string, unknown>) =>
  `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature-not-logged`;

const request = (path: string, init: RequestInit & { claims?: Record<string, unknown> } = {}) =>
  new Request(`http://functions.local${path}`, {
    ...init,
    headers: init.claims ? { Authorization: `Bearer ${token(init.claims)}` } : {},
  });

/** Every line written to stdout and stderr, parsed. */
function captureLines() {
  const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return () =>
    [...out.mock.calls, ...err.mock.calls].map(
      (args) => JSON.parse(String(args[0])) as Record<string, unknown>,
    );
}

describe('request log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one line per request with function, method, status, duration, user and job id', async () => {
    const lines = captureLines();
    const handler = handle(async (req) => {
      annotate(req, { job_id: JOB_ID });
      return json(200, { ok: true });
    });
    const res = await handler(
      request('/cancel-job', {
        method: 'POST',
        body: JSON.stringify({ job_id: JOB_ID, note: 'a body is never logged' }),
        claims: { sub: USER_ID, role: 'authenticated' },
      }),
    );
    expect(res.status).toBe(200);
    expect(lines()).toEqual([
      {
        level: 'info',
        msg: 'request',
        function: 'cancel-job',
        method: 'POST',
        status: 200,
        duration_ms: expect.any(Number),
        user_id: USER_ID,
        role: 'authenticated',
        job_id: JOB_ID,
      },
    ]);
  });

  it('logs a refused request at warn, without its token, body or query string', async () => {
    const lines = captureLines();
    const handler = handle(async () => {
      throw new HttpError(403, 'forbidden', 'Only the service role may call this function');
    });
    const res = await handler(
      request('/workflow-metrics?secret=query-value', {
        method: 'GET',
        claims: { role: 'anon' },
      }),
    );
    expect(res.status).toBe(403);
    const written = lines();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      level: 'warn',
      function: 'workflow-metrics',
      status: 403,
      user_id: null,
      role: 'anon',
    });
    const text = JSON.stringify(written);
    expect(text).not.toContain('signature-not-logged');
    expect(text).not.toContain('query-value');
  });

  it('an unexpected error is a 500 line at error, after the error line', async () => {
    const lines = captureLines();
    const handler = handle(async () => {
      throw new Error('boom');
    });
    const res = await handler(request('/me', { method: 'GET' }));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side' },
    });
    expect(lines()).toEqual([
      { level: 'error', msg: 'unhandled error', function: 'me', error: 'Error: boom' },
      expect.objectContaining({ level: 'error', msg: 'request', status: 500, user_id: null }),
    ]);
  });

  it('logs a CORS preflight too', async () => {
    const lines = captureLines();
    const res = await handle(async () => json(200, {}))(
      request('/start-workflow', { method: 'OPTIONS' }),
    );
    expect(res.status).toBe(200);
    expect(lines()).toMatchObject([{ msg: 'request', method: 'OPTIONS', status: 200 }]);
  });

  it.each([
    ['http://x/get-job/123', 'get-job'],
    ['http://x/functions/v1/list-jobs?limit=5', 'list-jobs'],
    ['http://x/', 'unknown'],
  ])('names the function of %s %s', (url, name) => {
    expect(functionName(url)).toBe(name);
  });
});
