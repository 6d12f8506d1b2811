// execute-crm (issue 14 §2; docs/automation/crm-actions.md): the CRM transformers act as the
// job's user through PostgREST, so RLS and the RPCs decide, and only ever in the job's
// organisation. Called here as the orchestrator calls it (service role, a batch or one call),
// then once end to end through a workflow a member starts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClaims } from '../functions/_shared/claims.ts';
import {
  signUserToken,
  stepErrorFromPostgrest,
  USER_TOKEN_SECONDS,
} from '../functions/execute-crm/input.ts';
import { env, type Client } from './support/env.ts';
import { jwtSecret, signed } from './support/jwt.ts';
import { needs, orchestrator } from './support/needs.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import { createRestaurant, createTemplate, steps, startSequence } from './support/sequences.ts';
import {
  callFunction,
  saveWorkflow,
  startJob,
  tokenOf,
  uniqueKey,
  waitForJob,
} from './support/workflows.ts';

const fx = createFixtures('crm');
let service: Client;
let owner: TestUser;
let member: TestUser;
/** A member of both organisations: a job in one must never reach the other's rows. */
let both: TestUser;
let outsider: TestUser;
let orgA: string;
let orgB: string;

interface Answer {
  output?: Record<string, Record<string, unknown> | null>;
  error?: { code: string; message: string; retryable: boolean };
}

const ACTION_OF = {
  'crm-create-task': 'create_task',
  'crm-update-restaurant': 'update_restaurant',
  'crm-start-sequence': 'start_sequence',
  'crm-complete-task': 'complete_task',
} as const;
type Transformer = keyof typeof ACTION_OF;

/** One call as the orchestrator makes it: the job's organisation and user beside the input. */
function call(
  transformer: Transformer,
  input: unknown,
  job: { user?: TestUser | null; organisationId?: string | null },
  config: Record<string, unknown> = {},
) {
  return {
    job_id: randomUUID(),
    step_id: 'crm',
    attempt: 1,
    ...(job.organisationId === null ? {} : { organisation_id: job.organisationId ?? orgA }),
    ...(job.user === null ? {} : { user_id: (job.user ?? member).id }),
    input,
    config: { action: ACTION_OF[transformer], ...config },
  };
}

async function crm(
  transformer: Transformer,
  input: unknown,
  job: { user?: TestUser | null; organisationId?: string | null } = {},
  config: Record<string, unknown> = {},
): Promise<{ status: number; body: Answer }> {
  const res = await callFunction<Answer>('execute-crm', {
    as: env.serviceRoleKey,
    body: call(transformer, input, job, config),
  });
  return { status: res.status, body: res.body };
}

async function restaurantRow(id: string) {
  const { data, error } = await service.from('restaurants').select().eq('id', id).single();
  if (error) throw new Error(error.message);
  return data;
}

beforeAll(async () => {
  service = fx.service;
  ({ owner, member, both, outsider } = await fx.users('owner', 'member', 'both', 'outsider'));
  orgA = await fx.organisation(owner, { members: [member, both] });
  orgB = await fx.organisation(outsider, { members: [both] });
});

afterAll(() => fx.cleanup());

