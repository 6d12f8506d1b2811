import type { AuthContext, AuthRequest, Handler } from '../context.ts';
import { badRequest, OAuthError, unprocessable } from '../errors.ts';
import { issueSession, refreshTokenGrant } from '../grants.ts';
import { clientInfo, readJsonBody, sendJson, stringParam } from '../http.ts';
import {
  findUserByEmail,
  isBanned,
  verifyAgainstDummyHash,
  verifyPassword,
} from '../users-store.ts';
import { overRequestRateLimit } from '../rate-limit.ts';
import { MAX_PASSWORD_BYTES, passwordWeakness } from '../validation.ts';

const invalidCredentials = (): Error =>
  badRequest('invalid_credentials', 'Invalid login credentials');

/**
 * grant_type=password (GoTrue's ResourceOwnerPasswordGrant). An unknown email, a user
 * without a password and a wrong password all get the same answer, so the endpoint does not
 * tell anyone which addresses have accounts.
 */
async function passwordGrant(ctx: AuthContext, { req, res }: AuthRequest): Promise<void> {
  const body = await readJsonBody(req);
  const email = stringParam(body, 'email');
  const phone = stringParam(body, 'phone');
  const password = stringParam(body, 'password');

  if (email !== '' && phone !== '') {
    throw badRequest(
      'validation_failed',
      'Only an email address or phone number should be provided on login.',
    );
  }
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (email === '') throw badRequest('validation_failed', 'missing email or phone');

  // Every attempt takes a token from the account's bucket up front (so parallel guesses
  // cannot all pass a check before any is counted); the right password gives it back. The
  // key is the address asked for, whether or not it has an account, so a 429 tells nothing.
  const account = email.toLowerCase();
  if (!ctx.limiters.failedSignIns.take(account)) {
    throw overRequestRateLimit(ctx.limiters.failedSignIns.retryAfterSeconds(account));
  }

  const user = await findUserByEmail(ctx.pool, email, ctx.audience);
  if (!user || !user.has_password) {
    // As long as a wrong password takes, so the answer's timing tells nothing either.
    await verifyAgainstDummyHash(ctx.pool, password);
    throw invalidCredentials();
  }
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  if (!(await verifyPassword(ctx.pool, user.id, password))) throw invalidCredentials();
  ctx.limiters.failedSignIns.refund(account);
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');

  // A password that works but would no longer be accepted (seeded, or set before a stricter
  // policy) still signs in; GoTrue reports it so the app can ask for a new one.
  const weakPassword =
    Buffer.byteLength(password) <= MAX_PASSWORD_BYTES ? passwordWeakness(password) : undefined;
  sendJson(
    res,
    200,
    await issueSession(ctx, user.id, clientInfo(req), weakPassword ? { weakPassword } : {}),
  );
}

async function refreshGrant(ctx: AuthContext, { req, res }: AuthRequest): Promise<void> {
  const refreshToken = stringParam(await readJsonBody(req), 'refresh_token');
  if (refreshToken === '') throw new OAuthError('invalid_request', 'refresh_token required');
  sendJson(res, 200, await refreshTokenGrant(ctx, refreshToken, clientInfo(req)));
}

/** POST /token?grant_type=password|refresh_token. */
export const token: Handler = async (ctx, request) => {
  switch (request.query.get('grant_type')) {
    case 'password':
      return passwordGrant(ctx, request);
    case 'refresh_token':
      return refreshGrant(ctx, request);
    default:
      // Sic: GoTrue answers unknown grant types (id_token, pkce, web3 are not offered here) this way.
      throw badRequest('invalid_credentials', 'unsupported_grant_type');
  }
};
