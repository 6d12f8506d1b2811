import { z } from 'zod';

// Retry delays for failed workflow steps (issue 4, "Failures and retries"). Exponential
// backoff with "full jitter" as in AWS's "Exponential Backoff and Jitter": the delay is
// uniform in [0, min(cap, base · factor^(attempt-1))). Spreading retries over the whole
// window, rather than adding a little noise to a fixed delay, is what stops many jobs that
// failed together (an upstream outage) from retrying together and failing again; AWS's
// simulation found it did the least total work of the variants compared.
//
// Defaults: base 1 s, factor 2, cap 5 min, 3 retries: the windows are 1 s, 2 s, 4 s, and
// a step that keeps failing gives up within about 7 s of the first failure. The cap only
// matters for policies with many retries (attempt 10 would otherwise wait up to 8.5 min).
// Pure: the random source is injected so tests are deterministic.

export const DEFAULT_RETRY_BASE_MS = 1_000;
export const DEFAULT_RETRY_FACTOR = 2;
export const DEFAULT_RETRY_CAP_MS = 5 * 60_000;
export const DEFAULT_MAX_RETRIES = 3;

export type RetryJitter = 'full' | 'none';

export type BackoffOptions = {
  baseMs: number;
  factor: number;
  capMs: number;
  jitter: RetryJitter;
};

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  baseMs: DEFAULT_RETRY_BASE_MS,
  factor: DEFAULT_RETRY_FACTOR,
  capMs: DEFAULT_RETRY_CAP_MS,
  jitter: 'full',
});

/** The upper end of the delay window for a retry (1 = the first retry). */
export function retryWindowMs(attempt: number, options: Omit<BackoffOptions, 'jitter'>): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer from 1, got ${attempt}`);
  }
  // factor^(attempt-1) overflows to Infinity for large attempts; min() with the cap keeps
  // the result finite.
  return Math.min(options.capMs, options.baseMs * options.factor ** (attempt - 1));
}

/**
 * How long to wait before retry number `attempt` (1 = the first retry), in whole
 * milliseconds. With full jitter it lies in [0, window); without, it is the window.
 */
export function retryDelayMs(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const window = retryWindowMs(attempt, options);
  if (options.jitter === 'none') return Math.round(window);
  // Clamp so a random source returning exactly 1 (or a bad stub) cannot leave the window.
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * window), Math.max(Math.ceil(window) - 1, 0));
}

/** When retry number `attempt` becomes due, counted from `now` (the failure). */
export function nextRetryAt(
  now: Date,
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): Date {
  return new Date(now.getTime() + retryDelayMs(attempt, options, random));
}

/**
 * The bounds of a retry policy's numbers, inclusive: they keep a typo from scheduling a retry
 * days away or hammering an executor. The schema below and the web form both read them; SQL
 * repeats only max_retries' (jobs_max_retries_range, save_workflow).
 */
export const RETRY_POLICY_LIMITS = {
  max_retries: { min: 0, max: 20 },
  base_ms: { min: 100, max: 3_600_000 },
  factor: { min: 1, max: 10 },
  cap_ms: { min: 100, max: 86_400_000 },
} as const;

const L = RETRY_POLICY_LIMITS;

// A workflow's retry policy as stored (snake_case, like the rest of the jsonb/columns).
export const retryPolicySchema = z
  .strictObject({
    max_retries: z.int().min(L.max_retries.min).max(L.max_retries.max).default(DEFAULT_MAX_RETRIES),
    base_ms: z.int().min(L.base_ms.min).max(L.base_ms.max).default(DEFAULT_RETRY_BASE_MS),
    factor: z.number().min(L.factor.min).max(L.factor.max).default(DEFAULT_RETRY_FACTOR),
    cap_ms: z.int().min(L.cap_ms.min).max(L.cap_ms.max).default(DEFAULT_RETRY_CAP_MS),
    jitter: z.enum(['full', 'none']).default('full'),
  })
  .refine((policy) => policy.cap_ms >= policy.base_ms, {
    message: 'cap_ms must be at least base_ms',
    path: ['cap_ms'],
  });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze(
  retryPolicySchema.parse({}),
);

export function backoffOptions(policy: RetryPolicy): BackoffOptions {
  return {
    baseMs: policy.base_ms,
    factor: policy.factor,
    capMs: policy.cap_ms,
    jitter: policy.jitter,
  };
}