describe('execute-crm: each action as a member of the job organisation', () => {
  it('the four built-ins exist, run execute-crm and pin their action', async () => {
    const { data } = await member.client
      .from('transformers')
      .select('id, type, target_function, config')
      .in('id', Object.keys(ACTION_OF))
      .is('organisation_id', null)
      .order('id');
    expect(data).toEqual(
      Object.entries(ACTION_OF)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, action]) => ({
          id,
          type: id,
          target_function: 'execute-crm',
          config: { action },
        })),
    );
  });

  it('crm-create-task creates a task as the job user, assigned to them by default', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const due = '2030-01-02T09:00:00.000Z';
    const { status, body } = await crm('crm-create-task', {
      restaurant_id: restaurant.id,
      name: 'Call about the demo',
      type: 'call',
      due_date: due,
      description: 'From a workflow',
    });
    expect(status).toBe(200);
    const task = body.output?.task;
    expect(task).toMatchObject({
      organisation_id: orgA,
      restaurant_id: restaurant.id,
      name: 'Call about the demo',
      type: 'call',
      status: 'active',
      assigned_to: member.id,
    });
    expect(new Date(String(task?.due_date)).toISOString()).toBe(due);
    const { data: row } = await service.from('tasks').select().eq('id', String(task?.id)).single();
    expect(row).toMatchObject({ created_by: member.id, description: 'From a workflow' });
  });

  it('crm-create-task assigns to another member when asked', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const { status, body } = await crm('crm-create-task', {
      restaurant_id: restaurant.id,
      name: 'Owner follow-up',
      type: 'email',
      assigned_to: owner.id,
    });
    expect(status).toBe(200);
    expect(body.output?.task).toMatchObject({ assigned_to: owner.id });
  });

  it('crm-update-restaurant sets stage and warmth and appends notes, keeping the old ones', async () => {
    const restaurant = await createRestaurant(service, orgA, { notes: 'Met at the trade fair.' });
    const first = await crm('crm-update-restaurant', {
      restaurant_id: restaurant.id,
      lead_stage: 'demo_done',
      lead_warmth: 'hot',
      append_note: 'Demo went well.',
    });
    expect(first.status).toBe(200);
    expect(first.body.output?.restaurant).toMatchObject({
      id: restaurant.id,
      lead_stage: 'demo_done',
      lead_warmth: 'hot',
      lead_status: 'active',
    });
    // The value from config when the input gives none (a step fixing the stage).
    const second = await crm(
      'crm-update-restaurant',
      { restaurant_id: restaurant.id, append_note: 'Send the proposal.' },
      {},
      { lead_stage: 'proposal' },
    );
    expect(second.status).toBe(200);
    const row = await restaurantRow(restaurant.id);
    expect(row).toMatchObject({
      lead_stage: 'proposal',
      lead_warmth: 'hot',
      notes: 'Met at the trade fair.\n\nDemo went well.\n\nSend the proposal.',
    });
    const { data: activity } = await service
      .from('restaurant_activity')
      .select('kind, actor_id, from_value, to_value')
      .eq('restaurant_id', restaurant.id)
      .eq('kind', 'stage_changed')
      .order('id');
    expect(activity).toEqual([
      { kind: 'stage_changed', actor_id: member.id, from_value: 'new', to_value: 'demo_done' },
      { kind: 'stage_changed', actor_id: member.id, from_value: 'demo_done', to_value: 'proposal' },
    ]);
  });

  it('crm-start-sequence starts a template by name or by id for the restaurant', async () => {
    const template = await createTemplate(owner, orgA, steps(2), { name: uniqueKey('Follow') });
    const byName = await createRestaurant(service, orgA);
    const named = await crm('crm-start-sequence', {
      restaurant_id: byName.id,
      sequence_template_name: template.name,
    });
    expect(named.status).toBe(200);
    expect(named.body.output?.sequence_instance).toMatchObject({
      sequence_template_id: template.id,
      restaurant_id: byName.id,
      status: 'active',
      total_steps: 2,
    });
    const byId = await createRestaurant(service, orgA);
    const withId = await crm('crm-start-sequence', {
      restaurant_id: byId.id,
      sequence_template_id: template.id,
    });
    expect(withId.status).toBe(200);
    const { data: instance } = await service
      .from('sequence_instances')
      .select('created_by')
      .eq('id', String(withId.body.output?.sequence_instance?.id))
      .single();
    expect(instance).toEqual({ created_by: member.id });
    // Already running: the RPC's own 409, not retried.
    const again = await crm('crm-start-sequence', {
      restaurant_id: byId.id,
      sequence_template_id: template.id,
    });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', retryable: false } },
    });
    // A restaurant marked "do not contact": the database's refusal, in words, not retried.
    const quiet = await createRestaurant(service, orgA, {
      name: 'Quiet Crm',
      lead_status: 'do_not_contact',
    });
    const refused = await crm('crm-start-sequence', {
      restaurant_id: quiet.id,
      sequence_template_id: template.id,
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', retryable: false } },
    });
    expect(refused.body.error?.message).toContain('Quiet Crm is marked do not contact');
    const { data: none } = await service
      .from('sequence_instances')
      .select('id')
      .eq('restaurant_id', quiet.id);
    expect(none).toEqual([]);
  });

  it('crm-complete-task completes a sequence task and the next one becomes active', async () => {
    const template = await createTemplate(owner, orgA, steps(2));
    const restaurant = await createRestaurant(service, orgA);
    const instance = await startSequence(owner, template.id, restaurant.id);
    const { data: first } = await service
      .from('tasks')
      .select('id')
      .eq('sequence_instance_id', instance.id)
      .eq('sequence_step_order', 1)
      .single();
    const { status, body } = await crm('crm-complete-task', { task_id: first?.id });
    expect(status).toBe(200);
    expect(body.output?.task).toMatchObject({ id: first?.id, status: 'completed' });
    expect(body.output?.next_task).toMatchObject({ sequence_step_order: 2, status: 'active' });
    const { data: row } = await service
      .from('tasks')
      .select('completed_by')
      .eq('id', String(first?.id))
      .single();
    expect(row).toEqual({ completed_by: member.id });
  });

  it('a batch answers each call on its own', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const res = await callFunction<{ results: Answer[] }>('execute-crm', {
      as: env.serviceRoleKey,
      body: {
        calls: [
          call('crm-update-restaurant', { restaurant_id: restaurant.id, lead_warmth: 'warm' }, {}),
          call('crm-update-restaurant', { restaurant_id: randomUUID(), lead_warmth: 'warm' }, {}),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]?.output?.restaurant).toMatchObject({ lead_warmth: 'warm' });
    expect(res.body.results[1]?.error).toMatchObject({ code: 'not_found', retryable: false });
  });
});

