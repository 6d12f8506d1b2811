// execute-echo over HTTP through the gateway: the output seed 003 expects and the test hooks
// the orchestrator's retry tests drive failures with.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from './support/env.ts';

async function echo(input: unknown, attempt = 1) {
  const res = await fetch(`${env.url}/functions/v1/execute-echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${env.serviceRoleKey}` },
    body: JSON.stringify({ job_id: randomUUID(), step_id: 'step1', attempt, input, config: {} }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('execute-echo', () => {
  it('echoes input.data as echoed_data', async () => {
    const data = { payload: [1, 'two', { three: null }] };
    expect(await echo({ data })).toEqual({ status: 200, body: { output: { echoed_data: data } } });
  });

  it('echoes a missing data as null', async () => {
    expect(await echo({})).toEqual({ status: 200, body: { output: { echoed_data: null } } });
  });

  it('an input that is not an object is a non-retryable 400', async () => {
    expect(await echo('hello')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', retryable: false } },
    });
  });

  it('fail_times fails the attempts up to it with a retryable 500, then succeeds', async () => {
    const input = { data: 'x', fail_times: 2 };
    for (const attempt of [1, 2]) {
      expect(await echo(input, attempt)).toMatchObject({
        status: 500,
        body: { error: { code: 'echo_failure', retryable: true } },
      });
    }
    expect(await echo(input, 3)).toEqual({ status: 200, body: { output: { echoed_data: 'x' } } });
  });

  it('fail_key counts calls per key rather than the attempt number', async () => {
    const input = { data: 1, fail_times: 1, fail_key: randomUUID() };
    expect((await echo(input, 5)).status).toBe(500);
    expect(await echo(input, 5)).toEqual({ status: 200, body: { output: { echoed_data: 1 } } });
  });

  it('fail_status sets the status; a 4xx is not retryable unless said otherwise', async () => {
    expect(await echo({ fail_times: 1, fail_status: 429 })).toMatchObject({
      status: 429,
      body: { error: { retryable: true } },
    });
    expect(await echo({ fail_times: 1, fail_status: 422 })).toMatchObject({
      status: 422,
      body: { error: { retryable: false } },
    });
  });

  it('non_retryable makes the failure non-retryable', async () => {
    expect(await echo({ fail_times: 1, non_retryable: true })).toMatchObject({
      status: 500,
      body: { error: { code: 'echo_failure', retryable: false } },
    });
  });

  it('delay_ms delays the answer', async () => {
    // Order, not a clock: sent first, the delayed call still answers after a prompt one.
    const finished: string[] = [];
    const track = (label: string, call: ReturnType<typeof echo>) =>
      call.then((result) => {
        finished.push(label);
        return result;
      });
    const late = track('late', echo({ data: 'late', delay_ms: 1500 }));
    const prompt = track('prompt', echo({ data: 'prompt' }));
    const [lateResult, promptResult] = await Promise.all([late, prompt]);
    expect(lateResult).toEqual({ status: 200, body: { output: { echoed_data: 'late' } } });
    expect(promptResult.status).toBe(200);
    expect(finished).toEqual(['prompt', 'late']);
  });

  it('a malformed hook is a 400', async () => {
    for (const input of [{ fail_times: -1 }, { delay_ms: 'soon' }, { fail_status: 200 }]) {
      expect((await echo(input)).status).toBe(400);
    }
  });
});
