import type { AuthContext, Handler } from '../context.ts';
import { withTransaction, type Queryable } from '../db.ts';
import { AuthHttpError, badRequest } from '../errors.ts';
import { issueSession } from '../grants.ts';
import { clientInfo, readJsonBody, sendJson, stringParam } from '../http.ts';
import { hashToken, newOneTimeToken } from '../mailer.ts';
import { overEmailSendRateLimit } from '../rate-limit.ts';
import { validateEmail } from '../validation.ts';
import {
  confirmEmail,
  findUserByEmail,
  confirmEmailChangeSide,
  findUserByConfirmationToken,
  findUserByEmailChangeToken,
  setConfirmationToken,
  setEmail,
  setEmailChange,
  setRecoveryToken,
  takeRecoveryToken,
  updateEmailIdentityData,
  type JsonMap,
} from '../users-store.ts';

/** `[auth.email] otp_expiry`: how long a link or code works (GoTrue's default, 1 hour). */
const OTP_EXPIRY_SECONDS = 3600;

const OTHER_LINK_MESSAGE =
  'Confirmation link accepted. Please proceed to confirm link sent to the other email';

/** `[auth.rate_limit] email_sent`: one bucket for the whole project, as in GoTrue. */
function overEmailSendRate(ctx: AuthContext): void {
  if (!ctx.limiters.emailSent.take('')) {
    throw overEmailSendRateLimit(ctx.limiters.emailSent.retryAfterSeconds(''));
  }
}

async function confirmEmailIfNot(tx: Queryable, userId: string): Promise<void> {
  const { rows } = await tx.query<{ confirmed: boolean }>(
    `select email_confirmed_at is not null as confirmed from auth.users where id = $1`,
    [userId],
  );
  if (rows[0] && !rows[0].confirmed) await confirmEmail(tx, userId);
}

const expiredOrInvalid = (): AuthHttpError =>
  new AuthHttpError(403, 'otp_expired', 'Token has expired or is invalid');

function verifyLink(ctx: AuthContext, tokenHash: string, type: string): string {
  const query = new URLSearchParams({ token: tokenHash, type, redirect_to: ctx.siteUrl });
  return `${ctx.apiUrl}/auth/v1/verify?${query.toString()}`;
}

/** Sends (to the outbox) the link that confirms a new sign-up, storing its token's hash. */
export async function sendSignupConfirmation(
  ctx: AuthContext,
  tx: Queryable,
  user: { id: string; email: string },
): Promise<void> {
  overEmailSendRate(ctx);
  const { token, tokenHash } = newOneTimeToken(user.email);
  await setConfirmationToken(tx, user.id, tokenHash);
  ctx.outbox.add({
    to: user.email,
    subject: 'Confirm Your Signup',
    type: 'signup',
    link: verifyLink(ctx, tokenHash, 'signup'),
    token_hash: tokenHash,
    token,
  });
}

/**
 * POST /recover (supabase-js's resetPasswordForEmail): a link that signs the user in, to
 * set a new password. The answer is `{}` whether or not the address has an account. A
 * second request for one account within `[auth.email] max_frequency` is refused with 429.
 */
export const recover: Handler = async (ctx, { req, res }) => {
  const body = await readJsonBody(req);
  const email = validateEmail(stringParam(body, 'email'));
  await withTransaction(ctx.pool, async (tx) => {
    const user = await findUserByEmail(tx, email, ctx.audience);
    if (!user) return;
    const { token, tokenHash } = newOneTimeToken(email);
    if (!(await setRecoveryToken(tx, user.id, tokenHash, ctx.maxFrequencySeconds))) {
      throw new AuthHttpError(
        429,
        'over_email_send_rate_limit',
        `For security purposes, you can only request this after ${ctx.maxFrequencySeconds} seconds.`,
      );
    }
    overEmailSendRate(ctx);
    ctx.outbox.add({
      to: email,
      subject: 'Reset Your Password',
      type: 'recovery',
      link: verifyLink(ctx, tokenHash, 'recovery'),
      token_hash: tokenHash,
      token,
    });
  });
  sendJson(res, 200, {});
};

/**
 * GoTrue's sendEmailChange: a link to the new address and, with double_confirm_changes, one
 * to the current address too; the address changes once every link sent is followed.
 */
export async function sendEmailChange(
  ctx: AuthContext,
  tx: Queryable,
  user: { id: string; email: string },
  newEmail: string,
): Promise<void> {
  overEmailSendRate(ctx);
  const next = newOneTimeToken(newEmail);
  const current = ctx.doubleConfirmChanges ? newOneTimeToken(user.email) : undefined;
  await setEmailChange(tx, user.id, {
    email: newEmail,
    tokenCurrent: current?.tokenHash ?? '',
    tokenNew: next.tokenHash,
  });
  if (current) {
    ctx.outbox.add({
      to: user.email,
      subject: 'Confirm Email Change',
      type: 'email_change',
      link: verifyLink(ctx, current.tokenHash, 'email_change'),
      token_hash: current.tokenHash,
      token: current.token,
    });
  }
  ctx.outbox.add({
    to: newEmail,
    subject: 'Confirm Email Change',
    type: 'email_change',
    link: verifyLink(ctx, next.tokenHash, 'email_change'),
    token_hash: next.tokenHash,
    token: next.token,
  });
}