describe('execute-crm: refused across organisations, nothing changed', () => {
  it("another organisation's restaurant is not_found, even for a member of both", async () => {
    const restaurantB = await createRestaurant(service, orgB, { notes: 'B only' });
    const templateB = await createTemplate(outsider, orgB, steps(1));
    // The job is in A; `both` may write B's rows in their own requests, never from A's job.
    for (const user of [member, both]) {
      const job = { user, organisationId: orgA };
      for (const [transformer, input] of [
        ['crm-update-restaurant', { restaurant_id: restaurantB.id, lead_stage: 'lost' }],
        ['crm-update-restaurant', { restaurant_id: restaurantB.id, append_note: 'leak' }],
        ['crm-create-task', { restaurant_id: restaurantB.id, name: 'x', type: 'call' }],
        [
          'crm-start-sequence',
          { restaurant_id: restaurantB.id, sequence_template_id: templateB.id },
        ],
      ] as const) {
        const { status, body } = await crm(transformer, input, job);
        expect({ transformer, user: user.email, status, code: body.error?.code }).toEqual({
          transformer,
          user: user.email,
          status: 404,
          code: 'not_found',
        });
        expect(body.error?.retryable).toBe(false);
      }
    }
    // A's job naming B's template for A's restaurant: the template is not found in A.
    const restaurantA = await createRestaurant(service, orgA);
    expect(
      (
        await crm(
          'crm-start-sequence',
          { restaurant_id: restaurantA.id, sequence_template_id: templateB.id },
          { user: both },
        )
      ).body.error?.code,
    ).toBe('not_found');
    const row = await restaurantRow(restaurantB.id);
    expect(row).toMatchObject({ lead_stage: 'new', notes: 'B only' });
    const { count: tasks } = await service
      .from('tasks')
      .select('id', { count: 'exact', head: true })
      .eq('restaurant_id', restaurantB.id);
    expect(tasks).toBe(0);
    const { count: instances } = await service
      .from('sequence_instances')
      .select('id', { count: 'exact', head: true })
      .in('restaurant_id', [restaurantA.id, restaurantB.id]);
    expect(instances).toBe(0);
  });

  it("another organisation's task is not_found and stays active", async () => {
    const restaurantB = await createRestaurant(service, orgB);
    const { data: taskB } = await service
      .from('tasks')
      .insert({ organisation_id: orgB, restaurant_id: restaurantB.id, name: 'B task' })
      .select('id')
      .single();
    for (const user of [member, both]) {
      const { status, body } = await crm('crm-complete-task', { task_id: taskB?.id }, { user });
      expect({ status, code: body.error?.code }).toEqual({ status: 404, code: 'not_found' });
    }
    const { data: row } = await service
      .from('tasks')
      .select('status')
      .eq('id', String(taskB?.id))
      .single();
    expect(row).toEqual({ status: 'active' });
  });

  it('a user who is not a member of the job organisation changes nothing', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const { status, body } = await crm(
      'crm-update-restaurant',
      { restaurant_id: restaurant.id, lead_stage: 'won' },
      { user: outsider },
    );
    expect({ status, code: body.error?.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await restaurantRow(restaurant.id)).lead_stage).toBe('new');
  });
});

