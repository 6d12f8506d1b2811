import type { IncomingMessage } from 'node:http';
import type { AuthContext } from './context.ts';
import { AuthHttpError, badRequest, forbidden } from './errors.ts';
import { bearerToken } from './http.ts';
import { findSession, type SessionRow } from './sessions-store.ts';
import { verifyJwt, type VerifiedClaims } from './tokens.ts';
import { findUserById, type StoredUser } from './users-store.ts';
import { isUuid } from './validation.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

async function verifiedBearer(ctx: AuthContext, req: IncomingMessage): Promise<VerifiedClaims> {
  const token = bearerToken(req);
  if (!token)
    throw new AuthHttpError(401, 'no_authorization', 'This endpoint requires a Bearer token');
  return verifyJwt(token, ctx.jwtSecret);
}

export interface Caller {
  claims: VerifiedClaims;
  user: StoredUser;
  /** Null only for tokens minted without a session_id (GoTrue tolerates those). */
  session: SessionRow | null;
}

/**
 * GoTrue's requireAuthentication: a valid JWT whose user still exists and, when it names a
 * session, whose session still exists. A signed-out session's access token is refused here
 * (403 session_not_found) even before it expires, which auth-js turns into "no session".
 */
export async function requireUser(ctx: AuthContext, req: IncomingMessage): Promise<Caller> {
  const claims = await verifiedBearer(ctx, req);
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');

  const user = await findUserById(ctx.pool, claims.sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');

  let session: SessionRow | null = null;
  const sessionId = claims.session_id;
  if (sessionId && sessionId !== NIL_UUID) {
    if (!isUuid(sessionId))
      throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    session = await findSession(ctx.pool, sessionId);
    if (!session)
      throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  return { claims, user, session };
}

/** GoTrue's requireAdminCredentials: any valid JWT whose `role` is an admin role. */
export async function requireAdmin(
  ctx: AuthContext,
  req: IncomingMessage,
): Promise<VerifiedClaims> {
  const claims = await verifiedBearer(ctx, req);
  if (!claims.role || !ctx.adminRoles.includes(claims.role))
    throw forbidden('not_admin', 'User not allowed');
  return claims;
}
