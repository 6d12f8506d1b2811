import type { Queryable } from './db.ts';
import { internalError } from './errors.ts';

export type JsonMap = Record<string, unknown>;

/** An auth.identities row. */
export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: JsonMap | null;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

/** The auth.users columns GoTrue reads, with the user's identities. Never the password hash. */
export interface StoredUser {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  phone: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  phone_confirmed_at: Date | null;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string;
  email_change_sent_at: Date | null;
  phone_change: string;
  phone_change_sent_at: Date | null;
  reauthentication_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: JsonMap | null;
  raw_user_meta_data: JsonMap | null;
  created_at: Date;
  updated_at: Date;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
  has_password: boolean;
  identities: IdentityRow[];
}

interface UserRow extends Omit<StoredUser, 'identities'> {
  /** Columns GoTrue scans into non-nullable Go fields but that hold NULL in this row. */
  unreadable_columns: string[];
}

// GoTrue's models.User scans these into plain Go strings and times, so a row with NULL in
// any of them makes real GoTrue fail every query that touches the user (the classic
// "converting NULL to string is unsupported" from a hand-written seed). We refuse such rows
// too, so a seed that works here also works on Supabase.
const NOT_NULL_FOR_GOTRUE = [
  'aud',
  'role',
  'created_at',
  'updated_at',
  'confirmation_token',
  'recovery_token',
  'email_change_token_new',
  'email_change',
  'email_change_token_current',
  'phone_change',
  'phone_change_token',
  'reauthentication_token',
];

const USER_COLUMNS = `
  u.id, u.aud, u.role, u.email, u.phone, u.email_confirmed_at, u.invited_at, u.phone_confirmed_at,
  u.confirmation_sent_at, u.confirmed_at, u.recovery_sent_at, coalesce(u.email_change, '') as email_change,
  u.email_change_sent_at, coalesce(u.phone_change, '') as phone_change, u.phone_change_sent_at,
  u.reauthentication_sent_at, u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data,
  u.created_at, u.updated_at, u.banned_until, u.deleted_at, u.is_anonymous,
  coalesce(u.encrypted_password, '') <> '' as has_password,
  array_remove(array[${NOT_NULL_FOR_GOTRUE.map((c) => `case when u.${c} is null then '${c}' end`).join(', ')}], null)
    as unreadable_columns`;

async function withIdentities(db: Queryable, rows: UserRow[]): Promise<StoredUser[]> {
  for (const row of rows) {
    if (row.unreadable_columns.length > 0) {
      console.error(
        `auth: auth.users row ${row.id} has NULL in ${row.unreadable_columns.join(', ')}; ` +
          `GoTrue cannot read such a row (insert '' for token columns, set aud/role/timestamps)`,
      );
      throw internalError('Database error querying schema');
    }
  }
  if (rows.length === 0) return [];
  const { rows: identities } = await db.query<IdentityRow>(
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
       from auth.identities where user_id = any($1::uuid[]) order by created_at, id`,
    [rows.map((r) => r.id)],
  );
  return rows.map(({ unreadable_columns: _unreadable, ...user }) => ({
    ...user,
    identities: identities.filter((i) => i.user_id === user.id),
  }));
}

export async function findUserById(db: Queryable, id: string): Promise<StoredUser | null> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users u where u.id = $1`,
    [id],
  );
  return (await withIdentities(db, rows))[0] ?? null;
}

/** GoTrue's FindUserByEmailAndAudience: case-insensitive, SSO users excluded. */
export async function findUserByEmail(
  db: Queryable,
  email: string,
  aud: string,
): Promise<StoredUser | null> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users u
      where lower(u.email) = lower($1) and u.aud = $2 and u.is_sso_user = false`,
    [email, aud],
  );
  return (await withIdentities(db, rows))[0] ?? null;
}

/** GoTrue's IsDuplicatedEmail, for a new address or a change of address. */
export async function isEmailTaken(
  db: Queryable,
  email: string,
  aud: string,
  exceptUserId?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from auth.users
      where lower(email) = lower($1) and aud = $2 and is_sso_user = false and id is distinct from $3::uuid`,
    [email, aud, exceptUserId ?? null],
  );
  return (rowCount ?? 0) > 0;
}

