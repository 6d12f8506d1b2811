// execute-http-request over HTTP through the gateway, against a server this file starts on
// 127.0.0.1. `pnpm test` gives the functions HTTP_REQUEST_ALLOWED_HOSTS=127.0.0.1,*.localhost
// and exports the same value here; against a Supabase configured otherwise the file is skipped.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { loopbackHttp, needs } from './support/needs.ts';

async function httpRequest(input: unknown, config: Record<string, unknown> = {}) {
  const res = await fetch(`${env.url}/functions/v1/execute-http-request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${env.serviceRoleKey}` },
    body: JSON.stringify({ job_id: randomUUID(), step_id: 'call', attempt: 1, input, config }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
}

describe('execute-http-request', needs(loopbackHttp), () => {
  let server: Server;
  let port = 0;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (url.pathname === '/echo') {
          res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
          res.end(
            JSON.stringify({
              method: req.method,
              contentType: req.headers['content-type'] ?? null,
              custom: req.headers['x-custom'] ?? null,
              authorization: req.headers.authorization ?? null,
              body,
            }),
          );
        } else if (url.pathname === '/text') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('plain words');
        } else if (url.pathname.startsWith('/status/')) {
          res.writeHead(Number(url.pathname.slice('/status/'.length)), {
            'content-type': 'text/plain',
          });
          res.end('upstream says no');
        } else if (url.pathname === '/redirect') {
          res.writeHead(Number(url.searchParams.get('code') ?? 302), {
            location: url.searchParams.get('to') ?? '/echo',
          });
          res.end();
        } else if (url.pathname === '/big') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('x'.repeat(64 * 1024));
        } else if (url.pathname === '/slow') {
          setTimeout(() => res.end('finally'), 3_000);
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a GET to an allowed host returns status, headers and the parsed JSON body', async () => {
    const { status, body } = await httpRequest({ method: 'GET', url: `${base}/echo` });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      output: {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-upstream': 'yes' },
        body: { method: 'GET', body: '' },
      },
    });
  });

  it('a POST sends a JSON body with its content type and the given headers', async () => {
    const { body } = await httpRequest({
      method: 'POST',
      url: `${base}/echo`,
      headers: { 'x-custom': 'forkflow' },
      body: { order: 42 },
    });
    expect(body).toMatchObject({
      output: {
        body: {
          method: 'POST',
          contentType: 'application/json',
          custom: 'forkflow',
          body: '{"order":42}',
        },
      },
    });
  });

  it('the URL and method can come from the transformer config', async () => {
    const { body } = await httpRequest({}, { url: `${base}/text`, method: 'GET' });
    expect(body).toMatchObject({ output: { status: 200, body: 'plain words' } });
  });

  it('a host not in HTTP_REQUEST_ALLOWED_HOSTS is refused, not retryable, saying how to allow it', async () => {
    const { status, body } = await httpRequest({ url: 'https://example.com/hook' });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'host_not_allowed', retryable: false });
    expect(body.error).toHaveProperty(
      'message',
      expect.stringContaining('HTTP_REQUEST_ALLOWED_HOSTS'),
    );
  });

  it.each([
    ['the cloud metadata endpoint', 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', 'http://10.0.0.1/'],
    ['localhost, which is not listed', `http://localhost:${0}/echo`],
    ['IPv6 loopback', 'http://[::1]/'],
  ])('%s is refused', async (_what, url) => {
    const { status, body } = await httpRequest({ url: url.replace(':0/', `:${port}/`) });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'host_not_allowed', retryable: false });
  });

  it('a wildcard-allowed host that resolves to loopback is refused unless listed exactly', async () => {
    const { status, body } = await httpRequest({ url: `http://api.localhost:${port}/echo` });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'address_not_allowed', retryable: false });
  });

  it('schemes other than http and https are refused', async () => {
    const { body } = await httpRequest({ url: 'file:///etc/passwd' });
    expect(body.error).toMatchObject({ code: 'url_not_allowed', retryable: false });
  });

  it('a redirect to an allowed host is followed, as a GET after a 303', async () => {
    const { body } = await httpRequest({
      method: 'POST',
      url: `${base}/redirect?code=303&to=/echo`,
      body: { a: 1 },
    });
    expect(body).toMatchObject({ output: { status: 200, body: { method: 'GET', body: '' } } });
  });

  it('credentials are not carried to another origin on a redirect', async () => {
    const other = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const to = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
      const headers = { authorization: 'Bearer upstream-secret' };
      const sameOrigin = await httpRequest({ url: `${base}/redirect?to=/echo`, headers });
      expect(sameOrigin.body).toMatchObject({
        output: { body: { authorization: 'Bearer upstream-secret' } },
      });
      const crossOrigin = await httpRequest({
        url: `${base}/redirect?to=${encodeURIComponent(to)}`,
        headers,
      });
      expect(crossOrigin.body).toMatchObject({ output: { body: { authorization: null } } });
    } finally {
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it.each([
    ['the metadata endpoint', 'http://169.254.169.254/latest/meta-data/'],
    ['a host not listed', 'https://example.com/'],
    ['localhost', 'http://localhost:1/echo'],
  ])('a redirect to %s is refused', async (_what, to) => {
    const { status, body } = await httpRequest({
      url: `${base}/redirect?to=${encodeURIComponent(to)}`,
    });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'redirect_not_allowed', retryable: false });
  });

  it('an upstream 5xx or 429 is a retryable failure', async () => {
    for (const code of [503, 429]) {
      const { status, body } = await httpRequest({ url: `${base}/status/${code}` });
      expect(status).toBe(502);
      expect(body.error).toMatchObject({ code: 'upstream_error', retryable: true });
      expect(body.error).toHaveProperty('message', expect.stringContaining(String(code)));
    }
  });

  it('an upstream 4xx is a non-retryable failure naming the status', async () => {
    const { status, body } = await httpRequest({ url: `${base}/status/404` });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_rejected', retryable: false });
    expect(body.error).toHaveProperty('message', expect.stringContaining('404'));
  });

  it('a response over max_response_bytes is refused', async () => {
    const { body } = await httpRequest({ url: `${base}/big` }, { max_response_bytes: 1000 });
    expect(body.error).toMatchObject({ code: 'response_too_large', retryable: false });
  });

  it('an upstream slower than timeout_ms is a retryable timeout', async () => {
    const { status, body } = await httpRequest({ url: `${base}/slow` }, { timeout_ms: 300 });
    expect(status).toBe(504);
    expect(body.error).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('a GET with a body and a bad URL are 400s', async () => {
    expect((await httpRequest({ method: 'GET', url: `${base}/echo`, body: 'x' })).status).toBe(400);
    expect((await httpRequest({ url: 'not a url' })).status).toBe(400);
    expect((await httpRequest({ method: 'TRACE', url: `${base}/echo` })).status).toBe(400);
  });
});
