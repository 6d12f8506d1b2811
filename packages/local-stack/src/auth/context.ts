import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Outbox } from './mailer.ts';
import type { Limiters } from './rate-limit.ts';

/** What every handler needs: the database and the settings a GoTrue instance is started with. */
export interface AuthContext {
  pool: Pool;
  jwtSecret: string;
  /** The `iss` of access tokens: `${apiUrl}/auth/v1`, as GOTRUE_JWT_ISSUER is on Supabase. */
  issuer: string;
  jwtExpirySeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  /** GOTRUE_JWT_AUD and GOTRUE_JWT_DEFAULT_GROUP_NAME: both `authenticated` on Supabase. */
  audience: string;
  defaultRole: string;
  /** Roles whose JWT may call /admin (GOTRUE_JWT_ADMIN_ROLES). */
  adminRoles: readonly string[];
  /** `[auth.rate_limit]`, per client address and (failed sign-ins) per account. */
  limiters: Limiters;
  /** GOTRUE_RATE_LIMIT_HEADER; unset: per-address limits key on the connection's address. */
  rateLimitHeader?: string;
  /** `[auth.email] enable_confirmations`: sign-up waits for the emailed link. */
  enableConfirmations: boolean;
  /** `[auth.email] double_confirm_changes`: an email change is confirmed at both addresses. */
  doubleConfirmChanges: boolean;
  /** `[auth.email] max_frequency`: least time between two recovery emails to one account. */
  maxFrequencySeconds: number;
  /** `[auth] site_url`: where confirmation links send the browser. */
  siteUrl: string;
  /** The API's URL (`${apiUrl}/auth/v1/verify` is in every link). */
  apiUrl: string;
  /** The messages this server "sent": the local mail catcher. */
  outbox: Outbox;
}

/** One request, routed: `path` is what follows /auth/v1, without the query string. */
export interface AuthRequest {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  query: URLSearchParams;
  /** Captured path segments, e.g. the user id of /admin/users/:id. */
  params: string[];
}

export type Handler = (ctx: AuthContext, request: AuthRequest) => Promise<void>;