export interface NewUser {
  id?: string;
  aud: string;
  role: string;
  email: string;
  /** A password to hash, or an existing bcrypt hash (admin `password_hash`). */
  password: { plain: string } | { hash: string };
  appMetadata: JsonMap;
  userMetadata: JsonMap;
}

/**
 * Inserts the user with a plain INSERT, so AFTER INSERT triggers on auth.users (our
 * migrations create profiles that way) fire as they do under GoTrue. bcrypt cost 10 is
 * GoTrue's (bcrypt.DefaultCost); pgcrypto's gen_salt('bf') alone would give 6.
 */
export async function insertUser(db: Queryable, user: NewUser): Promise<string> {
  const plain = 'plain' in user.password ? user.password.plain : null;
  const hash = 'hash' in user.password ? user.password.hash : null;
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (
       instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
       created_at, updated_at, is_sso_user, is_anonymous,
       confirmation_token, recovery_token, email_change_token_new, email_change,
       email_change_token_current, phone_change, phone_change_token, reauthentication_token)
     values (
       '00000000-0000-0000-0000-000000000000', coalesce($1::uuid, gen_random_uuid()), $2, $3, $4,
       coalesce($6, extensions.crypt($5, extensions.gen_salt('bf', 10))), $7::jsonb, $8::jsonb,
       now(), now(), false, false, '', '', '', '', '', '', '', '')
     returning id`,
    [
      user.id ?? null,
      user.aud,
      user.role,
      user.email,
      plain,
      hash,
      JSON.stringify(user.appMetadata),
      JSON.stringify(user.userMetadata),
    ],
  );
  const id = rows[0]?.id;
  if (!id) throw internalError('Database error saving new user');
  return id;
}

/** An email identity (provider_id = the user's id), with GoTrue's identity_data claims. */
export async function insertEmailIdentity(
  db: Queryable,
  userId: string,
  identityData: JsonMap,
): Promise<void> {
  await db.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values (gen_random_uuid(), $1::text, $1::uuid, $2::jsonb, 'email', now(), now(), now())`,
    [userId, JSON.stringify(identityData)],
  );
}

/** Merges keys into an identity's data, as GoTrue's UpdateIdentityData does. */
export async function updateEmailIdentityData(
  db: Queryable,
  userId: string,
  updates: JsonMap,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update auth.identities set identity_data = coalesce(identity_data, '{}'::jsonb) || $2::jsonb, updated_at = now()
      where user_id = $1 and provider = 'email'`,
    [userId, JSON.stringify(updates)],
  );
  return (rowCount ?? 0) > 0;
}

/** bcrypt comparison in Postgres; a user without a (bcrypt) password never matches. */
export async function verifyPassword(
  db: Queryable,
  userId: string,
  password: string,
): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    // case, not and: SQL does not promise to skip crypt() for a hash pgcrypto cannot read.
    `select case when encrypted_password like '$2%'
                then extensions.crypt($2, encrypted_password) = encrypted_password
                else false end as ok
       from auth.users where id = $1`,
    [userId, password],
  );
  return rows[0]?.ok ?? false;
}

/**
 * A bcrypt hash at GoTrue's cost (10) of a random password no one knows, made once. Sign-in
 * compares against it when the email has no account (or no password), so an unknown address
 * costs the same bcrypt work as a known one: without it, unknown emails answered in 3 ms and
 * known ones in 74 ms.
 */
let dummyHash: Promise<string> | undefined;

/** The same bcrypt work as verifyPassword, against the dummy hash; never matches anyone. */
export async function verifyAgainstDummyHash(db: Queryable, password: string): Promise<void> {
  dummyHash ??= db
    .query<{ hash: string }>(
      `select extensions.crypt(gen_random_uuid()::text, extensions.gen_salt('bf', 10)) as hash`,
    )
    .then(({ rows }) => rows[0]!.hash);
  const hash = await dummyHash.catch((err: unknown) => {
    dummyHash = undefined; // try again next time
    throw err;
  });
  await db.query(`select extensions.crypt($1, $2) = $2 as ok`, [password, hash]);
}

/**
 * A new password, clearing the one-time tokens GoTrue clears on a password change (the
 * old password may be why someone else holds them).
 */
export async function setPassword(db: Queryable, userId: string, password: string): Promise<void> {
  await db.query(
    `update auth.users set
       encrypted_password = case when $2 = '' then null else extensions.crypt($2, extensions.gen_salt('bf', 10)) end,
       confirmation_token = '', confirmation_sent_at = null, recovery_token = '', recovery_sent_at = null,
       email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
       phone_change_token = '', phone_change_sent_at = null,
       reauthentication_token = '', reauthentication_sent_at = null, updated_at = now()
     where id = $1`,
    [userId, password],
  );
}

/** GoTrue's User.Confirm: confirmed now, and `email_verified: true` in user_metadata. */
export async function confirmEmail(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `update auth.users set confirmation_token = '', email_confirmed_at = now(),
       raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
       updated_at = now()
     where id = $1`,
    [userId],
  );
}

/** A sign-up waiting for its link: GoTrue keeps the token's hash and when it was sent. */
export async function setConfirmationToken(
  db: Queryable,
  userId: string,
  tokenHash: string,
): Promise<void> {
  await db.query(
    `update auth.users set confirmation_token = $2, confirmation_sent_at = now(), updated_at = now()
      where id = $1`,
    [userId, tokenHash],
  );
}

/** The user whose sign-up link this is, if it was sent less than `maxAgeSeconds` ago. */
export async function findUserByConfirmationToken(
  db: Queryable,
  tokenHash: string,
  maxAgeSeconds: number,
): Promise<{ id: string; expired: boolean } | null> {
  const { rows } = await db.query<{ id: string; expired: boolean }>(
    `select id, coalesce(confirmation_sent_at < now() - make_interval(secs => $2), true) as expired
       from auth.users where confirmation_token = $1 and $1 <> ''`,
    [tokenHash, maxAgeSeconds],
  );
  return rows[0] ?? null;
}

/**
 * Stores a recovery link's token hash, unless one went out less than `minGapSeconds` ago
 * (`[auth.email] max_frequency`); false when it is too soon.
 */
export async function setRecoveryToken(
  db: Queryable,
  userId: string,
  tokenHash: string,
  minGapSeconds: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now()
      where id = $1
        and (recovery_sent_at is null or recovery_sent_at <= now() - make_interval(secs => $3))`,
    [userId, tokenHash, minGapSeconds],
  );
  return (rowCount ?? 0) > 0;
}

