import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthApiError,
  AuthSessionMissingError,
  AuthWeakPasswordError,
  createClient,
  type SupabaseClient,
} from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { applyBootstrap } from '../database.ts';
import { freePort } from '../ports.ts';
import { startPostgres } from '../postgres.ts';
import type { Service } from '../process.ts';
import { createApiKeys, signJwt } from './keys.ts';
import { createAuthHandler, type AuthServerOptions } from './server.ts';

// The auth server against a real Postgres carrying the bootstrap SQL, driven by supabase-js
// itself (and by plain HTTP where the wire format is the point). The database is a
// throwaway one of its own, so the test can add a trigger to auth.users without touching
// anything else.

const JWT_SECRET = 'auth-stack-test-secret-with-at-least-32-chars';
const keys = createApiKeys(JWT_SECRET);

let dataDir: string;
let postgres: Service;
let pool: pg.Pool;
const servers: Server[] = [];
/** The default server (reuse interval 10 s, as in config.toml) and one with no reuse interval. */
let apiUrl: string;
let strictApiUrl: string;

/**
 * Per-address limits every test here can share: they all come from 127.0.0.1, and the
 * file signs up far more than GoTrue's burst of 30. The rate-limit tests set their own.
 */
const AMPLE_LIMITS = {
  tokenRefresh: 1e6,
  signInSignUps: 1e6,
  tokenVerifications: 1e6,
  emailSent: 1e6,
  failedSignInsPerAccount: 1e6,
};

async function serve(options: Partial<AuthServerOptions>): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const handler = createAuthHandler({
    pool,
    jwtSecret: JWT_SECRET,
    apiUrl: url,
    ...options,
    rateLimits: { ...AMPLE_LIMITS, ...options.rateLimits },
  });
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith('/auth/v1')) {
      res.writeHead(404);
      res.end();
      return;
    }
    void handler(req, res, path.slice('/auth/v1'.length) || '/');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  servers.push(server);
  return url;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'auth-stack-test-'));
  chmodSync(dataDir, 0o755); // Postgres runs as its own user when we are root
  const running = await startPostgres({
    dataDir: join(dataDir, 'db'),
    port: await freePort(),
    password: 'postgres',
    logFile: join(dataDir, 'postgres.log'),
  });
  postgres = running.service;
  await applyBootstrap(running.url, 'authenticator');
  pool = new pg.Pool({ connectionString: running.url, max: 10 });
  // Postgres stopping in afterAll tells connections still closing that it is going away.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  apiUrl = await serve({});
  strictApiUrl = await serve({ refreshTokenReuseIntervalSeconds: 0 });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await pool?.end();
  await postgres?.stop('SIGINT');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function client(key: string = keys.anonKey, url: string = apiUrl): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as never },
  });
}

const newEmail = (): string => `user-${randomUUID()}@example.com`;
const PASSWORD = 'correct-horse';

