import { requireUser } from '../authenticate.ts';
import type { Handler } from '../context.ts';
import { isUniqueViolation, withTransaction } from '../db.ts';
import { badRequest, forbidden, internalError, unprocessable } from '../errors.ts';
import { objectParam, optionalStringParam, readJsonBody, sendJson, stringParam } from '../http.ts';
import { deleteUserSessions } from '../sessions-store.ts';
import {
  findUserById,
  isEmailTaken,
  mergeMetadata,
  setPassword,
  userJson,
  verifyPassword,
} from '../users-store.ts';
import { checkPasswordStrength, validateEmail } from '../validation.ts';
import { sendEmailChange } from './verify.ts';

const DUPLICATE_EMAIL = 'A user with this email address has already been registered';

/** GET /user: the caller, fresh from the database (not from the token's claims). */
export const getUser: Handler = async (ctx, { req, res }) => {
  const { claims, user } = await requireUser(ctx, req);
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (audience !== ctx.audience) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience");
  }
  sendJson(res, 200, userJson(user));
};

/**
 * PUT /user: user_metadata (`data`, merged; null removes a key), password, email.
 *
 * A new password signs the user out of every other session, as GoTrue does. A new email
 * does not take effect yet: as in GoTrue, a confirmation link goes to the new address (and,
 * with `double_confirm_changes`, one to the current address too), and the address changes
 * once every link sent is followed (POST /verify, type email_change). The links are in the
 * local mail catcher, GET /auth/v1/_mail.
 */
export const updateUser: Handler = async (ctx, { req, res }) => {
  const { user, session } = await requireUser(ctx, req);
  const body = await readJsonBody(req);
  const rawEmail = stringParam(body, 'email');
  const password = optionalStringParam(body, 'password');
  const data = objectParam(body, 'data');
  const appData = objectParam(body, 'app_metadata');
  const phone = stringParam(body, 'phone');

  const email = rawEmail === '' ? '' : validateEmail(rawEmail);
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (password !== undefined) checkPasswordStrength(password);
  if (appData && !ctx.adminRoles.includes(user.role)) {
    throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  }
  const changesEmail = email !== '' && email !== user.email;
  if (changesEmail && (await isEmailTaken(ctx.pool, email, ctx.audience, user.id))) {
    throw unprocessable('email_exists', DUPLICATE_EMAIL);
  }
  if (password && user.has_password && (await verifyPassword(ctx.pool, user.id, password))) {
    throw unprocessable('same_password', 'New password should be different from the old password.');
  }

  try {
    const updated = await withTransaction(ctx.pool, async (tx) => {
      if (password !== undefined) {
        await setPassword(tx, user.id, password);
        await deleteUserSessions(tx, user.id, session?.id);
      }
      if (data) await mergeMetadata(tx, user.id, 'raw_user_meta_data', data);
      if (appData) await mergeMetadata(tx, user.id, 'raw_app_meta_data', appData);
      if (changesEmail)
        await sendEmailChange(ctx, tx, { id: user.id, email: user.email ?? '' }, email);
      return findUserById(tx, user.id);
    });
    if (!updated) throw internalError('Error updating user');
    sendJson(res, 200, userJson(updated));
  } catch (err) {
    if (isUniqueViolation(err)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
    throw err;
  }
};
