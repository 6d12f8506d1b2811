import { randomUUID } from 'node:crypto';
import { AuthApiError } from '@supabase/supabase-js';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestClient, env, serviceClient, type Client } from './support/env.ts';

// Auth through the whole stack as the app uses it: supabase-js against the API gateway.
// The same file runs against the native stack and against `supabase start` (real GoTrue
// with supabase/config.toml: no email confirmations, refresh_token_reuse_interval = 10).

const PASSWORD = 'a-long-enough-password';
const REP = {
  id: '10000000-0000-4000-8000-000000000002',
  email: 'rep@forkflow.test',
  password: 'password123',
};

const created: string[] = [];
const newEmail = (): string => `auth-test-${randomUUID()}@forkflow.test`;

/** A new user, signed in on a client of their own. */
async function signUp(
  fullName = 'Test User',
): Promise<{ client: Client; email: string; userId: string }> {
  const client = createTestClient();
  const email = newEmail();
  const { data, error } = await client.auth.signUp({
    email,
    password: PASSWORD,
    options: { data: { full_name: fullName } },
  });
  if (error || !data.user || !data.session) throw error ?? new Error('sign-up returned no session');
  created.push(data.user.id);
  return { client, email, userId: data.user.id };
}

afterAll(async () => {
  const admin = serviceClient().auth.admin;
  await Promise.all(created.map((id) => admin.deleteUser(id)));
});

describe('sign-up and sign-in', () => {
  it('a new user is signed in as soon as they sign up, with their metadata', async () => {
    const client = createTestClient();
    const email = newEmail();
    const { data, error } = await client.auth.signUp({
      email,
      password: PASSWORD,
      options: { data: { full_name: 'Nora New' } },
    });
    expect(error).toBeNull();
    created.push(data.user!.id);
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user).toMatchObject({
      email,
      role: 'authenticated',
      aud: 'authenticated',
      user_metadata: expect.objectContaining({ full_name: 'Nora New' }),
    });
    expect(data.user?.email_confirmed_at).toBeTruthy();
  });

  it('signing up creates the profile (the trigger on auth.users fires)', async () => {
    const { userId, email } = await signUp('Paula Profile');
    const { data, error } = await serviceClient()
      .from('profiles')
      .select('id, email, full_name')
      .eq('id', userId)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: userId, email, full_name: 'Paula Profile' });
  });

  it('a user signs in with email and password', async () => {
    const { email, userId } = await signUp();
    const { data, error } = await createTestClient().auth.signInWithPassword({
      email,
      password: PASSWORD,
    });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(userId);
    expect(data.session?.refresh_token).toBeTruthy();
  });

  it('a wrong password is refused with invalid_credentials', async () => {
    const { email } = await signUp();
    const { data, error } = await createTestClient().auth.signInWithPassword({
      email,
      password: 'not-the-password',
    });
    expect(data.session).toBeNull();
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_credentials' });
  });

  it('signing up twice with one address is refused with user_already_exists', async () => {
    const { email } = await signUp();
    const { error } = await createTestClient().auth.signUp({ email, password: PASSWORD });
    expect(error).toMatchObject({ status: 422, code: 'user_already_exists' });
  });

  it('the seeded demo user rep@forkflow.test signs in with password123', async () => {
    const { data, error } = await createTestClient().auth.signInWithPassword({
      email: REP.email,
      password: REP.password,
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: REP.id, email: REP.email });
  });
});

describe('the signed-in user', () => {
  it('getUser returns the user the session belongs to', async () => {
    const { client, userId, email } = await signUp();
    const { data, error } = await client.auth.getUser();
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: userId, email });
  });

  it('updateUser merges user_metadata', async () => {
    const { client } = await signUp('Before Name');
    const { data, error } = await client.auth.updateUser({
      data: { full_name: 'After Name', team: 'north' },
    });
    expect(error).toBeNull();
    expect(data.user?.user_metadata).toMatchObject({ full_name: 'After Name', team: 'north' });
    const { data: fresh } = await client.auth.getUser();
    expect(fresh.user?.user_metadata).toMatchObject({ full_name: 'After Name', team: 'north' });
  });
});

describe('refresh tokens', () => {
  it('a refresh rotates the session, and an old refresh token used again later is refused', async () => {
    const { client } = await signUp();
    const first = (await client.auth.getSession()).data.session!;

    const { data: refreshed, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    const second = refreshed.session!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.user.id).toBe(first.user.id);

    // A second rotation; the first token is now neither live nor the live token's parent.
    const { data: again } = await client.auth.refreshSession();
    const third = again.session!;
    expect(third.refresh_token).not.toBe(second.refresh_token);

    // GoTrue still honours a rotated token for refresh_token_reuse_interval (10 s in
    // config.toml), for clients that lost a response; past it, reuse means theft.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const reused = await createTestClient().auth.refreshSession({
      refresh_token: first.refresh_token,
    });
    expect(reused.data.session).toBeNull();
    expect(reused.error).toBeInstanceOf(AuthApiError);
    expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
  }, 40_000);

  it('after sign-out the refresh token no longer works', async () => {
    const { client } = await signUp();
    const { refresh_token } = (await client.auth.getSession()).data.session!;
    expect((await client.auth.signOut()).error).toBeNull();

    const { data, error } = await createTestClient().auth.refreshSession({ refresh_token });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });
});

describe('admin API', () => {
  it('the service role creates, lists and deletes users', async () => {
    const admin = serviceClient().auth.admin;
    const email = newEmail();
    const { data: createdUser, error } = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: 'Made By Admin' },
    });
    expect(error).toBeNull();
    const id = createdUser.user!.id;
    created.push(id);
    expect(createdUser.user).toMatchObject({
      email,
      user_metadata: expect.objectContaining({ full_name: 'Made By Admin' }),
    });
    expect(
      (await createTestClient().auth.signInWithPassword({ email, password: PASSWORD })).error,
    ).toBeNull();

    // Newest first: the user just created is on the first page.
    const { data: page, error: listError } = await admin.listUsers({ page: 1, perPage: 50 });
    expect(listError).toBeNull();
    expect(page.users.map((u) => u.id)).toContain(id);
    expect('total' in page ? page.total : 0).toBeGreaterThanOrEqual(1);

    expect((await admin.deleteUser(id)).error).toBeNull();
    expect((await admin.getUserById(id)).error).toMatchObject({
      status: 404,
      code: 'user_not_found',
    });
    expect(
      (await createTestClient().auth.signInWithPassword({ email, password: PASSWORD })).error,
    ).toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('the anon key cannot use the admin API', async () => {
    const { data, error } = await createTestClient(env.anonKey).auth.admin.listUsers();
    expect(data.users).toEqual([]);
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ status: 403, code: 'not_admin' });
  });

  it("a signed-in user's token cannot use the admin API either", async () => {
    const { client } = await signUp();
    const { access_token } = (await client.auth.getSession()).data.session!;
    const response = await fetch(`${env.url}/auth/v1/admin/users`, {
      headers: { apikey: env.anonKey, authorization: `Bearer ${access_token}` },
    });
    expect(response.status).toBe(403);
  });
});
