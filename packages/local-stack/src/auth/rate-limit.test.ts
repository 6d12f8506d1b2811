import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLimiters, RateLimiter, rateLimitKey } from './rate-limit.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a full burst through, then refuses until a token has refilled', () => {
    const time = clock();
    const limiter = new RateLimiter(1 / 10, 3, time.now); // one token every 10 s
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    time.advance(9_999);
    expect(limiter.take('a')).toBe(false);
    time.advance(1);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('says in whole seconds when a refused key has a token again', () => {
    const time = clock();
    const limiter = new RateLimiter(1 / 10, 1, time.now);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.retryAfterSeconds('a')).toBe(10);
    time.advance(2_500);
    expect(limiter.retryAfterSeconds('a')).toBe(8);
    time.advance(7_500);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    expect(new RateLimiter(0, 1, time.now).retryAfterSeconds('b')).toBe(1);
    const never = new RateLimiter(0, 1, time.now);
    never.take('b');
    expect(never.retryAfterSeconds('b')).toBe(86_400);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(0, 1, clock().now);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
  });

  it('takes a refunded token back, never above the burst', () => {
    const limiter = new RateLimiter(0, 2, clock().now);
    limiter.refund('a');
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([true, true, false]);
    limiter.refund('a');
    expect(limiter.take('a')).toBe(true);
  });
});

describe('createLimiters', () => {
  it('gives per-address limits GoTrue’s burst of 30 and refills them at the count per 5 minutes', () => {
    const time = clock();
    const { token } = createLimiters(
      {
        tokenRefresh: 150,
        signInSignUps: 30,
        tokenVerifications: 30,
        emailSent: 30,
        failedSignInsPerAccount: 10,
      },
      time.now,
    );
    for (let i = 0; i < 30; i++) expect(token.take('ip')).toBe(true);
    expect(token.take('ip')).toBe(false);
    time.advance(2_000); // 150 per 300 s: one every 2 s
    expect(token.take('ip')).toBe(true);
    expect(token.take('ip')).toBe(false);
  });
});

describe('rateLimitKey', () => {
  const request = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it('keys on the connection, not on an X-Forwarded-For the caller wrote', () => {
    expect(rateLimitKey(request({ 'x-forwarded-for': '10.1.2.3' }))).toBe('127.0.0.1');
  });

  it("keys on a trusted header's first value when one is configured, and skips requests without it", () => {
    const header = 'X-Real-Client';
    expect(rateLimitKey(request({ 'x-real-client': '10.1.2.3, 10.0.0.1' }), header)).toBe(
      '10.1.2.3',
    );
    expect(rateLimitKey(request({}), header)).toBeUndefined();
  });
});
