import { randomBytes } from 'node:crypto';
import { requireAdmin } from '../authenticate.ts';
import type { AuthContext, Handler } from '../context.ts';
import { isUniqueViolation, withTransaction, type Queryable } from '../db.ts';
import { badRequest, internalError, notFound, unprocessable } from '../errors.ts';
import {
  boolParam,
  objectParam,
  optionalStringParam,
  readJsonBody,
  readOptionalJsonBody,
  sendJson,
  stringParam,
  type JsonObject,
} from '../http.ts';
import { deleteUserSessions } from '../sessions-store.ts';
import {
  confirmEmail,
  deleteUser,
  findUserById,
  insertEmailIdentity,
  insertUser,
  isEmailTaken,
  listUsers,
  mergeMetadata,
  setBan,
  setEmail,
  setPassword,
  setRole,
  updateEmailIdentityData,
  userJson,
  type StoredUser,
} from '../users-store.ts';
import {
  checkPasswordStrength,
  isUuid,
  MAX_PASSWORD_BYTES,
  parseBanDuration,
  validateEmail,
} from '../validation.ts';

const DUPLICATE_EMAIL = 'A user with this email address has already been registered';
const DEFAULT_PER_PAGE = 50;

/** GoTrue's loadUser for /admin/users/{user_id}. */
async function loadUser(ctx: AuthContext, params: string[]): Promise<StoredUser> {
  const id = params[0] ?? '';
  if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(ctx.pool, id);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

async function reload(db: Queryable, id: string): Promise<JsonObject> {
  const user = await findUserById(db, id);
  if (!user) throw internalError('Database error loading user');
  return userJson(user);
}

function pageParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name) ?? '';
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw badRequest(
      'validation_failed',
      `Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`,
    );
  }
  return Number(raw);
}

/**
 * GET /admin/users?page&per_page, newest first. Like GoTrue, the page links go in `Link`
 * (rel next/last) and the total in `X-Total-Count`; auth-js's listUsers reads both.
 */
export const adminListUsers: Handler = async (ctx, { req, res, path, query }) => {
  await requireAdmin(ctx, req);
  const page = Math.max(1, pageParam(query, 'page', 1));
  const perPage = pageParam(query, 'per_page', DEFAULT_PER_PAGE);
  if (perPage === 0)
    throw badRequest('validation_failed', 'Bad Pagination Parameters: per_page must be positive');
  const { users, total } = await listUsers(ctx.pool, {
    aud: ctx.audience,
    page,
    perPage,
    filter: query.get('filter') ?? '',
  });

  const totalPages = Math.ceil(total / perPage);
  const link = (p: number): string => {
    const params = new URLSearchParams(query);
    params.set('page', String(p));
    params.sort(); // Go's url.Values.Encode sorts by key
    return `<${path}?${params.toString()}>`;
  };
  const links = [
    ...(totalPages > page ? [`${link(page + 1)}; rel="next"`] : []),
    `${link(totalPages)}; rel="last"`,
  ];
  sendJson(
    res,
    200,
    { users: users.map(userJson), aud: ctx.audience },
    { link: links.join(', '), 'x-total-count': String(total) },
  );
};

export const adminGetUser: Handler = async (ctx, { req, res, params }) => {
  await requireAdmin(ctx, req);
  sendJson(res, 200, userJson(await loadUser(ctx, params)));
};

interface AdminUserParams {
  id: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  password: string | undefined;
  passwordHash: string;
  emailConfirm: boolean;
  userMetadata: JsonObject | undefined;
  appMetadata: JsonObject | undefined;
  banDurationMs: number | undefined;
}

/** GoTrue's AdminUserParams, validated as far as is common to create and update. */
function adminParams(body: JsonObject): AdminUserParams {
  const rawEmail = stringParam(body, 'email');
  const phone = stringParam(body, 'phone');
  if (phone !== '') {
    throw unprocessable(
      'phone_provider_disabled',
      'Phone numbers are not supported by the local auth server',
    );
  }
  const banDuration = stringParam(body, 'ban_duration');
  return {
    id: stringParam(body, 'id'),
    aud: stringParam(body, 'aud'),
    role: stringParam(body, 'role'),
    email: rawEmail === '' ? '' : validateEmail(rawEmail),
    phone,
    password: optionalStringParam(body, 'password'),
    passwordHash: stringParam(body, 'password_hash'),
    emailConfirm: boolParam(body, 'email_confirm'),
    userMetadata: objectParam(body, 'user_metadata'),
    appMetadata: objectParam(body, 'app_metadata'),
    banDurationMs: banDuration === '' ? undefined : parseBanDuration(banDuration),
  };
}

