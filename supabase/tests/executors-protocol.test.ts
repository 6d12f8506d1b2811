// The executor protocol (docs/workflows-contract.md) on every execute-* function, over HTTP
// through the gateway: service role only, the request shape checked before any work.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, env, serviceClient } from './support/env.ts';

const EXECUTORS = ['execute-echo', 'execute-http-request', 'execute-gemini-prompt'];

const post = (name: string, body: unknown, token?: string) =>
  fetch(`${env.url}/functions/v1/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });

const call = { job_id: randomUUID(), step_id: 'step1', attempt: 1, input: {}, config: {} };

describe('executor protocol', () => {
  let userToken = '';
  let userId = '';

  beforeAll(async () => {
    const email = `executor-${randomUUID()}@forkflow.test`;
    const { data, error } = await serviceClient().auth.admin.createUser({
      email,
      password: 'password123',
      email_confirm: true,
    });
    if (error) throw error;
    userId = data.user.id;
    const { data: session, error: signInError } = await createTestClient().auth.signInWithPassword({
      email,
      password: 'password123',
    });
    if (signInError || !session.session) throw signInError ?? new Error('no session');
    userToken = session.session.access_token;
  });

  afterAll(async () => {
    if (userId) await serviceClient().auth.admin.deleteUser(userId);
  });

  it.each(EXECUTORS)('%s refuses a call without a token with 401', async (name) => {
    const res = await post(name, call);
    expect(res.status).toBe(401);
  });

  it.each(EXECUTORS)('%s refuses a signed-in user with 403 forbidden', async (name) => {
    const res = await post(name, call, userToken);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden', retryable: false } });
  });

  it.each(EXECUTORS)('%s refuses the anon key with 403 forbidden', async (name) => {
    const res = await post(name, call, env.anonKey);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it.each(EXECUTORS)('%s answers 400 to a body that is not an executor call', async (name) => {
    for (const body of [
      { step_id: 's', attempt: 1, input: {} },
      { job_id: 'j', step_id: 's', attempt: 0, input: {} },
      { job_id: 'j', step_id: 's', attempt: 1 },
      { job_id: 'j', step_id: 's', attempt: 1, input: {}, config: [] },
      [],
    ]) {
      const res = await post(name, body, env.serviceRoleKey);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'invalid_request', retryable: false },
      });
    }
  });

  it('a GET is refused with 405', async () => {
    const res = await fetch(`${env.url}/functions/v1/execute-echo`, {
      headers: { Authorization: `Bearer ${env.serviceRoleKey}` },
    });
    expect(res.status).toBe(405);
  });
});
