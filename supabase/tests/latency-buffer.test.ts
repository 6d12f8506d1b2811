// How `handle`'s durations reach Postgres (_shared/latency.ts), called directly without a
// stack: buffered, sent together about a second later, at once when the buffer is full, and
// dropped with a log line when the write fails. function-latency.test.ts covers the real path.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordDuration } from '../functions/_shared/latency.ts';

const fetchMock = vi.fn<typeof fetch>();
const waitUntil = vi.fn<(promise: Promise<unknown>) => void>();
const env: Record<string, string> = {
  SUPABASE_URL: 'http://api.local',
  SUPABASE_SERVICE_ROLE_KEY: 'service-key',
};

beforeAll(() => {
  vi.stubGlobal('Deno', { env: { get: (name: string) => env[name] } });
  vi.stubGlobal('EdgeRuntime', { waitUntil });
  vi.stubGlobal('fetch', fetchMock);
});

afterAll(() => vi.unstubAllGlobals());

afterEach(() => {
  fetchMock.mockReset();
  waitUntil.mockReset();
  vi.useRealTimers();
});

const sentSamples = () =>
  fetchMock.mock.calls.map(
    ([, init]) =>
      (JSON.parse(String(init?.body)) as { p_samples: Record<string, number[]> }).p_samples,
  );

describe('latency buffer', () => {
  it('sends the durations of a second together, after the responses, with the service key', async () => {
    vi.useFakeTimers();
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    recordDuration('get-job', 12.345);
    recordDuration('get-job', 3);
    recordDuration('me', 7);
    expect(fetchMock).not.toHaveBeenCalled();
    // The isolate is kept alive until the send (hosted: EdgeRuntime.waitUntil), once.
    expect(waitUntil).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('http://api.local/rest/v1/rpc/record_function_durations');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer service-key');
    expect(sentSamples()).toEqual([{ 'get-job': [12.3, 3], me: [7] }]);
    await expect(waitUntil.mock.calls[0]![0]).resolves.toBeUndefined();
  });

  it('sends at once when 5 000 durations wait', async () => {
    vi.useFakeTimers();
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    for (let i = 0; i < 5_000; i++) recordDuration('execute-echo', 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(sentSamples()[0]!['execute-echo']).toHaveLength(5_000);
    // The timer started by the first of them finds nothing left to send.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // Every promise the isolate was kept alive for settles: none holds it until its limit.
    vi.useRealTimers();
    const settled = await Promise.race([
      Promise.all(waitUntil.mock.calls.map(([promise]) => promise)).then(() => true),
      new Promise((resolve) => setImmediate(() => resolve(false))),
    ]);
    expect(settled).toBe(true);
  });

  it('logs a failed write and drops its durations', async () => {
    vi.useFakeTimers();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    fetchMock.mockResolvedValueOnce(new Response('{"code":"42501"}', { status: 401 }));
    recordDuration('me', 5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({
      level: 'warn',
      msg: 'durations not recorded',
      status: 401,
    });
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    recordDuration('me', 6);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sentSamples().at(-1)).toEqual({ me: [6] });
    log.mockRestore();
  });

  it('sends nothing without the service key (a function outside Supabase)', async () => {
    vi.useFakeTimers();
    delete env.SUPABASE_SERVICE_ROLE_KEY;
    recordDuration('me', 5);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetchMock).not.toHaveBeenCalled();
    env.SUPABASE_SERVICE_ROLE_KEY = 'service-key';
  });
});
