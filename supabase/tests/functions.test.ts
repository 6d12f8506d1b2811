import { describe, expect, it } from 'vitest';
import { createTestClient, env, serviceClient } from './support/env.ts';
import { signed } from './support/jwt.ts';

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

  it('CORS preflight is answered by the function, for the dashboard origin only', async () => {
    const res = await fn('me', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const foreign = await fn('me', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

// Tokens a stranger can make without the project's secret (issue 10 §6: the functions' own
// port accepted an alg=none service-role token). The gateway refuses them, and so does every
// function itself, called directly on the functions port.
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const serviceClaims = {
  role: 'service_role',
  iss: 'supabase',
  exp: Math.floor(Date.now() / 1000) + 3600,
};
const forgedTokens = [
  ['an alg=none service-role token', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(serviceClaims)}.`],
  [
    'a service-role token signed with another secret',
    signed(serviceClaims, 'not-the-project-secret-but-32-chars-long'),
  ],
  [
    'an alg=none user token',
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: crypto.randomUUID(), role: 'authenticated' })}.`,
  ],
] as const;
const directUrl = process.env.FUNCTIONS_DIRECT_URL;

describe.each([
  ['through the gateway', `${env.url}/functions/v1`],
  ['on the functions port', directUrl ?? ''],
])('forged tokens %s', (_where, base) => {
  it.skipIf(!base).each(
    forgedTokens.flatMap(([name, token]) =>
      (
        [
          ['workflow-metrics', 'GET'],
          ['execute-echo', 'POST'],
          ['workflow-orchestrator', 'POST'],
          ['start-workflow', 'POST'],
          ['get-job', 'GET'],
        ] as const
      ).map(([fnName, method]) => [name, fnName, method, token] as const),
    ),
  )('%s is refused by %s with 401', async (_name, fnName, method, token) => {
    const res = await fetch(`${base}/${fnName}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(method === 'POST'
        ? {
            body: JSON.stringify({
              job_id: crypto.randomUUID(),
              step_id: 'step1',
              attempt: 1,
              input: { data: 1 },
              config: {},
              workflow_id: crypto.randomUUID(),
              input_data: {},
            }),
          }
        : {}),
    });
    expect(res.status).toBe(401);
  });

  it.skipIf(!base)('the real service-role key is still accepted', async () => {
    const res = await fetch(`${base}/workflow-metrics`, {
      headers: { Authorization: `Bearer ${env.serviceRoleKey}` },
    });
    expect(res.status).toBe(200);
  });
});
