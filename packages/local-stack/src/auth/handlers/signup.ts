import { randomUUID } from 'node:crypto';
import type { AuthContext, Handler } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { issueSession } from '../grants.ts';
import { clientInfo, objectParam, readJsonBody, sendJson, stringParam } from '../http.ts';
import {
  confirmEmail,
  findUserByEmail,
  findUserById,
  insertEmailIdentity,
  insertUser,
  replaceUserMetadata,
  userJson,
  type JsonMap,
} from '../users-store.ts';
import { sendSignupConfirmation } from './verify.ts';
import { checkPasswordStrength, validateEmail } from '../validation.ts';

const alreadyRegistered = (): Error =>
  unprocessable('user_already_exists', 'User already registered');

/**
 * What GoTrue answers, with confirmations on, for an address that already has a confirmed
 * account (sanitizeUser): a made-up unconfirmed user, the same shape as a real sign-up's,
 * so the answer does not tell anyone the address is registered.
 */
function lookalikeUser(ctx: AuthContext, email: string, data: JsonMap): JsonMap {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud: ctx.audience,
    role: ctx.defaultRole,
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

/**
 * POST /signup with email and password. With `enable_confirmations` off (mailer_autoconfirm,
 * as in `supabase init`) the user is confirmed at once and gets a session in the response;
 * with it on, the answer is the user alone and a confirmation link goes to the outbox.
 * The steps follow GoTrue's so triggers see the same rows: the user is inserted with
 * `options.data` as user_metadata, then the email identity, then user_metadata becomes the
 * identity's claims plus that data, then the confirmation adds email_verified.
 */
export const signup: Handler = async (ctx, { req, res }) => {
  const body = await readJsonBody(req);
  const email = stringParam(body, 'email');
  const phone = stringParam(body, 'phone');
  const password = stringParam(body, 'password');
  const data = objectParam(body, 'data') ?? {};

  if (email === '' && phone === '') {
    throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  }
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(password);
  if (email !== '' && phone !== '') {
    throw badRequest(
      'validation_failed',
      'Only an email address or phone number should be provided on signup.',
    );
  }
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
  const address = validateEmail(email);
  const client = clientInfo(req);

  try {
    const answer = await withTransaction(ctx.pool, async (tx): Promise<JsonMap> => {
      const existing = await findUserByEmail(tx, address, ctx.audience);
      if (existing) {
        if (!ctx.enableConfirmations) throw alreadyRegistered();
        if (existing.email_confirmed_at) return lookalikeUser(ctx, address, data);
        // Not confirmed yet: a new link, as GoTrue resends one.
        await sendSignupConfirmation(ctx, tx, { id: existing.id, email: address });
        const reloaded = await findUserById(tx, existing.id);
        return reloaded ? userJson(reloaded) : lookalikeUser(ctx, address, data);
      }
      const userId = await insertUser(tx, {
        aud: ctx.audience,
        role: ctx.defaultRole,
        email: address,
        password: { plain: password },
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: data,
      });
      // The identity's own claims win over same-named keys in `data`.
      const identityData = {
        ...data,
        sub: userId,
        email: address,
        email_verified: false,
        phone_verified: false,
      };
      await insertEmailIdentity(tx, userId, identityData);
      await replaceUserMetadata(tx, userId, identityData);
      if (ctx.enableConfirmations) {
        await sendSignupConfirmation(ctx, tx, { id: userId, email: address });
        const created = await findUserById(tx, userId);
        if (!created) throw new Error('the new user vanished inside its transaction');
        return userJson(created);
      }
      await confirmEmail(tx, userId);
      return issueSession(ctx, userId, client, { tx });
    });
    sendJson(res, 200, answer);
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyRegistered();
    throw err;
  }
};