/** The user whose recovery link this is (spent on use), if sent less than `maxAgeSeconds` ago. */
export async function takeRecoveryToken(
  db: Queryable,
  tokenHash: string,
  maxAgeSeconds: number,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `update auth.users set recovery_token = '', updated_at = now()
      where recovery_token = $1 and $1 <> ''
        and recovery_sent_at > now() - make_interval(secs => $2)
      returning id`,
    [tokenHash, maxAgeSeconds],
  );
  return rows[0]?.id ?? null;
}

/**
 * An email change waiting for confirmation: the new address in email_change, a token for
 * the current address (empty when only the new one must confirm) and one for the new.
 */
export async function setEmailChange(
  db: Queryable,
  userId: string,
  change: { email: string; tokenCurrent: string; tokenNew: string },
): Promise<void> {
  await db.query(
    `update auth.users set email_change = $2, email_change_token_current = $3,
       email_change_token_new = $4, email_change_sent_at = now(), email_change_confirm_status = 0,
       updated_at = now()
     where id = $1`,
    [userId, change.email, change.tokenCurrent, change.tokenNew],
  );
}

export interface PendingEmailChange {
  id: string;
  email_change: string;
  /** Which of the two links this token is. */
  side: 'current' | 'new';
  confirm_status: number;
  expired: boolean;
}

/** The user with a pending email change that `tokenHash` confirms, locked for the update. */
export async function findUserByEmailChangeToken(
  db: Queryable,
  tokenHash: string,
  maxAgeSeconds: number,
): Promise<PendingEmailChange | null> {
  const { rows } = await db.query<PendingEmailChange>(
    `select id, email_change,
            case when email_change_token_current = $1 then 'current' else 'new' end as side,
            coalesce(email_change_confirm_status, 0)::int as confirm_status,
            coalesce(email_change_sent_at < now() - make_interval(secs => $2), true) as expired
       from auth.users
      where $1 <> '' and (email_change_token_current = $1 or email_change_token_new = $1)
      for update`,
    [tokenHash, maxAgeSeconds],
  );
  return rows[0] ?? null;
}