describe('execute-crm: rows the starter may not change', () => {
  it('a starter who has left the organisation reaches nothing', async () => {
    const leaver = await fx.user('leaver');
    await fx.addMember(owner, orgA, leaver, 'member');
    const restaurant = await createRestaurant(service, orgA);
    const { error } = await owner.client.rpc('remove_organisation_member', {
      p_organisation_id: orgA,
      p_user_id: leaver.id,
    });
    expect(error).toBeNull();
    for (const [transformer, input] of [
      ['crm-update-restaurant', { restaurant_id: restaurant.id, lead_stage: 'lost' }],
      ['crm-create-task', { restaurant_id: restaurant.id, name: 'x', type: 'call' }],
    ] as const) {
      const { body } = await crm(transformer, input, { user: leaver });
      expect(body.error?.code).toBe('not_found');
    }
    expect((await restaurantRow(restaurant.id)).lead_stage).toBe('new');
  });

  it('a restaurant in the trash is not_found', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const { error } = await owner.client.rpc('move_to_trash', {
      p_kind: 'restaurant',
      p_ids: [restaurant.id],
    });
    expect(error).toBeNull();
    const { body } = await crm('crm-update-restaurant', {
      restaurant_id: restaurant.id,
      append_note: 'too late',
    });
    expect(body.error).toMatchObject({ code: 'not_found', retryable: false });
    expect((await restaurantRow(restaurant.id)).notes).toBeNull();
  });

  it("a task cancelled with its sequence is refused by complete_task's own rule", async () => {
    const template = await createTemplate(owner, orgA, steps(2));
    const restaurant = await createRestaurant(service, orgA);
    const instance = await startSequence(owner, template.id, restaurant.id);
    await owner.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { data: task } = await service
      .from('tasks')
      .select('id')
      .eq('sequence_instance_id', instance.id)
      .eq('sequence_step_order', 1)
      .single();
    const { status, body } = await crm('crm-complete-task', { task_id: task?.id });
    expect({ status, code: body.error?.code, retryable: body.error?.retryable }).toEqual({
      status: 400,
      code: 'invalid_input',
      retryable: false,
    });
    expect(body.error?.message).toMatch(/cancelled/);
  });

  it('an assignee who is not a member of the organisation is refused', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const { body } = await crm('crm-create-task', {
      restaurant_id: restaurant.id,
      name: 'For the outsider',
      type: 'call',
      assigned_to: outsider.id,
    });
    expect(body.error).toMatchObject({ code: 'invalid_input', retryable: false });
    const { count } = await service
      .from('tasks')
      .select('id', { count: 'exact', head: true })
      .eq('restaurant_id', restaurant.id);
    expect(count).toBe(0);
  });

  it("the database's permission refusals are non-retryable forbidden step errors", () => {
    // What PostgREST answers when RLS's `with check` or an RPC refuses the user (42501).
    for (const status of [401, 403]) {
      const error = stepErrorFromPostgrest(
        { code: '42501', message: 'new row violates row-level security policy' },
        status,
        'the task',
      );
      expect({ code: error.code, retryable: error.retryable }).toEqual({
        code: 'forbidden',
        retryable: false,
      });
    }
    expect(stepErrorFromPostgrest({ message: 'upstream' }, 503, 'x').retryable).toBe(true);
  });
});

