// CORS of every function (`handle` in _shared/http.ts) called directly, without a stack:
// the user's token rides on these calls, so only the dashboard's origins may read answers.
// Through the gateway: functions.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handle, json } from '../functions/_shared/http.ts';

const handler = handle(async () => json(200, { ok: true }));

const call = (origin: string | undefined, method = 'GET') =>
  handler(
    new Request('http://functions.local/me', {
      method,
      headers: origin === undefined ? {} : { Origin: origin },
    }),
  );

describe('function CORS', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it.each(['http://localhost:5173', 'http://127.0.0.1:5173'])(
    'answers the local dashboard %s by default, preflight and call',
    async (origin) => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      vi.stubEnv('ALLOWED_ORIGINS', '');
      for (const method of ['OPTIONS', 'GET']) {
        const res = await call(origin, method);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('vary')).toBe('Origin');
      }
    },
  );

  it.each([
    'https://evil.example',
    'http://localhost:5174',
    'null',
    'http://localhost:5173.evil.example',
  ])('gives no Allow-Origin to %s', async (origin) => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('ALLOWED_ORIGINS', '');
    for (const method of ['OPTIONS', 'GET']) {
      const res = await call(origin, method);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      // The allowed headers and methods are no secret; without Allow-Origin they open nothing.
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    }
  });

  it('answers the origins ALLOWED_ORIGINS lists, a :* entry any port of its host', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('ALLOWED_ORIGINS', 'https://app.example.com, http://127.0.0.1:*');
    const allowed = async (origin: string) =>
      (await call(origin)).headers.get('access-control-allow-origin');
    expect(await allowed('https://app.example.com')).toBe('https://app.example.com');
    expect(await allowed('http://127.0.0.1:41234')).toBe('http://127.0.0.1:41234');
    expect(await allowed('http://localhost:5173')).toBeNull();
    expect(await allowed('http://127.0.0.1:41234.evil.example')).toBeNull();
    expect(await allowed('https://app.example.com.evil.example')).toBeNull();
  });

  it('a call without an Origin (a server, curl) is answered without Allow-Origin', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const res = await call(undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
