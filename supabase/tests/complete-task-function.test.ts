import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import {
  activeTask,
  createRestaurant,
  createTemplate,
  instanceTasks,
  startSequence,
  steps,
  type TaskResult,
} from './support/sequences.ts';
import { createFixtures, type TestUser } from './support/users.ts';

// POST /functions/v1/complete-task: the machine entry point to complete_task, acting as the
// caller so RLS applies. Same result as the RPC; 401/400/404 for the wrong caller or input.

const fx = createFixtures('complete-task-fn');
let rep: TestUser;
let outsider: TestUser;
let organisationId: string;

const tokenOf = async (user: TestUser): Promise<string> => {
  const { data } = await user.client.auth.getSession();
  if (!data.session) throw new Error(`${user.email} has no session`);
  return data.session.access_token;
};

const completeTask = (body: unknown, token?: string) =>
  fetch(`${env.url}/functions/v1/complete-task`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function startThreeSteps(type?: 'call'): Promise<string> {
  const template = await createTemplate(
    rep,
    organisationId,
    steps(3).map((step) => ({ ...step, ...(type ? { type } : {}) })),
  );
  const restaurant = await createRestaurant(fx.service, organisationId);
  const instance = await startSequence(rep, template.id, restaurant.id);
  return instance.id;
}

beforeAll(async () => {
  ({ rep, outsider } = await fx.users('rep', 'outsider'));
  organisationId = await fx.organisation(rep);
  await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

describe('complete-task edge function', () => {
  it('completes the active task and activates the next, like the RPC', async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);

    const res = await completeTask({ task_id: first.id }, await tokenOf(rep));
    expect(res.status).toBe(200);
    const body = (await res.json()) as TaskResult;
    expect(body.task).toMatchObject({ id: first.id, status: 'completed' });
    expect(body.next_task).toMatchObject({ sequence_step_order: 2, status: 'active' });
    expect(body.warnings).toEqual([]);

    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['completed', 'active', 'pending']);
  });

  it('completing the same task again changes nothing and says so', async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);
    const token = await tokenOf(rep);
    await completeTask({ task_id: first.id }, token);

    const res = await completeTask({ task_id: first.id }, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TaskResult;
    expect(body.warnings.length).toBeGreaterThan(0);
    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['completed', 'active', 'pending']);
  });

  it("records a call's outcome on the completed task, as the dashboard does", async () => {
    const instanceId = await startThreeSteps('call');
    const first = await activeTask(fx.service, instanceId);

    const res = await completeTask({ task_id: first.id, outcome: 'voicemail' }, await tokenOf(rep));
    expect(res.status).toBe(200);
    const { data } = await fx.service
      .from('tasks')
      .select('status, metadata')
      .eq('id', first.id)
      .single();
    expect(data).toMatchObject({ status: 'completed', metadata: { call_outcome: 'voicemail' } });
  });

  it('answers 400 to an outcome it does not know, and the task stays active', async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);

    const res = await completeTask({ task_id: first.id, outcome: 'busy' }, await tokenOf(rep));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('connected, voicemail, no_answer'),
      },
    });
    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['active', 'pending', 'pending']);
  });

  it("passes the database's own 400 on: an outcome for a task that is not a call", async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);

    const res = await completeTask({ task_id: first.id, outcome: 'connected' }, await tokenOf(rep));
    // Was a 500 internal_error: the function dropped PostgREST's status, which carries the
    // code an RPC chooses through private.raise_http.
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_input', message: expect.stringContaining('only for call tasks') },
    });
    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['active', 'pending', 'pending']);
  });

  it('refuses a call without a token with 401', async () => {
    const res = await completeTask({ task_id: crypto.randomUUID() });
    expect(res.status).toBe(401);
  });

  it('refuses the anon key with 401: completing needs a user', async () => {
    const res = await completeTask({ task_id: crypto.randomUUID() }, env.anonKey);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['a missing task_id', {}],
    ['a task_id that is not a UUID', { task_id: '42' }],
  ])('answers 400 to %s and changes nothing', async (_label, body) => {
    const res = await completeTask(body, await tokenOf(rep));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('refuses a body over 16 KiB with 413 and the task stays active', async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);

    const big = JSON.stringify({ task_id: first.id, pad: 'x'.repeat(20_000) });
    const res = await completeTask(big, await tokenOf(rep));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['active', 'pending', 'pending']);
  });

  it("answers 404 to another organisation's rep, and the task stays active", async () => {
    const instanceId = await startThreeSteps();
    const first = await activeTask(fx.service, instanceId);

    const res = await completeTask({ task_id: first.id }, await tokenOf(outsider));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    const tasks = await instanceTasks(fx.service, instanceId);
    expect(tasks.map((t) => t.status)).toEqual(['active', 'pending', 'pending']);
  });

  it('answers 404 to a task that does not exist', async () => {
    const res = await completeTask({ task_id: crypto.randomUUID() }, await tokenOf(rep));
    expect(res.status).toBe(404);
  });
});
