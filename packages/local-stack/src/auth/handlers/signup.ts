import type { Handler } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { badRequest, unprocessable } from '../errors.ts';
import { issueSession } from '../grants.ts';
import { clientInfo, objectParam, readJsonBody, sendJson, stringParam } from '../http.ts';
import {
  confirmEmail,
  findUserByEmail,
  insertEmailIdentity,
  insertUser,
  replaceUserMetadata,
} from '../users-store.ts';
import { checkPasswordStrength, validateEmail } from '../validation.ts';

const alreadyRegistered = (): Error =>
  unprocessable('user_already_exists', 'User already registered');

/**
 * POST /signup with email and password, as GoTrue with mailer_autoconfirm on (Supabase's
 * local default): the user is confirmed at once and gets a session in the response.
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
    const session = await withTransaction(ctx.pool, async (tx) => {
      if (await findUserByEmail(tx, address, ctx.audience)) throw alreadyRegistered();
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
      await confirmEmail(tx, userId);
      return issueSession(ctx, userId, client, { tx });
    });
    sendJson(res, 200, session);
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyRegistered();
    throw err;
  }
};
