import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF,
  DEFAULT_RETRY_POLICY,
  RETRY_POLICY_LIMITS,
  backoffOptions,
  nextRetryAt,
  retryDelayMs,
  retryPolicySchema,
  retryWindowMs,
  type BackoffOptions,
} from './backoff.ts';

const fixed = (value: number) => () => value;
const noJitter: BackoffOptions = { ...DEFAULT_BACKOFF, jitter: 'none' };

describe('retryWindowMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [9, 256_000],
    [10, 300_000],
    [50, 300_000],
    [2_000, 300_000],
  ])('attempt %i with the defaults has a window of %i ms', (attempt, expected) => {
    expect(retryWindowMs(attempt, DEFAULT_BACKOFF)).toBe(expected);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects attempt %s', (attempt) => {
    expect(() => retryWindowMs(attempt, DEFAULT_BACKOFF)).toThrow(RangeError);
  });
});

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, expected
    [1, 0, 0],
    [1, 0.5, 500],
    [1, 0.999999, 999],
    [1, 1, 999],
    [3, 0.25, 1_000],
    [10, 0.5, 150_000],
    [10, 1, 299_999],
  ])('full jitter: attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, DEFAULT_BACKOFF, fixed(random))).toBe(expected);
  });

  it.each([-0.5, 2, Number.POSITIVE_INFINITY])(
    'stays inside the window when the random source returns %d',
    (random) => {
      const delay = retryDelayMs(2, DEFAULT_BACKOFF, fixed(random));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(2_000);
    },
  );

  it.each([
    [1, 1_000],
    [2, 2_000],
    [4, 8_000],
    [20, 300_000],
  ])('without jitter attempt %i waits exactly %i ms', (attempt, expected) => {
    expect(retryDelayMs(attempt, noJitter, fixed(0.1))).toBe(expected);
  });

  it('honours a custom base, factor and cap', () => {
    const options: BackoffOptions = { baseMs: 500, factor: 3, capMs: 10_000, jitter: 'none' };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, options))).toEqual([
      500, 1_500, 4_500, 10_000, 10_000,
    ]);
  });

  it('every delay lies in [0, window) over many random draws', () => {
    let seed = 42;
    const lcg = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let attempt = 1; attempt <= 12; attempt++) {
      const window = retryWindowMs(attempt, DEFAULT_BACKOFF);
      for (let i = 0; i < 200; i++) {
        const delay = retryDelayMs(attempt, DEFAULT_BACKOFF, lcg);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(window);
      }
    }
  });
});

describe('nextRetryAt', () => {
  it.each([
    [1, 0.5, '2026-11-22T10:00:00.500Z'],
    [2, 0.5, '2026-11-22T10:00:01.000Z'],
    [10, 0, '2026-11-22T10:00:00.000Z'],
  ])('attempt %i with random %d is due at %s', (attempt, random, expected) => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(nextRetryAt(now, attempt, DEFAULT_BACKOFF, fixed(random)).toISOString()).toBe(expected);
  });
});

describe('retryPolicySchema', () => {
  it('fills in the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      max_retries: 3,
      base_ms: 1_000,
      factor: 2,
      cap_ms: 300_000,
      jitter: 'full',
    });
    expect(backoffOptions(DEFAULT_RETRY_POLICY)).toEqual(DEFAULT_BACKOFF);
  });

  it.each([
    [{ max_retries: 0 }],
    [{ max_retries: 20, base_ms: 100, factor: 1, cap_ms: 100 }],
    [{ base_ms: 3_600_000, cap_ms: 86_400_000, factor: 10, jitter: 'none' }],
  ])('accepts %j', (policy) => {
    expect(retryPolicySchema.safeParse(policy).success).toBe(true);
  });

  it.each([
    [{ max_retries: -1 }, ['max_retries']],
    [{ max_retries: 21 }, ['max_retries']],
    [{ max_retries: 1.5 }, ['max_retries']],
    [{ base_ms: 99 }, ['base_ms']],
    [{ factor: 0.5 }, ['factor']],
    [{ factor: 11 }, ['factor']],
    [{ cap_ms: 86_400_001 }, ['cap_ms']],
    [{ base_ms: 5_000, cap_ms: 1_000 }, ['cap_ms']],
    [{ jitter: 'equal' }, ['jitter']],
    [{ retries: 3 }, []],
  ])('rejects %j at %j', (policy, path) => {
    const result = retryPolicySchema.safeParse(policy);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
  // base_ms is tried under the highest cap, cap_ms over the lowest base, so the cap >= base
  // rule never decides the outcome.
  const within = (field: string, value: number) =>
    field === 'base_ms'
      ? { base_ms: value, cap_ms: RETRY_POLICY_LIMITS.cap_ms.max }
      : field === 'cap_ms'
        ? { base_ms: RETRY_POLICY_LIMITS.base_ms.min, cap_ms: value }
        : { [field]: value };

  it.each(Object.entries(RETRY_POLICY_LIMITS))(
    "%s: its limits are the schema's",
    (field, { min, max }) => {
      expect(retryPolicySchema.safeParse(within(field, min)).success).toBe(true);
      expect(retryPolicySchema.safeParse(within(field, max)).success).toBe(true);
      expect(retryPolicySchema.safeParse(within(field, min - 0.5)).success).toBe(false);
      expect(retryPolicySchema.safeParse(within(field, max + 0.5)).success).toBe(false);
    },
  );
});