describe("execute-crm: the user's token", () => {
  const asRequest = (token: string) =>
    new Request('http://functions/x', { headers: { Authorization: `Bearer ${token}` } });

  it('is the user, role authenticated, and lives USER_TOKEN_SECONDS', async () => {
    const userId = randomUUID();
    const now = Date.now();
    const token = await signUserToken(userId, jwtSecret, now);
    expect(await verifiedClaims(asRequest(token))).toEqual({ sub: userId, role: 'authenticated' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(payload.exp - payload.iat).toBe(USER_TOKEN_SECONDS);
    expect(USER_TOKEN_SECONDS).toBe(60);
  });

  it('is refused once expired, or when signed with another secret', async () => {
    const expired = await signUserToken(
      randomUUID(),
      jwtSecret,
      Date.now() - (USER_TOKEN_SECONDS + 1) * 1000,
    );
    expect(await verifiedClaims(asRequest(expired))).toBeUndefined();
    const foreign = await signUserToken(randomUUID(), 'another-secret-of-at-least-32-chars!');
    expect(await verifiedClaims(asRequest(foreign))).toBeUndefined();
  });
});

describe('execute-crm: bad input and bad callers', () => {
  it('bad input is a non-retryable invalid_input and changes nothing', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const cases: [Transformer, unknown][] = [
      ['crm-update-restaurant', { restaurant_id: restaurant.id, lead_stage: 'sold' }],
      ['crm-update-restaurant', { restaurant_id: restaurant.id }],
      ['crm-update-restaurant', { restaurant_id: 'not-a-uuid', lead_stage: 'won' }],
      ['crm-update-restaurant', { restaurant_id: restaurant.id, append_note: 'x'.repeat(10_001) }],
      ['crm-update-restaurant', 'a string'],
      ['crm-create-task', { restaurant_id: restaurant.id, name: 'x', type: 'automated' }],
      ['crm-create-task', { restaurant_id: restaurant.id, type: 'call' }],
      [
        'crm-create-task',
        { restaurant_id: restaurant.id, name: 'x', type: 'call', due_date: 'soon' },
      ],
      ['crm-start-sequence', { restaurant_id: restaurant.id }],
      ['crm-complete-task', { task_id: randomUUID(), outcome: 'maybe' }],
    ];
    for (const [transformer, input] of cases) {
      const { status, body } = await crm(transformer, input);
      expect({ input, status, code: body.error?.code, retryable: body.error?.retryable }).toEqual({
        input,
        status: 400,
        code: 'invalid_input',
        retryable: false,
      });
    }
    const row = await restaurantRow(restaurant.id);
    expect(row).toMatchObject({ lead_stage: 'new', notes: null });
  });

  it('an unknown action is invalid_input', async () => {
    const res = await callFunction<Answer>('execute-crm', {
      as: env.serviceRoleKey,
      body: { ...call('crm-create-task', {}, {}), config: { action: 'delete_everything' } },
    });
    expect(res.body.error).toMatchObject({ code: 'invalid_input', retryable: false });
  });

  it('a call without user_id or organisation_id never acts (no service-role fallback)', async () => {
    const restaurant = await createRestaurant(service, orgA);
    for (const job of [{ user: null }, { organisationId: null }]) {
      const { status, body } = await crm(
        'crm-update-restaurant',
        { restaurant_id: restaurant.id, lead_stage: 'won' },
        job,
      );
      expect({ status, code: body.error?.code }).toEqual({ status: 400, code: 'invalid_input' });
    }
    expect((await restaurantRow(restaurant.id)).lead_stage).toBe('new');
  });

  it('a forged or user call is refused before anything runs', async () => {
    const restaurant = await createRestaurant(service, orgA);
    const body = call(
      'crm-update-restaurant',
      { restaurant_id: restaurant.id, lead_stage: 'won' },
      {},
    );
    const forged = signed(
      { role: 'service_role', exp: Math.floor(Date.now() / 1000) + 600 },
      'not-the-project-secret-but-32-chars-long',
    );
    expect((await callFunction('execute-crm', { body })).status).toBe(401);
    expect((await callFunction('execute-crm', { as: forged, body })).status).toBe(401);
    expect((await callFunction('execute-crm', { as: env.anonKey, body })).status).toBe(403);
    expect((await callFunction('execute-crm', { as: await tokenOf(member), body })).status).toBe(
      403,
    );
    expect((await restaurantRow(restaurant.id)).lead_stage).toBe('new');
  });
});

describe('execute-crm through the orchestrator', needs(orchestrator), () => {
  it("a member's job with crm-update-restaurant changes the restaurant as that member", async () => {
    const admin = await fx.user('admin');
    await fx.addMember(owner, orgA, admin, 'admin');
    const workflow = await saveWorkflow(admin, {
      organisation_id: orgA,
      definition: {
        start_step: 'update',
        steps: {
          update: {
            transformer_id: 'crm-update-restaurant',
            input_map: {
              restaurant_id: '$.job_input.restaurant_id',
              append_note: '$.job_input.note',
            },
            config: { lead_stage: 'demo_done' },
            next_step: null,
          },
        },
        output_map: { stage: '$.update.output.restaurant.lead_stage' },
      },
    });
    const restaurant = await createRestaurant(service, orgA, { lead_stage: 'demo_booked' });
    const started = await startJob(member, workflow.id, {
      restaurant_id: restaurant.id,
      note: 'Summary: keen on online ordering.',
    });
    const job = await waitForJob(service, started.job_id, (j) =>
      ['completed', 'failed', 'cancelled'].includes(j.status),
    );
    expect({ status: job.status, error: job.error_code, result: job.final_result }).toEqual({
      status: 'completed',
      error: null,
      result: { stage: 'demo_done' },
    });
    const row = await restaurantRow(restaurant.id);
    expect(row).toMatchObject({
      lead_stage: 'demo_done',
      notes: 'Summary: keen on online ordering.',
    });
    const { data: activity } = await service
      .from('restaurant_activity')
      .select('kind, actor_id, to_value')
      .eq('restaurant_id', restaurant.id)
      .order('id');
    expect(activity).toEqual(
      expect.arrayContaining([
        { kind: 'stage_changed', actor_id: member.id, to_value: 'demo_done' },
        expect.objectContaining({ kind: 'notes_changed', actor_id: member.id }),
      ]),
    );
  });
});
