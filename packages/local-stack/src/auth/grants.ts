import type { AuthContext } from './context.ts';
import { CommitThenThrow, withTransaction, type Queryable } from './db.ts';
import { badRequest, internalError, type WeakPasswordError } from './errors.ts';
import {
  activeRefreshToken,
  createSession,
  deleteRefreshToken,
  insertRefreshToken,
  lockRefreshToken,
  revokeRefreshToken,
  revokeSessionRefreshTokens,
  touchSessionRefresh,
  type ClientInfo,
  type SessionRow,
} from './sessions-store.ts';
import { signAccessToken } from './tokens.ts';
import {
  findUserById,
  isBanned,
  touchLastSignIn,
  userJson,
  type JsonMap,
  type StoredUser,
} from './users-store.ts';
import { isUuid } from './validation.ts';

/** GoTrue's AccessTokenResponse, the body of every grant and of an auto-confirmed sign-up. */
function tokenResponse(
  ctx: AuthContext,
  user: StoredUser,
  session: SessionRow,
  refreshToken: string,
  weakPassword?: WeakPasswordError,
): JsonMap {
  const { token, expiresAt } = signAccessToken(
    {
      id: user.id,
      aud: user.aud,
      role: user.role,
      email: user.email ?? '',
      phone: user.phone ?? '',
      appMetadata: user.raw_app_meta_data ?? {},
      userMetadata: user.raw_user_meta_data ?? {},
      isAnonymous: user.is_anonymous,
    },
    { id: session.id, aal: session.aal ?? 'aal1', authenticatedAt: session.created_at },
    { jwtSecret: ctx.jwtSecret, issuer: ctx.issuer, expirySeconds: ctx.jwtExpirySeconds },
  );
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: ctx.jwtExpirySeconds,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user),
    weak_password: weakPassword
      ? { message: weakPassword.message, reasons: weakPassword.reasons }
      : undefined,
  };
}

async function reloadUser(db: Queryable, userId: string): Promise<StoredUser> {
  const user = await findUserById(db, userId);
  if (!user) throw internalError('Database error loading user');
  return user;
}

/**
 * A new session with its first refresh token (GoTrue's issueRefreshToken), for a user who
 * just proved who they are. Pass `tx` to make it part of a wider transaction (sign-up).
 */
export async function issueSession(
  ctx: AuthContext,
  userId: string,
  client: ClientInfo,
  options: { tx?: Queryable; weakPassword?: WeakPasswordError } = {},
): Promise<JsonMap> {
  const issue = async (tx: Queryable): Promise<JsonMap> => {
    const session = await createSession(tx, userId, client);
    const refreshToken = await insertRefreshToken(tx, {
      userId,
      sessionId: session.id,
      parent: null,
    });
    await touchLastSignIn(tx, userId);
    return tokenResponse(
      ctx,
      await reloadUser(tx, userId),
      session,
      refreshToken,
      options.weakPassword,
    );
  };
  return options.tx ? issue(options.tx) : withTransaction(ctx.pool, issue);
}

const notFound = (): Error =>
  badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');

/**
 * GoTrue's RefreshTokenGrant with rotation on. A token is swapped once for a new one in the
 * same session. Presenting a revoked token is allowed in two cases, as in GoTrue: it is the
 * parent of the session's live token (the client lost the previous response; it gets that
 * live token back), or it was revoked less than refresh_token_reuse_interval ago. Anything
 * else is treated as theft: every token of the session is revoked and the caller gets
 * `refresh_token_already_used`. (Revoking stamps updated_at, so, exactly as in GoTrue, the
 * tokens revoked that way still pass the reuse-interval check for one more interval.)
 */
export async function refreshTokenGrant(
  ctx: AuthContext,
  refreshToken: string,
  client: ClientInfo,
): Promise<JsonMap> {
  return withTransaction(ctx.pool, async (tx) => {
    const locked = await lockRefreshToken(tx, refreshToken, ctx.refreshTokenReuseIntervalSeconds);
    if (!locked || !isUuid(locked.token.user_id)) throw notFound();
    const { token, session } = locked;
    const user = await findUserById(tx, token.user_id);
    if (!user) throw notFound();
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
    if (!session) {
      // A token from before sessions existed: GoTrue deletes it and refuses.
      await deleteRefreshToken(tx, token.id);
      throw new CommitThenThrow(
        badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found'),
      );
    }
    if (session.not_after && session.not_after.getTime() <= Date.now()) {
      throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');
    }

    let issued: string | undefined;
    if (token.revoked) {
      const active = await activeRefreshToken(tx, session.id);
      if (active && active.parent === token.token) {
        issued = active.token;
      } else if (!token.within_reuse_interval) {
        await revokeSessionRefreshTokens(tx, session.id);
        throw new CommitThenThrow(
          badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
        );
      }
    }
    if (!issued) {
      await revokeRefreshToken(tx, token.id);
      issued = await insertRefreshToken(tx, {
        userId: user.id,
        sessionId: session.id,
        parent: token.token,
      });
    }
    await touchSessionRefresh(tx, session.id, client);
    return tokenResponse(ctx, user, session, issued);
  });
}
