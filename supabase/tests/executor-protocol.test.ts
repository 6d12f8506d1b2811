// The orchestrator's side of the executor protocol (_shared/executor-protocol.ts), without a
// stack: how an answer is read, and how a claim's steps are cut into batch requests. The
// HTTP path is covered by executors-protocol and executors-batch.
import { describe, expect, it } from 'vitest';
import { batches, parseCall, readAnswer } from '../functions/_shared/executor-protocol.ts';

describe('readAnswer', () => {
  it.each([
    [
      'a 200 with output',
      200,
      { output: 1, usage: { t: 2 } },
      { ok: true, output: 1, usage: { t: 2 } },
    ],
    [
      'an error that says retryable',
      429,
      { error: { code: 'quota', message: 'm', retryable: false } },
      { ok: false, error: { code: 'quota', message: 'm', retryable: false } },
    ],
    [
      'a 4xx that does not say',
      404,
      { error: { code: 'nope', message: 'm' } },
      { ok: false, error: { code: 'nope', message: 'm', retryable: false } },
    ],
    [
      'a 503 without a body',
      503,
      undefined,
      {
        ok: false,
        error: { code: 'http_503', message: 'execute-x answered 503', retryable: true },
      },
    ],
    [
      'a batch entry (200) with an error that does not say',
      200,
      { error: { code: 'e', message: 'm' } },
      { ok: false, error: { code: 'e', message: 'm', retryable: true } },
    ],
    [
      'a 2xx without output',
      200,
      { nothing: true },
      {
        ok: false,
        error: {
          code: 'invalid_executor_response',
          message: 'execute-x answered 200 without { output }',
          retryable: true,
        },
      },
    ],
  ])('%s', (_label, status, body, expected) => {
    expect(readAnswer(status, body, 'execute-x')).toEqual(expected);
  });
});

describe('batches', () => {
  const size = (n: number) => n;

  it('cuts at the count, keeping order', () => {
    expect(batches([1, 1, 1, 1, 1], size, 2, 100)).toEqual([[1, 1], [1, 1], [1]]);
  });

  it('cuts before the size would pass the limit', () => {
    expect(batches([4, 4, 4, 1], size, 10, 8)).toEqual([
      [4, 4],
      [4, 1],
    ]);
  });

  it('an item larger than the limit goes alone', () => {
    expect(batches([1, 50, 1], size, 10, 8)).toEqual([[1], [50], [1]]);
  });

  it('nothing gives no batch', () => {
    expect(batches([], size, 10, 8)).toEqual([]);
  });
});

describe('parseCall', () => {
  const base = { job_id: 'j', step_id: 's', attempt: 1, input: {} };

  it("keeps the job's user beside its organisation", () => {
    expect(parseCall({ ...base, organisation_id: 'o', user_id: 'u' })).toEqual({
      ...base,
      organisation_id: 'o',
      user_id: 'u',
      config: {},
    });
  });

  it('a call without a user is still a call (executors that act as no one)', () => {
    expect(parseCall(base)).toEqual({ ...base, config: {} });
  });

  it.each([[''], [42]])('refuses user_id %j', (user_id) => {
    expect(parseCall({ ...base, user_id })).toBe('user_id must be a non-empty string');
  });
});
