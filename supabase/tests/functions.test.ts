import { describe, expect, it } from 'vitest';
import { createTestClient, env, serviceClient } from './support/env.ts';

const fn = (name: string, init: RequestInit = {}) => fetch(`${env.url}/functions/v1/${name}`, init);

async function signedInToken(): Promise<{ token: string; userId: string }> {
  const email = `fn-${crypto.randomUUID()}@forkflow.test`;
  const admin = serviceClient();
  const { data: created, error } = await admin.auth.admin.createUser({
    email,
    password: 'password123',
    email_confirm: true,
  });
  if (error) throw error;
  const client = createTestClient();
  const { data, error: signInError } = await client.auth.signInWithPassword({
    email,
    password: 'password123',
  });
  if (signInError || !data.session) throw signInError ?? new Error('no session');
  return { token: data.session.access_token, userId: created.user.id };
}

describe('edge functions through the gateway', () => {
  it('a call without a JWT is refused with 401 before reaching the function', async () => {
    const res = await fn('me');
    expect(res.status).toBe(401);
  });

  it('a JWT signed with another secret is refused with 401', async () => {
    const forged = env.anonKey.split('.').slice(0, 2).join('.') + '.c2lnbmF0dXJl';
    const res = await fn('me', { headers: { Authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });

  it('the anon key reaches the function, which answers 401 because nobody is signed in', async () => {
    const res = await fn('me', { headers: { Authorization: `Bearer ${env.anonKey}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('a signed-in user gets their own identity back, read under RLS', async () => {
    const { token, userId } = await signedInToken();
    const res = await fn('me', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string }; memberships: unknown[] };
    expect(body.user.id).toBe(userId);
    expect(body.memberships).toEqual([]);
  });

  it('a wrong method gets a 4xx with a machine-readable error', async () => {
    const { token } = await signedInToken();
    const res = await fn('me', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('an unknown function is a 404', async () => {
    const res = await fn('no-such-function', {
      headers: { Authorization: `Bearer ${env.anonKey}` },
    });
    expect(res.status).toBe(404);
  });

  it('CORS preflight is answered by the function', async () => {
    const res = await fn('me', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
