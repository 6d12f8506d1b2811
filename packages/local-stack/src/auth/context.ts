import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';

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