/** One of two links followed: that token is spent, the other still awaited. */
export async function confirmEmailChangeSide(
  db: Queryable,
  userId: string,
  side: 'current' | 'new',
): Promise<void> {
  const column = side === 'current' ? 'email_change_token_current' : 'email_change_token_new';
  await db.query(
    `update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now()
      where id = $1`,
    [userId],
  );
}

type MetadataColumn = 'raw_user_meta_data' | 'raw_app_meta_data';

/** GoTrue's UpdateUserMetaData/UpdateAppMetaData: keys set to null are removed, others merged. */
export async function mergeMetadata(
  db: Queryable,
  userId: string,
  column: MetadataColumn,
  updates: JsonMap,
): Promise<void> {
  const set = Object.fromEntries(Object.entries(updates).filter(([, v]) => v !== null));
  const removed = Object.entries(updates)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  await db.query(
    `update auth.users set ${column} = (coalesce(${column}, '{}'::jsonb) || $2::jsonb) - $3::text[], updated_at = now()
      where id = $1`,
    [userId, JSON.stringify(set), removed],
  );
}

/** Replaces user_metadata wholesale (sign-up copies the identity's claims into it). */
export async function replaceUserMetadata(
  db: Queryable,
  userId: string,
  metadata: JsonMap,
): Promise<void> {
  await db.query(
    `update auth.users set raw_user_meta_data = $2::jsonb, updated_at = now() where id = $1`,
    [userId, JSON.stringify(metadata)],
  );
}

export async function setEmail(db: Queryable, userId: string, email: string): Promise<void> {
  await db.query(
    `update auth.users set email = $2, email_change = '', email_change_token_current = '',
       email_change_token_new = '', email_change_confirm_status = 0, updated_at = now()
     where id = $1`,
    [userId, email],
  );
}

export async function setRole(db: Queryable, userId: string, role: string): Promise<void> {
  await db.query(`update auth.users set role = $2, updated_at = now() where id = $1`, [
    userId,
    role.trim(),
  ]);
}

/** GoTrue's User.Ban: a zero duration lifts the ban. */
export async function setBan(db: Queryable, userId: string, durationMs: number): Promise<void> {
  await db.query(
    `update auth.users set banned_until = case when $2::float8 = 0 then null
       else now() + make_interval(secs => $2::float8 / 1000) end, updated_at = now() where id = $1`,
    [userId, durationMs],
  );
}

export async function touchLastSignIn(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1`,
    [userId],
  );
}

export async function deleteUser(db: Queryable, userId: string): Promise<void> {
  await db.query(`delete from auth.users where id = $1`, [userId]);
}

export interface UserPage {
  users: StoredUser[];
  total: number;
}

/** GoTrue's FindUsersInAudience: newest first, optionally filtered by email or full name. */
export async function listUsers(
  db: Queryable,
  options: { aud: string; page: number; perPage: number; filter: string },
): Promise<UserPage> {
  const where = `u.aud = $1 and ($2 = '' or u.email like '%' || $2 || '%' or u.raw_user_meta_data ->> 'full_name' ilike '%' || $2 || '%')`;
  const { rows: countRows } = await db.query<{ total: string }>(
    `select count(*) as total from auth.users u where ${where}`,
    [options.aud, options.filter],
  );
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users u where ${where}
      order by u.created_at desc, u.id limit $3 offset $4`,
    [options.aud, options.filter, options.perPage, (options.page - 1) * options.perPage],
  );
  return { users: await withIdentities(db, rows), total: Number(countRows[0]?.total ?? 0) };
}

export function isBanned(user: StoredUser): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > Date.now();
}

const iso = (date: Date | null): string | undefined => date?.toISOString();

function identityJson(identity: IdentityRow): JsonMap {
  return {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data ?? undefined,
    provider: identity.provider,
    last_sign_in_at: iso(identity.last_sign_in_at),
    created_at: iso(identity.created_at),
    updated_at: iso(identity.updated_at),
    email: identity.email ?? undefined,
  };
}

/**
 * The user as GoTrue's models.User marshals it: fields in the same order, `omitempty` ones
 * left out (JSON.stringify drops undefined), NULL email and phone as ''.
 */
export function userJson(user: StoredUser): JsonMap {
  return {
    id: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email ?? '',
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change || undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: user.identities.map(identityJson),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  };
}