/**
 * POST /admin/users. Unlike sign-up, GoTrue checks no password strength here and confirms
 * nothing unless `email_confirm` says so; a user created without a password gets a random one.
 */
export const adminCreateUser: Handler = async (ctx, { req, res }) => {
  await requireAdmin(ctx, req);
  const p = adminParams(await readJsonBody(req));
  const aud = p.aud || ctx.audience;
  if (p.email === '')
    throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  if (await isEmailTaken(ctx.pool, p.email, aud))
    throw unprocessable('email_exists', DUPLICATE_EMAIL);
  if (p.password !== undefined && p.passwordHash !== '') {
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  }
  if (p.passwordHash !== '' && !/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(p.passwordHash)) {
    throw badRequest('validation_failed', 'password_hash must be a bcrypt hash');
  }
  const plain = p.password || randomBytes(48).toString('base64url');
  if (Buffer.byteLength(plain) > MAX_PASSWORD_BYTES) {
    throw badRequest('validation_failed', 'bcrypt: password length exceeds 72 bytes');
  }
  if (p.id !== '' && !isUuid(p.id))
    throw badRequest('validation_failed', 'ID must conform to the uuid v4 format');
  if (p.id === '00000000-0000-0000-0000-000000000000')
    throw badRequest('validation_failed', 'ID cannot be a nil uuid');

  try {
    const user = await withTransaction(ctx.pool, async (tx) => {
      const id = await insertUser(tx, {
        ...(p.id ? { id: p.id } : {}),
        aud,
        role: p.role || ctx.defaultRole,
        email: p.email,
        password: p.passwordHash ? { hash: p.passwordHash } : { plain },
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: p.userMetadata ?? {},
      });
      await insertEmailIdentity(tx, id, {
        sub: id,
        email: p.email,
        email_verified: false,
        phone_verified: false,
      });
      if (p.appMetadata) await mergeMetadata(tx, id, 'raw_app_meta_data', p.appMetadata);
      if (p.emailConfirm) await confirmEmail(tx, id);
      if (p.banDurationMs !== undefined) await setBan(tx, id, p.banDurationMs);
      return reload(tx, id);
    });
    sendJson(res, 200, user);
  } catch (err) {
    if (isUniqueViolation(err)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
    throw err;
  }
};

/** PUT /admin/users/{id}. A new password signs the user out everywhere, as in GoTrue. */
export const adminUpdateUser: Handler = async (ctx, { req, res, params }) => {
  await requireAdmin(ctx, req);
  const user = await loadUser(ctx, params);
  const p = adminParams(await readJsonBody(req));
  if (p.password !== undefined) checkPasswordStrength(p.password);
  if (p.email !== '' && (await isEmailTaken(ctx.pool, p.email, user.aud, user.id))) {
    throw unprocessable('email_exists', DUPLICATE_EMAIL);
  }

  try {
    const updated = await withTransaction(ctx.pool, async (tx) => {
      if (p.role !== '') await setRole(tx, user.id, p.role);
      if (p.emailConfirm) await confirmEmail(tx, user.id);
      if (p.password !== undefined) {
        await setPassword(tx, user.id, p.password);
        await deleteUserSessions(tx, user.id);
      }
      if (p.email !== '') {
        const emailIdentity = { email: p.email, email_verified: p.emailConfirm };
        if (!(await updateEmailIdentityData(tx, user.id, emailIdentity))) {
          await insertEmailIdentity(tx, user.id, {
            sub: user.id,
            ...emailIdentity,
            phone_verified: false,
          });
        }
        await setEmail(tx, user.id, p.email);
      }
      if (p.appMetadata) await mergeMetadata(tx, user.id, 'raw_app_meta_data', p.appMetadata);
      if (p.userMetadata) await mergeMetadata(tx, user.id, 'raw_user_meta_data', p.userMetadata);
      if (p.banDurationMs !== undefined) await setBan(tx, user.id, p.banDurationMs);
      return reload(tx, user.id);
    });
    sendJson(res, 200, updated);
  } catch (err) {
    if (isUniqueViolation(err)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
    throw err;
  }
};

/** DELETE /admin/users/{id}: a hard delete; identities and sessions go with the user. */
export const adminDeleteUser: Handler = async (ctx, { req, res, params }) => {
  await requireAdmin(ctx, req);
  const user = await loadUser(ctx, params);
  const body = await readOptionalJsonBody(req);
  if (boolParam(body, 'should_soft_delete')) {
    throw badRequest(
      'validation_failed',
      'Soft deletion (should_soft_delete) is not supported by the local auth server',
    );
  }
  await deleteUser(ctx.pool, user.id);
  sendJson(res, 200, {});
};