async function signedUp(data: Record<string, unknown> = {}): Promise<{
  sb: SupabaseClient;
  email: string;
  userId: string;
  refreshToken: string;
  accessToken: string;
}> {
  const sb = client();
  const email = newEmail();
  const { data: result, error } = await sb.auth.signUp({
    email,
    password: PASSWORD,
    options: { data },
  });
  if (error || !result.session || !result.user) throw error ?? new Error('no session');
  return {
    sb,
    email,
    userId: result.user.id,
    refreshToken: result.session.refresh_token,
    accessToken: result.session.access_token,
  };
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A request without supabase-js, for the wire format. auth-js sends API version 2024-01-01. */
async function raw(
  path: string,
  init: {
    method?: string;
    token?: string;
    body?: unknown;
    /** A body already serialised (JSON.stringify overflows on very deep values). */
    rawBody?: string;
    apiVersion?: string | null;
    url?: string;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { apikey: keys.anonKey };
  if (init.apiVersion !== null) headers['x-supabase-api-version'] = init.apiVersion ?? '2024-01-01';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${init.url ?? apiUrl}/auth/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

interface CaughtMail {
  to: string;
  type: string;
  link: string;
  token_hash: string;
  token: string;
}

/** The local mail catcher's messages to `email`, newest first. */
async function mail(email: string, url = apiUrl): Promise<CaughtMail[]> {
  const response = await raw(`/_mail?email=${encodeURIComponent(email)}`, { url });
  return response.body.messages as CaughtMail[];
}

const refresh = (refreshToken: string, url = apiUrl): Promise<RawResponse> =>
  raw('/token?grant_type=refresh_token', {
    method: 'POST',
    body: { refresh_token: refreshToken },
    url,
  });

describe('sign-up', () => {
  it('confirms the user at once and returns a session, as with mailer_autoconfirm', async () => {
    const email = newEmail();
    const { data, error } = await client().auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: 'Ada Lovelace' } },
    });
    expect(error).toBeNull();
    expect(data.session?.token_type).toBe('bearer');
    expect(data.session?.expires_in).toBe(3600);
    const user = data.user!;
    expect(user).toMatchObject({
      aud: 'authenticated',
      role: 'authenticated',
      email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {
        full_name: 'Ada Lovelace',
        email,
        email_verified: true,
        phone_verified: false,
        sub: user.id,
      },
      is_anonymous: false,
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.identities).toEqual([
      expect.objectContaining({
        id: user.id,
        user_id: user.id,
        provider: 'email',
        email,
        identity_data: expect.objectContaining({ sub: user.id, email, email_verified: false }),
      }),
    ]);
  });

  it('stores the user as GoTrue would: bcrypt cost 10, empty token columns, an email identity', async () => {
    const { userId } = await signedUp();
    const { rows } = await pool.query(
      `select u.instance_id, u.encrypted_password, u.confirmation_token, u.email_change, u.reauthentication_token,
              i.provider_id, i.provider
         from auth.users u join auth.identities i on i.user_id = u.id where u.id = $1`,
      [userId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].instance_id).toBe('00000000-0000-0000-0000-000000000000');
    expect(rows[0].encrypted_password).toMatch(/^\$2a\$10\$/);
    expect([
      rows[0].confirmation_token,
      rows[0].email_change,
      rows[0].reauthentication_token,
    ]).toEqual(['', '', '']);
    expect(rows[0]).toMatchObject({ provider_id: userId, provider: 'email' });
  });

  it('inserts into auth.users with a plain INSERT, so AFTER INSERT triggers see the sign-up data', async () => {
    await pool.query(`
      create table if not exists public.signup_trigger_log (id uuid primary key, full_name text);
      create or replace function public.log_signup() returns trigger language plpgsql as $$
      begin
        insert into public.signup_trigger_log values (new.id, new.raw_user_meta_data ->> 'full_name');
        return new;
      end $$;
      drop trigger if exists log_signup on auth.users;
      create trigger log_signup after insert on auth.users for each row execute function public.log_signup();`);
    const { userId } = await signedUp({ full_name: 'Grace Hopper' });
    const { rows } = await pool.query(
      `select full_name from public.signup_trigger_log where id = $1`,
      [userId],
    );
    expect(rows).toEqual([{ full_name: 'Grace Hopper' }]);
  });

  it('refuses an address that is already registered, whatever its case', async () => {
    const { email } = await signedUp();
    const { error } = await client().auth.signUp({
      email: email.toUpperCase(),
      password: PASSWORD,
    });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'user_already_exists',
      message: 'User already registered',
    });
  });

  it('refuses a password shorter than six characters as weak', async () => {
    const { error } = await client().auth.signUp({ email: newEmail(), password: '12345' });
    expect(error).toBeInstanceOf(AuthWeakPasswordError);
    expect(error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'] });
  });

  it('refuses a malformed address with validation_failed', async () => {
    const { error } = await client().auth.signUp({ email: 'not-an-address', password: PASSWORD });
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('refuses a sign-up without email or phone: anonymous sign-ins are off', async () => {
    const response = await raw('/signup', { method: 'POST', body: { password: PASSWORD } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      code: 'anonymous_provider_disabled',
      message: 'Anonymous sign-ins are disabled',
    });
  });

  it('refuses a body that is not JSON with bad_json', async () => {
    const response = await fetch(`${apiUrl}/auth/v1/signup`, {
      method: 'POST',
      body: '{nope',
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('bad_json');
  });
});

describe('password sign-in', () => {
  it('issues an access token with exactly Supabase claims', async () => {
    const { email, userId } = await signedUp({ plan: 'pro' });
    const { data, error } = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toBeNull();
    const claims = decodeJwt(data.session!.access_token);
    expect(Object.keys(claims)).toEqual([
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'email',
      'phone',
      'app_metadata',
      'user_metadata',
      'role',
      'aal',
      'amr',
      'session_id',
      'is_anonymous',
    ]);
    expect(claims).toMatchObject({
      iss: `${apiUrl}/auth/v1`,
      sub: userId,
      aud: 'authenticated',
      role: 'authenticated',
      email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: expect.objectContaining({ plan: 'pro' }),
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: expect.any(Number) }],
      is_anonymous: false,
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(data.session?.expires_at).toBe(claims.exp);
    const { rows } = await pool.query(`select user_id, aal from auth.sessions where id = $1`, [
      claims.session_id,
    ]);
    expect(rows).toEqual([{ user_id: userId, aal: 'aal1' }]);
  });

  it('answers a wrong password and an unknown address alike: 400 invalid_credentials', async () => {
    const { email } = await signedUp();
    for (const credentials of [
      { email, password: 'wrong-password' },
      { email: newEmail(), password: PASSWORD },
    ]) {
      const { data, error } = await client().auth.signInWithPassword(credentials);
      expect(data.session).toBeNull();
      expect(error).toBeInstanceOf(AuthApiError);
      expect(error).toMatchObject({
        status: 400,
        code: 'invalid_credentials',
        message: 'Invalid login credentials',
      });
    }
  });

  it('compares an unknown address against a bcrypt hash too, so its answer takes as long', async () => {
    // Timing itself is not asserted (a shared machine makes it flaky): the test checks that
    // both answers run a bcrypt comparison of the submitted password in Postgres.
    const queries: { text: string; values: unknown[] }[] = [];
    const spyPool = new Proxy(pool, {
      get(target, prop) {
        if (prop === 'query') {
          return (text: string, values?: unknown[]) => {
            queries.push({ text, values: values ?? [] });
            return target.query(text, values);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const url = await serve({ pool: spyPool });
    const bcryptRuns = (password: string): number =>
      queries.filter((q) => q.text.includes('crypt(') && q.values.includes(password)).length;

    const { email } = await signedUp();
    const wrong = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email, password: 'wrong-password-1' },
      url,
    });
    const unknown = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email: newEmail(), password: 'wrong-password-2' },
      url,
    });
    expect([wrong.status, unknown.status]).toEqual([400, 400]);
    expect(unknown.body).toEqual(wrong.body);
    expect(bcryptRuns('wrong-password-1')).toBe(1);
    expect(bcryptRuns('wrong-password-2')).toBe(1);
  });

  it('answers clients that ask for no API version in the legacy error shape', async () => {
    const response = await raw('/token?grant_type=password', {
      method: 'POST',
      apiVersion: null,
      body: { email: newEmail(), password: PASSWORD },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 400,
      error_code: 'invalid_credentials',
      msg: 'Invalid login credentials',
    });
    expect(response.headers.get('x-supabase-api-version')).toBeNull();
  });

  it('echoes the API version auth-js asks for, so it trusts the string code', async () => {
    const response = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email: newEmail(), password: PASSWORD },
    });
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(response.body).toEqual({
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    });
  });

  it('refuses an unconfirmed address with email_not_confirmed', async () => {
    const email = newEmail();
    await client(keys.serviceRoleKey).auth.admin.createUser({ email, password: PASSWORD });
    const { error } = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed' });
  });

  it('signs in a hand-seeded user (pgcrypto bf cost 6) and reports a password now too weak', async () => {
    const id = randomUUID();
    const email = newEmail();
    await pool.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
         extensions.crypt('12345', extensions.gen_salt('bf')), now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
      [id, email],
    );
    const { data, error } = await client().auth.signInWithPassword({ email, password: '12345' });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
    expect(data.weakPassword).toEqual({
      message: 'Password should be at least 6 characters.',
      reasons: ['length'],
    });
  });

  it('fails like GoTrue on a seeded row with NULL in a column GoTrue scans as a string', async () => {
    const email = newEmail();
    await pool.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at, confirmation_token)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
         extensions.crypt($2, extensions.gen_salt('bf')), now(), now(), now(), null)`,
      [email, PASSWORD],
    );
    const response = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email, password: PASSWORD },
    });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      code: 'unexpected_failure',
      message: 'Database error querying schema',
    });
  });
});

describe('access tokens and /user', () => {
  it('returns the caller from the database', async () => {
    const { sb, email, userId } = await signedUp();
    const { data, error } = await sb.auth.getUser();
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: userId, email });
  });

  it('wants a bearer token: 401 no_authorization', async () => {
    const response = await raw('/user');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('no_authorization');
  });

  it.each([
    [
      'a forged signature',
      () => signJwt({ sub: randomUUID(), role: 'authenticated' }, 'not-the-secret', 3600),
      'signature is invalid',
    ],
    [
      'an expired token',
      () => signJwt({ sub: randomUUID(), role: 'authenticated', exp: 1_000_000 }, JWT_SECRET),
      'token is expired',
    ],
    ['the anon key, which names no user', () => keys.anonKey, 'missing sub claim'],
  ])('refuses %s with 403 bad_jwt', async (_name, token, reason) => {
    const response = await raw('/user', { token: token() });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('bad_jwt');
    expect(response.body.message).toContain(reason);
  });

  it("refuses a deleted user's token with 403 user_not_found", async () => {
    const { accessToken, userId } = await signedUp();
    await client(keys.serviceRoleKey).auth.admin.deleteUser(userId);
    const response = await raw('/user', { token: accessToken });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('user_not_found');
  });
});

describe('updating the user', () => {
  it('merges user_metadata, a null removing the key, and new tokens carry it', async () => {
    const { sb } = await signedUp({ full_name: 'Old Name', theme: 'light' });
    const { data, error } = await sb.auth.updateUser({
      data: { full_name: 'New Name', theme: null },
    });
    expect(error).toBeNull();
    expect(data.user?.user_metadata.full_name).toBe('New Name');
    expect(data.user?.user_metadata).not.toHaveProperty('theme');
    const refreshed = await sb.auth.refreshSession();
    expect(decodeJwt(refreshed.data.session!.access_token).user_metadata).toMatchObject({
      full_name: 'New Name',
    });
  });

  it('changes the password, signing out every other session but this one', async () => {
    const { sb, email, refreshToken: otherSession } = await signedUp();
    await sb.auth.signInWithPassword({ email, password: PASSWORD });
    const same = await sb.auth.updateUser({ password: PASSWORD });
    expect(same.error).toMatchObject({ status: 422, code: 'same_password' });

    expect((await sb.auth.updateUser({ password: 'battery-staple' })).error).toBeNull();
    expect((await refresh(otherSession)).body.code).toBe('refresh_token_not_found');
    expect((await sb.auth.getUser()).error).toBeNull();
    expect(
      (await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code,
    ).toBe('invalid_credentials');
    expect(
      (await client().auth.signInWithPassword({ email, password: 'battery-staple' })).error,
    ).toBeNull();
  });

  it('changes the email only once the links sent to both addresses are followed (double_confirm_changes)', async () => {
    const { sb, userId, email } = await signedUp();
    const next = newEmail();
    const { data, error } = await sb.auth.updateUser({ email: next });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.new_email).toBe(next);

    const toCurrent = (await mail(email)).find((m) => m.type === 'email_change');
    const toNew = (await mail(next)).find((m) => m.type === 'email_change');
    expect(toCurrent && toNew).toBeTruthy();

    const first = await raw('/verify', {
      method: 'POST',
      body: { type: 'email_change', token_hash: toNew!.token_hash },
    });
    expect(first.status).toBe(200);
    expect(first.body.msg).toMatch(/confirm link sent to the other email/);
    const halfway = await pool.query(`select email from auth.users where id = $1`, [userId]);
    expect(halfway.rows).toEqual([{ email }]);

    // supabase-js's verifyOtp with the code from the other email finishes the change.
    const second = await client().auth.verifyOtp({
      email,
      token: toCurrent!.token,
      type: 'email_change',
    });
    expect(second.error).toBeNull();
    expect(second.data.user?.email).toBe(next);
    expect(second.data.user?.identities?.[0]?.identity_data?.email).toBe(next);
    const { rows } = await pool.query(`select email from auth.users where id = $1`, [userId]);
    expect(rows).toEqual([{ email: next }]);
    // A link is good once.
    const again = await raw('/verify', {
      method: 'POST',
      body: { type: 'email_change', token_hash: toNew!.token_hash },
    });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'otp_expired' });
  });

  it('sends one link, to the new address, with double_confirm_changes off', async () => {
    const url = await serve({ doubleConfirmChanges: false });
    const sb = client(keys.anonKey, url);
    const email = newEmail();
    expect((await sb.auth.signUp({ email, password: PASSWORD })).error).toBeNull();
    const next = newEmail();
    expect((await sb.auth.updateUser({ email: next })).error).toBeNull();
    expect(await mail(email, url)).toEqual([]);
    const [toNew] = await mail(next, url);
    const { data, error } = await client(keys.anonKey, url).auth.verifyOtp({
      token_hash: toNew!.token_hash,
      type: 'email_change',
    });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(next);
  });

  it("refuses another user's address with 422 email_exists", async () => {
    const { email: taken } = await signedUp();
    const { sb } = await signedUp();
    expect((await sb.auth.updateUser({ email: taken })).error).toMatchObject({
      status: 422,
      code: 'email_exists',
    });
  });

  it('keeps app_metadata for admins: 403 not_admin', async () => {
    const { accessToken } = await signedUp();
    const response = await raw('/user', {
      method: 'PUT',
      token: accessToken,
      body: { app_metadata: { role: 'boss' } },
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('not_admin');
  });
});

describe('refresh tokens', () => {
  it('rotates: a new refresh token and a fresh access token in the same session, the old token revoked', async () => {
    const { refreshToken, accessToken } = await signedUp();
    const response = await refresh(refreshToken);
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).not.toBe(refreshToken);
    expect(response.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      access_token: expect.any(String),
    });
    expect(decodeJwt(response.body.access_token as string).session_id).toBe(
      decodeJwt(accessToken).session_id,
    );
    const { rows } = await pool.query(
      `select token, revoked, parent from auth.refresh_tokens where token = any($1) order by id`,
      [[refreshToken, response.body.refresh_token]],
    );
    expect(rows).toEqual([
      { token: refreshToken, revoked: true, parent: null },
      { token: response.body.refresh_token, revoked: false, parent: refreshToken },
    ]);
  });

  it("gives the session's live token back to a client that lost the previous refresh response", async () => {
    const { refreshToken } = await signedUp();
    const first = await refresh(refreshToken);
    const again = await refresh(refreshToken);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
  });

  it('lets two racing refreshes of one token both through with the same new token', async () => {
    const { refreshToken } = await signedUp();
    const [a, b] = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
  });

  it('treats an older token used after the reuse interval as stolen: already used, and the session revoked', async () => {
    const { sb, email } = await signedUp();
    const { data } = await client(keys.anonKey, strictApiUrl).auth.signInWithPassword({
      email,
      password: PASSWORD,
    });
    expect(sb).toBeDefined();
    const first = data.session!.refresh_token;
    const second = (await refresh(first, strictApiUrl)).body.refresh_token as string;
    const third = (await refresh(second, strictApiUrl)).body.refresh_token as string;

    const reused = await client(keys.anonKey, strictApiUrl).auth.refreshSession({
      refresh_token: first,
    });
    expect(reused.error).toBeInstanceOf(AuthApiError);
    expect(reused.error).toMatchObject({
      status: 400,
      code: 'refresh_token_already_used',
      message: 'Invalid Refresh Token: Already Used',
    });
    expect((await refresh(third, strictApiUrl)).body.code).toBe('refresh_token_already_used');
  });

  it('still accepts an older token inside the reuse interval (10 s by default)', async () => {
    const { refreshToken: first } = await signedUp();
    const second = (await refresh(first)).body.refresh_token as string;
    await refresh(second);
    expect((await refresh(first)).status).toBe(200);
  });

  it('refuses an unknown token with refresh_token_not_found, and a missing one in the OAuth shape', async () => {
    const unknown = await client().auth.refreshSession({ refresh_token: 'abcdefghijkl' });
    expect(unknown.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
    const missing = await raw('/token?grant_type=refresh_token', { method: 'POST', body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: 'invalid_request',
      error_description: 'refresh_token required',
    });
  });
});

describe('sign-out', () => {
  it('scope global ends every session: refresh tokens gone, access tokens refused', async () => {
    const { sb, email, refreshToken: otherRefresh, accessToken: otherAccess } = await signedUp();
    const { data } = await sb.auth.signInWithPassword({ email, password: PASSWORD });
    expect((await sb.auth.signOut()).error).toBeNull();

    for (const token of [data.session!.refresh_token, otherRefresh]) {
      expect((await refresh(token)).body.code).toBe('refresh_token_not_found');
    }
    const response = await raw('/user', { token: otherAccess });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('session_not_found');
    // auth-js turns that into "there is no session".
    expect((await client().auth.getUser(otherAccess)).error).toBeInstanceOf(
      AuthSessionMissingError,
    );
  });

  it('scope local ends only this session; scope others all but this one', async () => {
    const { sb, email, refreshToken: first } = await signedUp();
    const second = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data
      .session!;
    const third = (await sb.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;

    expect((await sb.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect((await refresh(first)).status).toBe(400);
    expect((await refresh(second.refresh_token)).status).toBe(400);
    const kept = await refresh(third.refresh_token);
    expect(kept.status).toBe(200);

    const fourth = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data
      .session!;
    expect(
      (
        await raw('/logout?scope=local', {
          method: 'POST',
          token: kept.body.access_token as string,
        })
      ).status,
    ).toBe(204);
    expect((await refresh(kept.body.refresh_token as string)).status).toBe(400);
    expect((await refresh(fourth.refresh_token)).status).toBe(200);
  });

  it('refuses an unknown scope with validation_failed', async () => {
    const { accessToken } = await signedUp();
    const response = await raw('/logout?scope=everything', { method: 'POST', token: accessToken });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });
});

describe('admin users', () => {
  const admin = () => client(keys.serviceRoleKey).auth.admin;

  it('refuses the anon key and user tokens with 403 not_admin, and no token with 401', async () => {
    expect((await client(keys.anonKey).auth.admin.listUsers()).error).toMatchObject({
      status: 403,
      code: 'not_admin',
    });
    const { accessToken } = await signedUp();
    expect((await raw('/admin/users', { token: accessToken })).body.code).toBe('not_admin');
    expect((await raw('/admin/users')).status).toBe(401);
  });

  it('creates a confirmed user with metadata who can then sign in', async () => {
    const email = newEmail();
    const { data, error } = await admin().createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: 'Made By Admin' },
      app_metadata: { tier: 'gold' },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({
      email,
      role: 'authenticated',
      user_metadata: { full_name: 'Made By Admin', email_verified: true },
      app_metadata: { provider: 'email', providers: ['email'], tier: 'gold' },
    });
    expect(
      (await client().auth.signInWithPassword({ email, password: PASSWORD })).error,
    ).toBeNull();
    expect((await admin().createUser({ email, password: PASSWORD })).error).toMatchObject({
      status: 422,
      code: 'email_exists',
    });
  });

  it('lists users newest first, a page at a time, with the total', async () => {
    const created = [await signedUp(), await signedUp(), await signedUp()];
    const { data, error } = await admin().listUsers({ page: 1, perPage: 2 });
    expect(error).toBeNull();
    expect(data.users.map((u) => u.id)).toEqual([created[2]!.userId, created[1]!.userId]);
    const { rows } = await pool.query(
      `select count(*)::int as n from auth.users where aud = 'authenticated'`,
    );
    expect(data).toMatchObject({ aud: 'authenticated', total: rows[0].n, nextPage: 2 });

    const response = await raw('/admin/users?page=1&per_page=2', { token: keys.serviceRoleKey });
    expect(response.headers.get('x-total-count')).toBe(String(rows[0].n));
    expect(response.headers.get('link')).toContain('</admin/users?page=2&per_page=2>; rel="next"');
  });

  it('gets, updates and deletes a user by id', async () => {
    const { userId, email, refreshToken } = await signedUp();
    expect((await admin().getUserById(userId)).data.user?.email).toBe(email);

    const updated = await admin().updateUserById(userId, {
      user_metadata: { nickname: 'ace' },
      password: 'admin-chosen',
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata).toMatchObject({ nickname: 'ace' });
    // A password set by an admin signs the user out everywhere.
    expect((await refresh(refreshToken)).body.code).toBe('refresh_token_not_found');
    expect(
      (await client().auth.signInWithPassword({ email, password: 'admin-chosen' })).error,
    ).toBeNull();

    expect((await admin().updateUserById(userId, { ban_duration: '24h' })).error).toBeNull();
    expect(
      (await client().auth.signInWithPassword({ email, password: 'admin-chosen' })).error,
    ).toMatchObject({ code: 'user_banned' });

    expect((await admin().deleteUser(userId)).error).toBeNull();
    expect((await admin().getUserById(userId)).error).toMatchObject({
      status: 404,
      code: 'user_not_found',
    });
    // auth-js checks for a UUID itself; the server does too.
    const badId = await raw('/admin/users/not-a-uuid', { token: keys.serviceRoleKey });
    expect(badId.status).toBe(404);
    expect(badId.body).toEqual({ code: 'validation_failed', message: 'user_id must be an UUID' });
  });
});

describe('rate limits', () => {
  it('answers a 31st /token request from one address within 5 minutes with 429, whatever X-Forwarded-For says', async () => {
    // token_refresh = 1 per 5 min: GoTrue's burst of 30, then nothing for minutes.
    const url = await serve({ rateLimits: { tokenRefresh: 1 } });
    const attempt = (forwardedFor: string): Promise<Response> =>
      fetch(`${url}/auth/v1/token?grant_type=refresh_token`, {
        method: 'POST',
        headers: {
          apikey: keys.anonKey,
          'content-type': 'application/json',
          'x-supabase-api-version': '2024-01-01',
          'x-forwarded-for': forwardedFor,
        },
        body: JSON.stringify({ refresh_token: 'not-a-token' }),
      });
    for (let i = 0; i < 30; i++) expect((await attempt(`10.0.0.${i}`)).status).toBe(400);
    const limited = await attempt('10.0.1.1');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      code: 'over_request_rate_limit',
      message: 'Request rate limit reached',
    });
    // Retry-After: whole seconds until the bucket (1 token per 300 s) has a token again.
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(120);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    // supabase-js sees it as an AuthApiError with the code.
    const { error } = await client(keys.anonKey, url).auth.signInWithPassword({
      email: newEmail(),
      password: PASSWORD,
    });
    expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
  });

  it('limits sign-ups per address by sign_in_sign_ups', async () => {
    const url = await serve({ rateLimits: { signInSignUps: 1 } });
    // Refused sign-ups count too: the limit is on requests, before any work.
    for (let i = 0; i < 30; i++) {
      const response = await raw('/signup', { method: 'POST', body: {}, url });
      expect(response.status).toBe(422);
    }
    const { error } = await client(keys.anonKey, url).auth.signUp({
      email: newEmail(),
      password: PASSWORD,
    });
    expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
  });

  it('refuses even the right password after too many wrong ones for one account, and only that account', async () => {
    const url = await serve({ rateLimits: { failedSignInsPerAccount: 3 } });
    const { email } = await signedUp();
    const other = await signedUp();
    const signIn = (address: string, password: string) =>
      client(keys.anonKey, url).auth.signInWithPassword({ email: address, password });
    // Right passwords do not use the allowance up.
    for (let i = 0; i < 4; i++) expect((await signIn(email, PASSWORD)).error).toBeNull();
    for (let i = 0; i < 3; i++) {
      expect((await signIn(email.toUpperCase(), `wrong-${i}`)).error?.code).toBe(
        'invalid_credentials',
      );
    }
    expect((await signIn(email, PASSWORD)).error).toMatchObject({
      status: 429,
      code: 'over_request_rate_limit',
    });
    expect((await signIn(other.email, PASSWORD)).error).toBeNull();
    // The 429 says when the account's next attempt comes back (3 per 900 s: one in 300 s).
    const limited = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email, password: PASSWORD },
      url,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(120);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    // An address without an account is limited the same way, so a 429 reveals nothing.
    const nobody = newEmail();
    for (let i = 0; i < 3; i++) await signIn(nobody, 'guess');
    expect((await signIn(nobody, 'guess')).error?.status).toBe(429);
  });

  it('limits emails sent per hour for the whole project: 429 over_email_send_rate_limit', async () => {
    const url = await serve({ enableConfirmations: true, rateLimits: { emailSent: 1 } });
    const sb = client(keys.anonKey, url);
    expect((await sb.auth.signUp({ email: newEmail(), password: PASSWORD })).error).toBeNull();
    const { error } = await sb.auth.signUp({ email: newEmail(), password: PASSWORD });
    expect(error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });
    // One an hour: the next is up to an hour away, and the 429 says so.
    const limited = await raw('/signup', {
      method: 'POST',
      body: { email: newEmail(), password: PASSWORD },
      url,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
  });
});

describe('email confirmation (enable_confirmations)', () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({ enableConfirmations: true, siteUrl: 'http://127.0.0.1:5173' });
  });

  it('answers a sign-up with the user and no session, and mails a link', async () => {
    const email = newEmail();
    const { data, error } = await client(keys.anonKey, url).auth.signUp({
      email,
      password: PASSWORD,
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user).toMatchObject({ email });
    expect(data.user?.email_confirmed_at).toBeUndefined();
    const signIn = await client(keys.anonKey, url).auth.signInWithPassword({
      email,
      password: PASSWORD,
    });
    expect(signIn.error?.code).toBe('email_not_confirmed');
    const [message] = await mail(email, url);
    expect(message).toMatchObject({ to: email, type: 'signup' });
    expect(message!.link).toContain(`${url}/auth/v1/verify?token=${message!.token_hash}`);
  });

  it('confirms through verifyOtp with the token hash, which signs the user in', async () => {
    const email = newEmail();
    await client(keys.anonKey, url).auth.signUp({ email, password: PASSWORD });
    const [message] = await mail(email, url);
    const { data, error } = await client(keys.anonKey, url).auth.verifyOtp({
      token_hash: message!.token_hash,
      type: 'signup',
    });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    const signIn = await client(keys.anonKey, url).auth.signInWithPassword({
      email,
      password: PASSWORD,
    });
    expect(signIn.error).toBeNull();
  });

  it('confirms through the emailed link, which redirects to the site with the session', async () => {
    const email = newEmail();
    await client(keys.anonKey, url).auth.signUp({ email, password: PASSWORD });
    const [message] = await mail(email, url);
    const response = await fetch(message!.link, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).toBe('http://127.0.0.1:5173');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('type')).toBe('signup');
    expect(fragment.get('access_token')).toBeTruthy();
    // Followed twice: the error goes to the site, in the fragment.
    const again = await fetch(message!.link, { redirect: 'manual' });
    const error = new URLSearchParams(new URL(again.headers.get('location') ?? '').hash.slice(1));
    expect(error.get('error_code')).toBe('otp_expired');
  });

  it('answers a sign-up with a confirmed address as with a new one, revealing nothing', async () => {
    const email = newEmail();
    await client(keys.anonKey, url).auth.signUp({ email, password: PASSWORD });
    const [message] = await mail(email, url);
    await client(keys.anonKey, url).auth.verifyOtp({
      token_hash: message!.token_hash,
      type: 'signup',
    });
    const { data, error } = await client(keys.anonKey, url).auth.signUp({
      email,
      password: 'another-password',
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    const { rows } = await pool.query(`select id from auth.users where email = $1`, [email]);
    expect(data.user?.id).not.toBe(rows[0]?.id);
  });

  it('says so in /settings: mailer_autoconfirm false', async () => {
    expect((await raw('/settings', { url })).body.mailer_autoconfirm).toBe(false);
  });
});

describe('password recovery', () => {
  it('mails a link that signs the user in to set a new password; {} for an unknown address too', async () => {
    const url = await serve({ maxFrequencySeconds: 60 });
    const sb = client(keys.anonKey, url);
    const email = newEmail();
    expect((await sb.auth.signUp({ email, password: PASSWORD })).error).toBeNull();

    const unknown = await raw('/recover', { method: 'POST', body: { email: newEmail() }, url });
    expect(unknown).toMatchObject({ status: 200, body: {} });
    expect((await client(keys.anonKey, url).auth.resetPasswordForEmail(email)).error).toBeNull();
    const [message] = (await mail(email, url)).filter((m) => m.type === 'recovery');

    const reader = client(keys.anonKey, url);
    const { error } = await reader.auth.verifyOtp({
      token_hash: message!.token_hash,
      type: 'recovery',
    });
    expect(error).toBeNull();
    expect((await reader.auth.updateUser({ password: 'new-password-1' })).error).toBeNull();
    const signIn = await client(keys.anonKey, url).auth.signInWithPassword({
      email,
      password: 'new-password-1',
    });
    expect(signIn.error).toBeNull();
  });

  it('refuses a second recovery email to one account within max_frequency with 429', async () => {
    const url = await serve({ maxFrequencySeconds: 60 });
    const email = newEmail();
    await client(keys.anonKey, url).auth.signUp({ email, password: PASSWORD });
    expect((await client(keys.anonKey, url).auth.resetPasswordForEmail(email)).error).toBeNull();
    const { error } = await client(keys.anonKey, url).auth.resetPasswordForEmail(email);
    expect(error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });
    expect((await mail(email, url)).filter((m) => m.type === 'recovery')).toHaveLength(1);
  });

  it('limits recovery requests per address by sign_in_sign_ups', async () => {
    const url = await serve({ rateLimits: { signInSignUps: 1 } });
    for (let i = 0; i < 30; i++) {
      expect(
        (await raw('/recover', { method: 'POST', body: { email: newEmail() }, url })).status,
      ).toBe(200);
    }
    const limited = await raw('/recover', { method: 'POST', body: { email: newEmail() }, url });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'over_request_rate_limit' });
  });
});

describe('bad input', () => {
  /** `{"next":{"next":…{"leaf":true}…}}`, built as text: JSON.stringify overflows on it. */
  const deep = (levels: number): string =>
    `${'{"next":'.repeat(levels)}{"leaf":true}${'}'.repeat(levels)}`;

  it('refuses a NUL character in a sign-up password with 400 validation_failed, not 500', async () => {
    const response = await raw('/signup', {
      method: 'POST',
      body: { email: newEmail(), password: 'pass\u0000word' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a NUL character in a sign-in password with 400, not 500', async () => {
    const { email } = await signedUp();
    const response = await raw('/token?grant_type=password', {
      method: 'POST',
      body: { email, password: `${PASSWORD}\u0000` },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a NUL character in metadata, as a value or a key, with 400', async () => {
    const asValue = await raw('/signup', {
      method: 'POST',
      body: { email: newEmail(), password: PASSWORD, data: { full_name: 'a\u0000b' } },
    });
    expect(asValue.status).toBe(400);
    const { accessToken } = await signedUp();
    const asKey = await raw('/user', {
      method: 'PUT',
      token: accessToken,
      body: { data: { 'x\u0000y': 1 } },
    });
    expect(asKey.status).toBe(400);
    expect(asKey.body).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses metadata 5,000 levels deep with 400 bad_json, and takes 60 levels', async () => {
    const tooDeep = await raw('/signup', {
      method: 'POST',
      rawBody: `{"email":"${newEmail()}","password":"${PASSWORD}","data":${deep(5000)}}`,
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body).toMatchObject({ code: 'bad_json' });
    const { accessToken } = await signedUp();
    const fine = await raw('/user', {
      method: 'PUT',
      token: accessToken,
      rawBody: `{"data":${deep(60)}}`,
    });
    expect(fine.status).toBe(200);
  });

  it('refuses a body over 1 MiB with 400 bad_json', async () => {
    const response = await raw('/signup', {
      method: 'POST',
      body: { email: newEmail(), password: PASSWORD, data: { blob: 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'bad_json' });
  });
});

describe('the rest of the API', () => {
  it('says what it offers in /settings and that it is alive in /health', async () => {
    const settings = await raw('/settings');
    expect(settings.body).toMatchObject({
      disable_signup: false,
      mailer_autoconfirm: true,
      external: { email: true, phone: false, google: false },
    });
    expect((await raw('/health')).body).toMatchObject({ name: 'GoTrue' });
    expect((await raw('/.well-known/jwks.json')).body).toEqual({ keys: [] });
  });

  it('answers unknown paths with 404 and known paths with the wrong method with 405', async () => {
    expect((await raw('/nowhere')).status).toBe(404);
    expect((await raw('/user', { method: 'DELETE' })).status).toBe(405);
    expect((await raw('/admin/users/%E0%A4%A', { token: keys.serviceRoleKey })).status).toBe(404);
  });
});
