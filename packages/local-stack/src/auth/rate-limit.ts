import type { IncomingMessage } from 'node:http';
import { AuthHttpError } from './errors.ts';

/**
 * `[auth.rate_limit]` of config.toml, as the Supabase CLI hands it to GoTrue: counts per
 * 5 minutes per client address (GoTrue's tollbooth limiters, a token bucket that starts full
 * with a burst of 30 and refills at the count / 300 s).
 */
export interface RateLimitSettings {
  /** `token_refresh` (GOTRUE_RATE_LIMIT_TOKEN_REFRESH): POST /token, every grant. */
  tokenRefresh: number;
  /** `sign_in_sign_ups` (GOTRUE_RATE_LIMIT_OTP): POST /signup, POST /recover, PUT /user. */
  signInSignUps: number;
  /** `token_verifications` (GOTRUE_RATE_LIMIT_VERIFY): GET and POST /verify. */
  tokenVerifications: number;
  /**
   * Emails per hour for the whole project. The CLI passes `email_sent` only with custom SMTP
   * (`[auth.email.smtp]`); with its local mail catcher GoTrue's own default of 30 applies.
   */
  emailSent: number;
  /**
   * Ours, not GoTrue's: failed password sign-ins per account (email address) before further
   * attempts answer 429, refilled at this count per 15 minutes. Per-address limits alone let
   * a guesser spread over many addresses; this bounds the guesses at any one account
   * (10 per 15 min: under 1,000 a day) while a user who mistypes a few times never sees it.
   */
  failedSignInsPerAccount: number;
}

/** The Supabase CLI's defaults (`supabase init`), with GoTrue's 30 emails an hour. */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  tokenRefresh: 150,
  signInSignUps: 30,
  tokenVerifications: 30,
  emailSent: 30,
  failedSignInsPerAccount: 10,
};

/** GoTrue's burst for every per-address limiter (apilimiter.newLimiterPer5mOver1h). */
const GOTRUE_BURST = 30;
const ONE_DAY_SECONDS = 86_400;
/** Most keys a limiter remembers; the oldest are forgotten first (bounded memory). */
const MAX_KEYS = 100_000;

/** A token bucket per key: `burst` to start with, refilled at `perSecond`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  private level(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.burst;
    const refill = ((this.now() - bucket.at) / 1000) * this.perSecond;
    return Math.min(this.burst, bucket.tokens + refill);
  }

  private set(key: string, tokens: number): void {
    this.buckets.delete(key); // re-inserted last, so the map stays in least-recent order
    if (tokens >= this.burst) return; // a full bucket is the same as none
    this.buckets.set(key, { tokens, at: this.now() });
    if (this.buckets.size > MAX_KEYS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  /** Takes one request's token for `key`: false when there is none left. */
  take(key: string): boolean {
    const tokens = this.level(key);
    if (tokens < 1) return false;
    this.set(key, tokens - 1);
    return true;
  }

  /**
   * Whole seconds until `key` has a token again (1 to a day; a bucket that never refills
   * says a day): a 429's Retry-After.
   */
  retryAfterSeconds(key: string): number {
    const missing = 1 - this.level(key);
    if (missing <= 0) return 1;
    if (this.perSecond <= 0) return ONE_DAY_SECONDS;
    return Math.min(ONE_DAY_SECONDS, Math.max(1, Math.ceil(missing / this.perSecond)));
  }

  /** Gives back a token taken for a request that turned out not to count. */
  refund(key: string): void {
    this.set(key, this.level(key) + 1);
  }
}

// A 429 says when to come back (`Retry-After`, whole seconds until the bucket has a token),
// so a client or script backs off for the right time instead of guessing. GoTrue answers the
// same status, code and body; the header is an addition clients may ignore.
export const overRequestRateLimit = (retryAfterSeconds?: number): AuthHttpError =>
  new AuthHttpError(
    429,
    'over_request_rate_limit',
    'Request rate limit reached',
    retryAfterSeconds,
  );
export const overEmailSendRateLimit = (retryAfterSeconds?: number): AuthHttpError =>
  new AuthHttpError(
    429,
    'over_email_send_rate_limit',
    'Email rate limit exceeded',
    retryAfterSeconds,
  );

export interface Limiters {
  token: RateLimiter;
  signInSignUps: RateLimiter;
  verify: RateLimiter;
  /** One bucket for the whole project ('' is its only key). */
  emailSent: RateLimiter;
  failedSignIns: RateLimiter;
}

export function createLimiters(settings: RateLimitSettings, now?: () => number): Limiters {
  const per5Minutes = (count: number): RateLimiter =>
    new RateLimiter(count / 300, GOTRUE_BURST, now);
  return {
    token: per5Minutes(settings.tokenRefresh),
    signInSignUps: per5Minutes(settings.signInSignUps),
    verify: per5Minutes(settings.tokenVerifications),
    emailSent: new RateLimiter(settings.emailSent / 3600, settings.emailSent, now),
    failedSignIns: new RateLimiter(
      settings.failedSignInsPerAccount / 900,
      settings.failedSignInsPerAccount,
      now,
    ),
  };
}

/**
 * The key per-address limits count under. GoTrue keys on the header named by
 * GOTRUE_RATE_LIMIT_HEADER (set behind a proxy that writes it) and skips limiting when that
 * header is missing. Here nothing sits in front of the server that could be trusted to write
 * such a header, so by default the key is the connection's own address: an X-Forwarded-For
 * the caller writes changes nothing. With `header` set, its first comma-separated value is
 * the key, and a request without it is not limited, as in GoTrue.
 */
export function rateLimitKey(req: IncomingMessage, header?: string): string | undefined {
  if (!header) return req.socket.remoteAddress ?? '';
  const raw = req.headers[header.toLowerCase()];
  const value = (Array.isArray(raw) ? raw.join(',') : raw)?.split(',')[0]?.trim();
  return value || undefined;
}
