import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { AuthContext, Handler } from './context.ts';
import { AuthHttpError, OAuthError, sendError, WeakPasswordError } from './errors.ts';
import {
  adminCreateUser,
  adminDeleteUser,
  adminGetUser,
  adminListUsers,
  adminUpdateUser,
} from './handlers/admin-users.ts';
import { logout } from './handlers/logout.ts';
import { health, jwks, settings } from './handlers/meta.ts';
import { signup } from './handlers/signup.ts';
import { token } from './handlers/token.ts';
import { getUser, updateUser } from './handlers/user.ts';
import { listMail, recover, verify } from './handlers/verify.ts';
import { Outbox } from './mailer.ts';
import {
  createLimiters,
  DEFAULT_RATE_LIMITS,
  overRequestRateLimit,
  rateLimitKey,
  type Limiters,
  type RateLimitSettings,
} from './rate-limit.ts';

export interface AuthServerOptions {
  pool: Pool;
  jwtSecret: string;
  /** The API gateway's URL, e.g. http://127.0.0.1:54321; tokens are issued by `${apiUrl}/auth/v1`. */
  apiUrl: string;
  /** `[auth] jwt_expiry` in config.toml; 3600 by default, as on Supabase. */
  jwtExpirySeconds?: number;
  /**
   * `[auth] refresh_token_reuse_interval` in config.toml: for how long after rotation an
   * old refresh token may still be exchanged (10 s by default, as in `supabase init`).
   */
  refreshTokenReuseIntervalSeconds?: number;
  /** `[auth.rate_limit]` in config.toml; the Supabase CLI's defaults for what is not given. */
  rateLimits?: Partial<RateLimitSettings>;
  /** GOTRUE_RATE_LIMIT_HEADER: only behind a proxy that writes this header itself. */
  rateLimitHeader?: string;
  /** `[auth.email] enable_confirmations`; off by default, as in `supabase init`. */
  enableConfirmations?: boolean;
  /** `[auth.email] double_confirm_changes`; on by default, as in GoTrue. */
  doubleConfirmChanges?: boolean;
  /** `[auth.email] max_frequency` in seconds; GoTrue's 60 when not given. */
  maxFrequencySeconds?: number;
  /** `[auth] site_url`, where confirmation links lead; the API's URL when not given. */
  siteUrl?: string;
}

export type AuthHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => Promise<void>;

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
  /** The per-address limiter the route counts against, as GoTrue's router applies them. */
  limit?: keyof Pick<Limiters, 'token' | 'signInSignUps' | 'verify'>;
}

// The part of GoTrue's API that supabase-js uses for email/password auth and user admin.
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/health$/, handler: health },
  { method: 'GET', pattern: /^\/settings$/, handler: settings },
  { method: 'GET', pattern: /^\/\.well-known\/jwks\.json$/, handler: jwks },
  { method: 'POST', pattern: /^\/signup$/, handler: signup, limit: 'signInSignUps' },
  { method: 'POST', pattern: /^\/token$/, handler: token, limit: 'token' },
  { method: 'POST', pattern: /^\/recover$/, handler: recover, limit: 'signInSignUps' },
  { method: 'GET', pattern: /^\/verify$/, handler: verify, limit: 'verify' },
  { method: 'POST', pattern: /^\/verify$/, handler: verify, limit: 'verify' },
  { method: 'GET', pattern: /^\/_mail$/, handler: listMail },
  { method: 'POST', pattern: /^\/logout$/, handler: logout },
  { method: 'GET', pattern: /^\/user$/, handler: getUser },
  { method: 'PUT', pattern: /^\/user$/, handler: updateUser, limit: 'signInSignUps' },
  { method: 'GET', pattern: /^\/admin\/users$/, handler: adminListUsers },
  { method: 'POST', pattern: /^\/admin\/users$/, handler: adminCreateUser },
  { method: 'GET', pattern: /^\/admin\/users\/([^/]+)$/, handler: adminGetUser },
  { method: 'PUT', pattern: /^\/admin\/users\/([^/]+)$/, handler: adminUpdateUser },
  { method: 'DELETE', pattern: /^\/admin\/users\/([^/]+)$/, handler: adminDeleteUser },
];

/** A path segment as text; a malformed escape becomes '', which no route accepts as an id. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

const isExpectedError = (err: unknown): boolean =>
  (err instanceof AuthHttpError && err.status < 500) ||
  err instanceof WeakPasswordError ||
  err instanceof OAuthError;

/**
 * A GoTrue-compatible auth server as a request handler, for the gateway to mount at
 * /auth/v1. `path` is what follows /auth/v1, query string included.
 */
export function createAuthHandler(opts: AuthServerOptions): AuthHandler {
  const ctx: AuthContext = {
    pool: opts.pool,
    jwtSecret: opts.jwtSecret,
    issuer: `${opts.apiUrl.replace(/\/+$/, '')}/auth/v1`,
    jwtExpirySeconds: opts.jwtExpirySeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: opts.refreshTokenReuseIntervalSeconds ?? 10,
    audience: 'authenticated',
    defaultRole: 'authenticated',
    adminRoles: ['service_role', 'supabase_admin'],
    limiters: createLimiters({ ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }),
    rateLimitHeader: opts.rateLimitHeader,
    enableConfirmations: opts.enableConfirmations ?? false,
    doubleConfirmChanges: opts.doubleConfirmChanges ?? true,
    maxFrequencySeconds: opts.maxFrequencySeconds ?? 60,
    siteUrl: opts.siteUrl ?? opts.apiUrl,
    apiUrl: opts.apiUrl.replace(/\/+$/, ''),
    outbox: new Outbox(),
  };

  return async (req, res, path) => {
    const queryStart = path.indexOf('?');
    const rawPath = queryStart === -1 ? path : path.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : path.slice(queryStart + 1));
    // GoTrue's router serves /user and /user/ alike.
    const pathname = rawPath.replace(/\/+$/, '') || '/';

    try {
      const candidates = ROUTES.filter((r) => r.pattern.test(pathname));
      if (candidates.length === 0) throw new AuthHttpError(404, undefined, 'Not Found');
      const route = candidates.find((r) => r.method === req.method);
      if (!route) throw new AuthHttpError(405, undefined, 'Method Not Allowed');
      if (route.limit) {
        const key = rateLimitKey(req, ctx.rateLimitHeader);
        const limiter = ctx.limiters[route.limit];
        if (key !== undefined && !limiter.take(key)) {
          throw overRequestRateLimit(limiter.retryAfterSeconds(key));
        }
      }
      const params = route.pattern.exec(pathname)?.slice(1).map(decodeSegment) ?? [];
      await route.handler(ctx, { req, res, path: pathname, query, params });
    } catch (err) {
      if (!isExpectedError(err)) console.error(`auth: ${req.method} ${pathname} failed:`, err);
      if (!res.headersSent) sendError(req, res, err);
      else res.destroy();
    }
  };
}