type Outcome = { session: JsonMap } | { message: string };

async function verifyToken(
  ctx: AuthContext,
  type: string,
  tokenHash: string,
  client: ReturnType<typeof clientInfo>,
): Promise<Outcome> {
  return withTransaction(ctx.pool, async (tx): Promise<Outcome> => {
    if (type === 'recovery') {
      const userId = await takeRecoveryToken(tx, tokenHash, OTP_EXPIRY_SECONDS);
      if (!userId) throw expiredOrInvalid();
      // Following the link proves the address, as in GoTrue.
      await confirmEmailIfNot(tx, userId);
      return { session: await issueSession(ctx, userId, client, { tx }) };
    }
    if (type === 'signup' || type === 'email') {
      const user = await findUserByConfirmationToken(tx, tokenHash, OTP_EXPIRY_SECONDS);
      if (!user || user.expired) throw expiredOrInvalid();
      await confirmEmail(tx, user.id);
      await updateEmailIdentityData(tx, user.id, { email_verified: true });
      return { session: await issueSession(ctx, user.id, client, { tx }) };
    }
    // type === 'email_change'
    const pending = await findUserByEmailChangeToken(tx, tokenHash, OTP_EXPIRY_SECONDS);
    if (!pending || pending.expired || pending.email_change === '') throw expiredOrInvalid();
    const { rows } = await tx.query<{ other: string }>(
      `select case when $2 = 'current' then email_change_token_new
                   else email_change_token_current end as other
         from auth.users where id = $1`,
      [pending.id, pending.side],
    );
    if ((rows[0]?.other ?? '') !== '') {
      await confirmEmailChangeSide(tx, pending.id, pending.side);
      return { message: OTHER_LINK_MESSAGE };
    }
    await setEmail(tx, pending.id, pending.email_change);
    await updateEmailIdentityData(tx, pending.id, {
      email: pending.email_change,
      email_verified: true,
    });
    return { session: await issueSession(ctx, pending.id, client, { tx }) };
  });
}

const VERIFY_TYPES = new Set(['signup', 'email', 'email_change', 'recovery']);

/**
 * GET /verify (the emailed link: redirects to redirect_to with the session, or the error,
 * in the fragment) and POST /verify (supabase-js's verifyOtp: `token_hash`, or `email` with
 * the six-digit `token`), for sign-up confirmation and email changes.
 */
export const verify: Handler = async (ctx, { req, res, query }) => {
  const client = clientInfo(req);
  if (req.method === 'POST') {
    const body = await readJsonBody(req);
    const type = stringParam(body, 'type');
    const email = stringParam(body, 'email').toLowerCase();
    const token = stringParam(body, 'token');
    const tokenHash =
      stringParam(body, 'token_hash') || (email && token ? hashToken(email, token) : '');
    if (!VERIFY_TYPES.has(type)) throw badRequest('validation_failed', 'Verify requires a type');
    if (tokenHash === '') {
      throw badRequest('validation_failed', 'Verify requires a token or a token hash');
    }
    const outcome = await verifyToken(ctx, type, tokenHash, client);
    sendJson(res, 200, 'session' in outcome ? outcome.session : { msg: outcome.message });
    return;
  }

  const type = query.get('type') ?? '';
  const redirectTo = query.get('redirect_to') || ctx.siteUrl;
  let fragment: URLSearchParams;
  try {
    if (!VERIFY_TYPES.has(type)) throw badRequest('validation_failed', 'Verify requires a type');
    const outcome = await verifyToken(ctx, type, query.get('token') ?? '', client);
    fragment =
      'session' in outcome
        ? new URLSearchParams({
            access_token: String(outcome.session.access_token),
            expires_at: String(outcome.session.expires_at),
            expires_in: String(outcome.session.expires_in),
            refresh_token: String(outcome.session.refresh_token),
            token_type: 'bearer',
            type,
          })
        : new URLSearchParams({ message: outcome.message });
  } catch (err) {
    if (!(err instanceof AuthHttpError) || err.status >= 500) throw err;
    fragment = new URLSearchParams({
      error: 'access_denied',
      error_code: err.errorCode ?? 'unexpected_failure',
      error_description: err.message,
    });
  }
  // Only the configured site is a destination (an open redirect otherwise).
  const target = redirectTo.startsWith(ctx.siteUrl) ? redirectTo : ctx.siteUrl;
  res.writeHead(303, { location: `${target}#${fragment.toString()}` });
  res.end();
};

/**
 * GET /_mail: the local mail catcher, newest first (`?email=` for one address). Not part of
 * GoTrue: Supabase's CLI stack has Inbucket/Mailpit on its own port for this.
 */
export const listMail: Handler = async (ctx, { res, query }) => {
  sendJson(res, 200, { messages: ctx.outbox.list(query.get('email') ?? undefined) });
};
