// The executor wrapper (_shared/executor.ts) called directly, without a stack: the log line
// every call writes and the response shapes. The HTTP path is covered by executors-protocol.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExecutorError, executor } from '../functions/_shared/executor.ts';
import { signed as token } from './support/jwt.ts';

const call = { job_id: 'job-1', step_id: 'step1', attempt: 2, input: { a: 1 }, config: {} };

const request = (body: unknown, role = 'service_role') =>
  new Request('http://functions/execute-test', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token({ role })}` },
    body: JSON.stringify(body),
  });

/** The wrapper's own lines, one per call (`handle` adds one per request: request-log.ts). */
function logLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .flatMap((args) => String(args[0]).split('\n'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'executor call');
}

describe('executor wrapper', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers the output and usage, and logs one line with the call and its outcome', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = executor('execute-test', async ({ input }) => ({
      output: { got: input },
      usage: { total_tokens: 3 },
    }));
    const res = await handler(request(call));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ output: { got: { a: 1 } }, usage: { total_tokens: 3 } });
    const lines = logLines(log);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'executor call',
      function: 'execute-test',
      job_id: 'job-1',
      step_id: 'step1',
      attempt: 2,
      duration_ms: expect.any(Number),
      outcome: 'succeeded',
    });
  });

  it('an ExecutorError becomes its status and { error: { code, message, retryable } }', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = executor('execute-test', async () => {
      throw new ExecutorError('quota', 'Out of quota', { retryable: true, status: 429 });
    });
    const res = await handler(request(call));
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: { code: 'quota', message: 'Out of quota', retryable: true },
    });
    expect(logLines(log)[0]).toMatchObject({
      level: 'warn',
      outcome: 'failed',
      error_code: 'quota',
      retryable: true,
    });
  });

  it('without a status, a retryable failure is a 503 and a final one a 422', () => {
    expect(new ExecutorError('a', 'a', { retryable: true }).status).toBe(503);
    expect(new ExecutorError('b', 'b', { retryable: false }).status).toBe(422);
  });

  it('an unexpected exception is a retryable 500 that does not leak its message', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = executor('execute-test', async () => {
      throw new Error('secret detail');
    });
    const res = await handler(request(call));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { message: string; retryable: boolean } };
    expect(body.error.retryable).toBe(true);
    expect(body.error.message).not.toContain('secret detail');
    expect(logLines(log)[0]).toMatchObject({ level: 'error', error: 'Error: secret detail' });
  });

  it('roles other than service_role are refused before the executor runs', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const run = vi.fn();
    const handler = executor('execute-test', run);
    for (const role of ['authenticated', 'anon', '']) {
      expect((await handler(request(call, role))).status).toBe(403);
    }
    const unsigned = new Request('http://functions/execute-test', {
      method: 'POST',
      body: '{}',
    });
    expect((await handler(unsigned)).status).toBe(401);
    expect(run).not.toHaveBeenCalled();
  });

  it('config defaults to an empty object', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = executor('execute-test', async ({ config }) => ({ output: config }));
    const { config: _omitted, ...withoutConfig } = call;
    expect(await (await handler(request(withoutConfig))).json()).toEqual({ output: {} });
  });

  describe('a batch { calls: [...] }', () => {
    const calls = ['ok', 'busy', 'refused', 'bug'].map((kind, i) => ({
      ...call,
      job_id: `job-${i}`,
      input: { kind },
    }));
    const run = async ({ input }: { input: unknown }) => {
      const kind = (input as { kind: string }).kind;
      if (kind === 'busy')
        throw new ExecutorError('busy', 'Try later', { retryable: true, usage: { calls: 1 } });
      if (kind === 'refused') throw new ExecutorError('refused', 'Never', { retryable: false });
      if (kind === 'bug') throw new Error('secret detail');
      return { output: { kind } };
    };

    it("answers 200 with each call's own result or error, in call order", async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const res = await executor('execute-test', run)(request({ calls }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        results: [
          { output: { kind: 'ok' } },
          { error: { code: 'busy', message: 'Try later', retryable: true }, usage: { calls: 1 } },
          { error: { code: 'refused', message: 'Never', retryable: false } },
          {
            error: {
              code: 'internal_error',
              message: 'The executor failed unexpectedly',
              retryable: true,
            },
          },
        ],
      });
      const lines = logLines(log);
      expect(lines.map((l) => [l.job_id, l.outcome, l.batch])).toEqual(
        expect.arrayContaining([
          ['job-0', 'succeeded', 4],
          ['job-1', 'failed', 4],
          ['job-2', 'failed', 4],
          ['job-3', 'failed', 4],
        ]),
      );
      expect(lines).toHaveLength(4);
    });

    it('a call that is not a call fails alone, as invalid_request', async () => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const res = await executor(
        'execute-test',
        run,
      )(request({ calls: [calls[0], { job_id: 'x', attempt: 1 }] }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: unknown[] };
      expect(body.results[0]).toEqual({ output: { kind: 'ok' } });
      expect(body.results[1]).toMatchObject({
        error: { code: 'invalid_request', retryable: false },
      });
    });

    it('calls that are not a list of 1 to 1000 are refused whole with 400', async () => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const spy = vi.fn(run);
      const handler = executor('execute-test', spy);
      for (const bad of [[], 'x', Array.from({ length: 1001 }, () => calls[0])]) {
        const res = await handler(request({ calls: bad }));
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          error: { code: 'invalid_request', retryable: false },
        });
      }
      expect(spy).not.toHaveBeenCalled();
    });

    it('the role is checked before any call of a batch runs', async () => {
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const spy = vi.fn(run);
      const res = await executor('execute-test', spy)(request({ calls }, 'authenticated'));
      expect(res.status).toBe(403);
      expect(spy).not.toHaveBeenCalled();
    });
  });
});
