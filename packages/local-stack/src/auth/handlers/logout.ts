import { requireUser } from '../authenticate.ts';
import type { Handler } from '../context.ts';
import { badRequest } from '../errors.ts';
import { sendNoContent } from '../http.ts';
import { deleteSession, deleteUserRefreshTokens, deleteUserSessions } from '../sessions-store.ts';

/**
 * POST /logout?scope=global|local|others. Sessions are deleted, and their refresh tokens
 * with them, so the signed-out refresh tokens answer refresh_token_not_found and the
 * session's access tokens are refused by /user even before they expire.
 */
export const logout: Handler = async (ctx, { req, res, query }) => {
  const { user, session } = await requireUser(ctx, req);
  const scope = query.get('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(scope)) {
    throw badRequest('validation_failed', `Unsupported logout scope "${scope}"`);
  }

  if (!session) await deleteUserRefreshTokens(ctx.pool, user.id);
  else if (scope === 'local') await deleteSession(ctx.pool, session.id);
  else if (scope === 'others') await deleteUserSessions(ctx.pool, user.id, session.id);
  else await deleteUserSessions(ctx.pool, user.id);
  sendNoContent(res);
};
