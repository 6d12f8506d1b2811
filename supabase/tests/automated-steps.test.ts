import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Json } from '@forkflow/db';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import {
  adminDb,
  connectAs,
  createRestaurant,
  instanceTasks,
  readInstance,
  startSequence,
  taskRpc,
  type StepInput,
  type Task,
} from './support/sequences.ts';
import { runOrchestrator, saveWorkflow, sleep } from './support/orchestrator.ts';
import { EXAMPLE_DEFINITION, hasOrchestrator } from './support/workflows.ts';

// Automated sequence steps, the SQL engine (20261122009100_automated_steps.sql;
// docs/automation/automated-steps.md): the template's automated step, the orchestrator's
// due/start RPCs, the trigger that hands a job's end to its task, and the ways on from
// needs attention.
//
// Most tests live in an organisation whose queue is paused (set_organisation_queue_limit 0):
// the stack's cron orchestrator neither starts its automated steps (due_automated_tasks leaves
// it out) nor claims its jobs, so each test starts them with start_automated_task_jobs and
// ends them through the real queue RPCs, claim_workflow_steps (inside a transaction that lifts
// the pause only for itself) and finish_workflow_steps. One test runs the real orchestrator in
// an organisation whose queue runs.

const fx = createFixtures('auto-steps');
const service = fx.service;
const WORKER = 'automated-steps-test';
const DAY_MS = 24 * 60 * 60 * 1000;

let owner: TestUser;
let rep: TestUser;
let outsider: TestUser;
let pausedOrg: string;
let liveOrg: string;
let outsiderOrg: string;
let db: pg.Client;
let workflow: { id: string; version: number };
let liveWorkflow: { id: string; version: number };
let outsiderWorkflow: { id: string; version: number };

interface StartResult {
  task_id: string;
  job_id: string | null;
  status: 'started' | 'needs_attention' | 'skipped';
}

interface JobRow {
  id: string;
  status: string;
  user_id: string;
  input_data: Json;
  max_retries: number;
  workflow_version: number;
  sequence_task_id: string | null;
}

beforeAll(async () => {
  const users = await fx.users('owner', 'rep', 'outsider');
  owner = users.owner;
  rep = users.rep;
  outsider = users.outsider;
  pausedOrg = await fx.organisation(owner, { members: [rep] });
  liveOrg = await fx.organisation(owner, { members: [rep] });
  outsiderOrg = await fx.organisation(outsider);
  db = await adminDb();
  await db.query(`select public.set_organisation_queue_limit($1, 0)`, [pausedOrg]);
  workflow = await saveWorkflow(db, {
    organisationId: pausedOrg,
    userId: owner.id,
    key: `echo-${randomUUID().slice(0, 8)}`,
    definition: EXAMPLE_DEFINITION,
    retryPolicy: { max_retries: 2 },
  });
  liveWorkflow = await saveWorkflow(db, {
    organisationId: liveOrg,
    userId: owner.id,
    key: `echo-${randomUUID().slice(0, 8)}`,
    definition: EXAMPLE_DEFINITION,
  });
  outsiderWorkflow = await saveWorkflow(db, {
    organisationId: outsiderOrg,
    userId: outsider.id,
    key: `echo-${randomUUID().slice(0, 8)}`,
    definition: EXAMPLE_DEFINITION,
  });
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

type AutomatedStep = Omit<StepInput, 'type'> & {
  type: 'automated';
  workflow_id: string;
  input_map: Record<string, Json>;
};

const automated = (workflowId: string, extra: Partial<AutomatedStep> = {}): AutomatedStep => ({
  name: 'Echo it',
  type: 'automated',
  workflow_id: workflowId,
  input_map: { payload: { source: 'restaurant', field: 'name' } },
  delay_value: 0,
  delay_unit: 'days',
  ...extra,
});

async function saveTemplate(
  user: TestUser,
  organisationId: string,
  stepInputs: (StepInput | AutomatedStep)[],
) {
  return user.client.rpc('save_sequence_template', {
    p_template: { organisation_id: organisationId, name: `Auto ${randomUUID().slice(0, 6)}` },
    p_steps: stepInputs as unknown as Json,
  });
}

/**
 * A running sequence whose step 2 is automated: step 1 (by hand) is completed when `reach`
 * is set, so step 2 is active and due `automatedDelayDays` from now. Step 3 follows a day later.
 */
async function setUp(
  options: { organisationId?: string; workflowId?: string; automatedDelayDays?: number } = {},
) {
  const organisationId = options.organisationId ?? pausedOrg;
  const { data: template, error } = await saveTemplate(rep, organisationId, [
    { name: 'Call them', type: 'call', delay_value: 0, delay_unit: 'days' },
    automated(options.workflowId ?? workflow.id, {
      delay_value: options.automatedDelayDays ?? 0,
    }),
    { name: 'Follow up', type: 'email', delay_value: 1, delay_unit: 'days' },
  ]);
  if (error || !template) throw new Error(`save template: ${error?.message}`);
  const restaurant = await createRestaurant(service, organisationId, {
    name: `Auto Bistro ${randomUUID().slice(0, 6)}`,
  });
  const instance = await startSequence(rep, template.id, restaurant.id, rep.id);
  const tasks = await instanceTasks(service, instance.id);
  await taskRpc(rep, 'complete_task', tasks[0]!.id);
  return { template, restaurant, instance, stepIds: tasks.map((t) => t.id) };
}

async function task(id: string): Promise<Task> {
  const { rows } = await db.query<{ t: Task }>(
    `select to_jsonb(t.*) as t from public.tasks as t where t.id = $1`,
    [id],
  );
  return rows[0]!.t;
}

async function jobsOf(taskId: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select id, status, user_id, input_data, max_retries, workflow_version, sequence_task_id
     from public.jobs where sequence_task_id = $1`,
    [taskId],
  );
  return rows;
}

/** start_automated_task_jobs as the service role, on `client` (default: the test's connection). */
async function start(
  starts: Record<string, Json>[],
  client: pg.Client = db,
): Promise<StartResult[]> {
  await client.query('set role service_role');
  try {
    const { rows } = await client.query<{ r: StartResult[] }>(
      `select public.start_automated_task_jobs($1::jsonb) as r`,
      [JSON.stringify(starts)],
    );
    return rows[0]!.r;
  } finally {
    await client.query('reset role');
  }
}

const echoStart = (taskId: string, payload: Json = 'hello') => ({
  task_id: taskId,
  input_data: { payload },
});

/** Moves a task's due date (the superuser passes the progression guard; the API cannot). */
async function setDue(taskId: string, sql: string) {
  await db.query(`update public.tasks set due_date = ${sql} where id = $1`, [taskId]);
}

/**
 * Claims the job's step with the real queue RPC: the organisation's pause is lifted only
 * inside this transaction, and the claim limited to the job's workflow, so no other
 * orchestrator ever sees it claimable.
 */
async function claim(jobId: string, workflowId = workflow.id) {
  await db.query('begin');
  try {
    await db.query(`select public.set_organisation_queue_limit($1, null)`, [pausedOrg]);
    const { rows } = await db.query<{ c: { job_id: string; attempt: number; step_id: string }[] }>(
      `select public.claim_workflow_steps($1, 50, 30, array[$2::uuid]) as c`,
      [WORKER, workflowId],
    );
    await db.query(`select public.set_organisation_queue_limit($1, 0)`, [pausedOrg]);
    await db.query('commit');
    const claimed = rows[0]!.c.find((c) => c.job_id === jobId);
    if (!claimed) throw new Error(`job ${jobId} was not claimed`);
    return claimed;
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

/** Claims the job's only step and finishes it as the orchestrator would. */
async function runJob(jobId: string, outcome: 'succeeded' | 'failed') {
  const claimed = await claim(jobId);
  const result =
    outcome === 'succeeded'
      ? {
          job_id: jobId,
          attempt: claimed.attempt,
          step_id: claimed.step_id,
          duration_ms: 3,
          input: { data: 'hello' },
          outcome: 'succeeded',
          output: { echoed_data: 'hello' },
          final_result: { result: 'hello' },
        }
      : {
          job_id: jobId,
          attempt: claimed.attempt,
          step_id: claimed.step_id,
          duration_ms: 3,
          input: { data: 'hello' },
          outcome: 'failed',
          error: { code: 'echo_refused', message: 'the echo refused', retryable: false },
        };
  const { rows } = await db.query<{ a: { applied: boolean; status: string }[] }>(
    `select public.finish_workflow_steps($1, $2::jsonb) as a`,
    [WORKER, JSON.stringify([result])],
  );
  expect(rows[0]!.a[0]).toMatchObject({ applied: true });
}

/** The automated step started: its job id. */
async function started(taskId: string): Promise<string> {
  const [result] = await start([echoStart(taskId)]);
  expect(result).toMatchObject({ task_id: taskId, status: 'started' });
  return result!.job_id!;
}

describe('the template', () => {
  it('saves an automated step with its workflow and input map; the snapshot carries both and the task waits without a message', async () => {
    const { template, instance, stepIds } = await setUp({ automatedDelayDays: 1 });
    const { data: saved } = await service
      .from('sequence_steps')
      .select('type, workflow_id, input_map, custom_message')
      .eq('sequence_template_id', template.id)
      .order('step_order');
    expect(saved![1]).toEqual({
      type: 'automated',
      workflow_id: workflow.id,
      input_map: { payload: { source: 'restaurant', field: 'name' } },
      custom_message: null,
    });
    // The other steps keep neither.
    expect(saved![0]).toMatchObject({ workflow_id: null, input_map: {} });

    const snapshot = (await readInstance(service, instance.id)).steps_snapshot as Record<
      string,
      Json
    >[];
    expect(snapshot[1]).toMatchObject({
      type: 'automated',
      workflow_id: workflow.id,
      input_map: { payload: { source: 'restaurant', field: 'name' } },
      message: null,
    });
    expect(snapshot[0]).not.toHaveProperty('workflow_id');

    const step2 = await task(stepIds[1]!);
    expect(step2).toMatchObject({
      type: 'automated',
      status: 'active',
      automation_status: 'waiting',
      message: null,
      job_id: null,
    });
    expect((await task(stepIds[2]!)).automation_status).toBeNull();
  });

  it.each([
    ['without a workflow', { workflow_id: '' }, 'needs a workflow'],
    ['with a workflow of another organisation', { workflow_id: 'OUTSIDER' }, 'not found'],
    [
      'with an input of unknown source',
      { input_map: { payload: { source: 'moon' } } },
      'input payload needs a source',
    ],
    [
      'with an input that is not an object',
      { input_map: { payload: 'x' } },
      'input payload needs a source',
    ],
    [
      'with an input map that is not an object',
      { input_map: ['x'] as unknown as Record<string, Json> },
      'must be an object',
    ],
  ])(
    'refuses an automated step %s (400 invalid_step naming the step), saving nothing',
    async (_, patch, words) => {
      const step = automated(workflow.id, patch as Partial<AutomatedStep>);
      if (step.workflow_id === 'OUTSIDER') step.workflow_id = outsiderWorkflow.id;
      const name = `Tpl ${randomUUID().slice(0, 6)}`;
      const { error, status } = await rep.client.rpc('save_sequence_template', {
        p_template: { organisation_id: pausedOrg, name },
        p_steps: [{ name: 'First', type: 'call' }, step] as unknown as Json,
      });
      expect(status).toBe(400);
      expect(error?.code).toBe('invalid_step');
      expect(error?.message).toContain('step 2 (Echo it)');
      expect(error?.message).toContain(words);
      const { count } = await service
        .from('sequence_templates')
        .select('id', { count: 'exact', head: true })
        .eq('name', name);
      expect(count).toBe(0);
    },
  );

  it('refuses a workflow in the trash', async () => {
    const trashed = await saveWorkflow(db, {
      organisationId: pausedOrg,
      userId: owner.id,
      key: `trash-${randomUUID().slice(0, 8)}`,
      definition: EXAMPLE_DEFINITION,
    });
    await db.query(`update public.workflows set deleted_at = now() where id = $1`, [trashed.id]);
    const { error, status } = await saveTemplate(rep, pausedOrg, [automated(trashed.id)]);
    expect(status).toBe(400);
    expect(error?.message).toContain('in the trash');
  });

  it('an ad-hoc step inserted into a running sequence cannot be automated (400)', async () => {
    const { instance } = await setUp({ automatedDelayDays: 1 });
    const { error, status } = await rep.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: null as unknown as number,
      p_task: { name: 'Ad hoc', type: 'automated' },
    });
    expect(status).toBe(400);
    expect(error?.code).toBe('invalid_step');
  });
});

describe('coming due', () => {
  it('nothing starts before the due date; once due, exactly one job starts, as the rep, on the current version', async () => {
    const { stepIds, instance, restaurant } = await setUp({ automatedDelayDays: 1 });
    const step2 = stepIds[1]!;

    expect(await start([echoStart(step2)])).toEqual([
      { task_id: step2, job_id: null, status: 'skipped' },
    ]);
    expect(await jobsOf(step2)).toEqual([]);

    await setDue(step2, `now() - interval '1 minute'`);
    const jobId = await started(step2);
    const [job] = await jobsOf(step2);
    expect(job).toMatchObject({
      id: jobId,
      status: 'pending',
      user_id: rep.id,
      input_data: { payload: 'hello' },
      max_retries: 2,
      workflow_version: workflow.version,
    });
    expect(await task(step2)).toMatchObject({ automation_status: 'running', job_id: jobId });
    const { rows: events } = await db.query(
      `select event_type, data from public.job_events where job_id = $1`,
      [jobId],
    );
    expect(events).toEqual([
      {
        event_type: 'created',
        data: {
          workflow_version: workflow.version,
          sequence_task_id: step2,
          sequence_instance_id: instance.id,
        },
      },
    ]);

    // Started: a second start is skipped, with the job it has.
    expect(await start([echoStart(step2)])).toEqual([
      { task_id: step2, job_id: jobId, status: 'skipped' },
    ]);
    expect(await jobsOf(step2)).toHaveLength(1);
    expect(restaurant.id).toBeTruthy();
  });

  it('due_automated_tasks lists a due step with its restaurant, rep and run_as, and not before it is due', async () => {
    const { stepIds, instance, restaurant } = await setUp({
      organisationId: liveOrg,
      workflowId: liveWorkflow.id,
      automatedDelayDays: 1,
    });
    const step2 = stepIds[1]!;
    // Inside a transaction that is rolled back: the stack's orchestrator never sees it due.
    await db.query('begin');
    try {
      await db.query('set local role service_role');
      const due = async () =>
        (
          await db.query<{ d: Record<string, Json>[] }>(
            `select public.due_automated_tasks(1000) as d`,
          )
        ).rows[0]!.d.filter((d) => d.task_id === step2);
      expect(await due()).toEqual([]);
      await db.query('reset role');
      await setDue(step2, `now() - interval '1 minute'`);
      await db.query('set local role service_role');
      expect(await due()).toEqual([
        {
          task_id: step2,
          organisation_id: liveOrg,
          restaurant_id: restaurant.id,
          sequence_instance_id: instance.id,
          step_order: 2,
          workflow_id: liveWorkflow.id,
          input_map: { payload: { source: 'restaurant', field: 'name' } },
          run_as: rep.id,
          restaurant: expect.objectContaining({
            id: restaurant.id,
            name: restaurant.name,
            lead_stage: restaurant.lead_stage,
          }),
          rep: {
            id: rep.id,
            name: rep.fullName,
            first_name: rep.fullName.split(' ')[0],
            email: rep.email,
          },
          step_outputs: {},
        },
      ]);
    } finally {
      await db.query('rollback');
    }
  });

  it('concurrent starts over separate connections start exactly one job', async () => {
    const { stepIds } = await setUp();
    const step2 = stepIds[1]!;
    const connections = await Promise.all(Array.from({ length: 6 }, () => adminDb()));
    try {
      const results = await Promise.all(connections.map((c) => start([echoStart(step2)], c)));
      const outcomes = results.map((r) => r[0]!.status).sort();
      expect(outcomes).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'started']);
      expect(await jobsOf(step2)).toHaveLength(1);
    } finally {
      await Promise.all(connections.map((c) => c.end()));
    }
  });

  it('a start that cannot happen needs attention with no job: the error given, an archived workflow', async () => {
    const first = await setUp();
    expect(
      await start([
        {
          task_id: first.stepIds[1]!,
          error: { code: 'missing_input', message: 'No email for this restaurant' },
        },
      ]),
    ).toEqual([{ task_id: first.stepIds[1]!, job_id: null, status: 'needs_attention' }]);
    expect(await task(first.stepIds[1]!)).toMatchObject({
      status: 'active',
      automation_status: 'needs_attention',
      automation_error: { code: 'missing_input', message: 'No email for this restaurant' },
      job_id: null,
    });

    const archived = await saveWorkflow(db, {
      organisationId: pausedOrg,
      userId: owner.id,
      key: `archived-${randomUUID().slice(0, 8)}`,
      definition: EXAMPLE_DEFINITION,
    });
    const second = await setUp({ workflowId: archived.id });
    await db.query(`update public.workflows set status = 'archived' where id = $1`, [archived.id]);
    expect((await start([echoStart(second.stepIds[1]!)]))[0]!.status).toBe('needs_attention');
    const step = await task(second.stepIds[1]!);
    expect(step.automation_error).toMatchObject({ code: 'workflow_archived' });
    expect(await jobsOf(second.stepIds[1]!)).toEqual([]);

    // Retry without a job: waiting again, and it starts once the workflow is back.
    await db.query(`update public.workflows set status = 'active' where id = $1`, [archived.id]);
    const retried = await rep.client.rpc('retry_automated_task', { p_task_id: second.stepIds[1]! });
    expect(retried.error).toBeNull();
    expect(await task(second.stepIds[1]!)).toMatchObject({
      automation_status: 'waiting',
      automation_error: null,
    });
    expect((await start([echoStart(second.stepIds[1]!)]))[0]!.status).toBe('started');
  });

  it('a masked input: the job holds the masked one, its claim the real one and the strings to redact', async () => {
    const { stepIds } = await setUp();
    const [result] = await start([
      {
        task_id: stepIds[1]!,
        input_data: { payload: 'sk-secret-1' },
        input_data_masked: { payload: '••••' },
        redact: ['sk-secret-1'],
      },
    ]);
    const [job] = await jobsOf(stepIds[1]!);
    expect(job).toMatchObject({ id: result!.job_id, input_data: { payload: '••••' } });
    await db.query('begin');
    try {
      await db.query(`select public.set_organisation_queue_limit($1, null)`, [pausedOrg]);
      const { rows } = await db.query<{ c: Record<string, Json>[] }>(
        `select public.claim_workflow_steps($1, 50, 30, array[$2::uuid]) as c`,
        [WORKER, workflow.id],
      );
      expect(rows[0]!.c.find((c) => c.job_id === job!.id)).toMatchObject({
        input_data: { payload: 'sk-secret-1' },
        redact: ['sk-secret-1'],
      });
    } finally {
      await db.query('rollback');
    }
  });

  it("an input larger than the queue takes needs attention in words, and the batch's other starts go on", async () => {
    const big = await setUp();
    const small = await setUp();
    const results = await start([
      { task_id: big.stepIds[1]!, input_data: { payload: 'x'.repeat(4 * 1024 * 1024 + 10) } },
      echoStart(small.stepIds[1]!),
    ]);
    expect(results.map((r) => r.status)).toEqual(['needs_attention', 'started']);
    expect((await task(big.stepIds[1]!)).automation_error).toMatchObject({
      code: 'payload_too_large',
    });
    expect(await jobsOf(big.stepIds[1]!)).toEqual([]);
  });

  it('an organisation whose queue is paused has nothing due (its steps wait)', async () => {
    const { stepIds } = await setUp();
    const { rows } = await db.query<{ d: { task_id: string }[] }>(
      `select public.due_automated_tasks(1000) as d`,
    );
    expect(rows[0]!.d.map((d) => d.task_id)).not.toContain(stepIds[1]);
    expect(await task(stepIds[1]!)).toMatchObject({ automation_status: 'waiting' });
  });

  it('a malformed batch is a 400 that changes nothing', async () => {
    const { stepIds } = await setUp();
    await expect(
      start([echoStart(stepIds[1]!), { task_id: 'nope', input_data: {} }]),
    ).rejects.toThrow(/task_id/);
    expect(await task(stepIds[1]!)).toMatchObject({ automation_status: 'waiting' });
    expect(await jobsOf(stepIds[1]!)).toEqual([]);
  });
});

describe("the job's end", () => {
  it('completed: the task completes with the output, by nobody, and the next step is active with its due date', async () => {
    const { stepIds, instance } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'succeeded');

    const done = await task(stepIds[1]!);
    expect(done).toMatchObject({
      status: 'completed',
      completed_by: null,
      automation_status: 'done',
      automation_output: { result: 'hello' },
    });
    expect((done.metadata as Record<string, Json>).finished_snapshot).toBeTruthy();
    const next = await task(stepIds[2]!);
    expect(next.status).toBe('active');
    // Step 3 waits a day after step 2 was completed (no business calendar: 24/7).
    expect(Date.parse(next.due_date!)).toBe(Date.parse(done.completed_at!) + DAY_MS);
    expect((await readInstance(service, instance.id)).current_step_order).toBe(3);
    const { rows: activity } = await db.query(
      `select kind, actor_id from public.restaurant_activity where task_id = $1`,
      [stepIds[1]],
    );
    expect(activity).toEqual([{ kind: 'task_completed', actor_id: null }]);
  });

  it("an earlier automated step's output reaches the next one's step_outputs", async () => {
    const { data: template } = await saveTemplate(rep, liveOrg, [
      automated(liveWorkflow.id, { name: 'First echo' }),
      automated(liveWorkflow.id, {
        name: 'Second echo',
        delay_value: 1,
        input_map: { payload: { source: 'step', step_order: 1, path: '$.result' } },
      }),
    ]);
    const restaurant = await createRestaurant(service, liveOrg);
    const instance = await startSequence(rep, template!.id, restaurant.id, rep.id);
    const [first, second] = await instanceTasks(service, instance.id);
    // Completed as its job would, inside a transaction that is rolled back.
    await db.query('begin');
    try {
      await db.query(
        `update public.tasks set automation_status = 'done', automation_output = '{"result":"one"}'
         where id = $1`,
        [first!.id],
      );
      await db.query(
        `update public.tasks set status = 'completed', completed_at = now() where id = $1`,
        [first!.id],
      );
      await db.query(
        `update public.tasks set status = 'active', due_date = now() - interval '1 minute', activated_at = now()
         where id = $1`,
        [second!.id],
      );
      await db.query('set local role service_role');
      const { rows } = await db.query<{ d: Record<string, Json>[] }>(
        `select public.due_automated_tasks(1000) as d`,
      );
      expect(rows[0]!.d.find((d) => d.task_id === second!.id)).toMatchObject({
        step_order: 2,
        step_outputs: { '1': { result: 'one' } },
      });
    } finally {
      await db.query('rollback');
    }
  });

  it('failed: the task needs attention with the error in words; retry re-queues the job and its success completes the task', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'failed');

    const failed = await task(stepIds[1]!);
    expect(failed).toMatchObject({
      status: 'active',
      assigned_to: rep.id,
      automation_status: 'needs_attention',
      automation_error: { code: 'echo_refused' },
    });
    expect((failed.automation_error as { message: string }).message).toContain('the echo refused');
    expect((await task(stepIds[2]!)).status).toBe('pending');

    const retried = await rep.client.rpc('retry_automated_task', { p_task_id: stepIds[1]! });
    expect(retried.error).toBeNull();
    expect(await task(stepIds[1]!)).toMatchObject({ automation_status: 'running', job_id: jobId });
    expect((await jobsOf(stepIds[1]!))[0]!.status).toBe('running');

    // Retrying again is a 409: it is running.
    const again = await rep.client.rpc('retry_automated_task', { p_task_id: stepIds[1]! });
    expect(again.status).toBe(409);
    expect(again.error?.code).toBe('not_needs_attention');

    await runJob(jobId, 'succeeded');
    expect(await task(stepIds[1]!)).toMatchObject({
      status: 'completed',
      automation_output: { result: 'hello' },
    });
    expect((await task(stepIds[2]!)).status).toBe('active');
  });

  it('a failed job retried from the jobs page makes its task running again, and its success completes it', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'failed');
    const { error } = await rep.client.rpc('retry_job', { p_job_id: jobId });
    expect(error).toBeNull();
    expect(await task(stepIds[1]!)).toMatchObject({
      automation_status: 'running',
      automation_error: null,
    });
    await runJob(jobId, 'succeeded');
    expect(await task(stepIds[1]!)).toMatchObject({
      status: 'completed',
      automation_status: 'done',
    });
  });

  it('cancelled from the jobs page: the task needs attention (cancelled)', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    const { error } = await rep.client.rpc('cancel_job', { p_job_id: jobId });
    expect(error).toBeNull();
    expect(await task(stepIds[1]!)).toMatchObject({
      status: 'active',
      automation_status: 'needs_attention',
      automation_error: { code: 'cancelled' },
    });
  });
});

describe('by hand', () => {
  it('completing a running step cancels its job in the same call; the sequence moves on', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    const result = await taskRpc(rep, 'complete_task', stepIds[1]!);
    expect(result.task).toMatchObject({
      status: 'completed',
      completed_by: rep.id,
      automation_status: 'done',
    });
    expect(result.next_task?.id).toBe(stepIds[2]);
    const [job] = await jobsOf(stepIds[1]!);
    expect(job!.status).toBe('cancelled');
    const { rows } = await db.query(
      `select message from public.job_events where job_id = $1 and event_type = 'cancelled'`,
      [jobId],
    );
    expect(rows).toEqual([{ message: 'cancelled: its sequence step was completed' }]);
  });

  it('skipping a step that needs attention works and the next step activates', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'failed');
    const result = await taskRpc(rep, 'skip_task', stepIds[1]!);
    expect(result.task).toMatchObject({ status: 'skipped', automation_status: 'done' });
    expect(result.next_task?.id).toBe(stepIds[2]);
    expect((await jobsOf(stepIds[1]!))[0]!.status).toBe('failed');
  });

  it('reopening a step its job completed makes it need attention (the workflow does not run again by itself)', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'succeeded');
    const { error } = await rep.client.rpc('reopen_task', { p_task_id: stepIds[1]! });
    expect(error).toBeNull();
    expect(await task(stepIds[1]!)).toMatchObject({
      status: 'active',
      automation_status: 'needs_attention',
      automation_error: { code: 'reopened' },
    });
    const retry = await rep.client.rpc('retry_automated_task', { p_task_id: stepIds[1]! });
    expect(retry.status).toBe(409);
    expect(retry.error?.code).toBe('already_ran');
  });
});

describe('races', () => {
  it('step 1 completed from 6 connections at once activates the automated step once, and it starts one job', async () => {
    const { data: template } = await saveTemplate(rep, pausedOrg, [
      { name: 'Call them', type: 'call', delay_value: 0, delay_unit: 'days' },
      automated(workflow.id),
    ]);
    const restaurant = await createRestaurant(service, pausedOrg);
    const instance = await startSequence(rep, template!.id, restaurant.id, rep.id);
    const [first, second] = await instanceTasks(service, instance.id);
    const connections = await Promise.all(Array.from({ length: 6 }, () => connectAs(rep.id)));
    try {
      const results = await Promise.all(
        connections.map(
          async (c) =>
            (
              await c.query<{ r: { next_task: Task | null } }>(
                'select public.complete_task($1) as r',
                [first!.id],
              )
            ).rows[0]!.r,
        ),
      );
      expect(results.filter((r) => r.next_task !== null).map((r) => r.next_task!.id)).toEqual([
        second!.id,
      ]);
    } finally {
      await Promise.all(connections.map((c) => c.end()));
    }
    expect(await task(second!.id)).toMatchObject({
      status: 'active',
      automation_status: 'waiting',
    });
    const again = await Promise.all([
      start([echoStart(second!.id)]),
      start([echoStart(second!.id)]),
    ]);
    expect(again.flat().filter((r) => r.status === 'started')).toHaveLength(1);
    expect(await jobsOf(second!.id)).toHaveLength(1);
  });

  it('completing by hand while the job finishes, 8 rounds: the step completes once, by one of them, and the sequence moves on once', async () => {
    const repDb = await connectAs(rep.id);
    const finisher = await adminDb();
    try {
      for (let round = 0; round < 8; round++) {
        const { stepIds } = await setUp();
        const jobId = await started(stepIds[1]!);
        const claimed = await claim(jobId);
        const settled = await Promise.allSettled([
          repDb.query('select public.complete_task($1)', [stepIds[1]]),
          finisher.query(`select public.finish_workflow_steps($1, $2::jsonb)`, [
            WORKER,
            JSON.stringify([
              {
                job_id: jobId,
                attempt: claimed.attempt,
                step_id: claimed.step_id,
                duration_ms: 1,
                input: { data: 'hello' },
                outcome: 'succeeded',
                output: { echoed_data: 'hello' },
                final_result: { result: 'hello' },
              },
            ]),
          ]),
        ]);
        // Either may be the deadlock's victim (40P01, documented): it changed nothing.
        for (const s of settled) {
          if (s.status === 'rejected') expect((s.reason as { code?: string }).code).toBe('40P01');
        }
        const done = await task(stepIds[1]!);
        const [job] = await jobsOf(stepIds[1]!);
        expect(done.status, `round ${round}`).toBe('completed');
        if (done.completed_by === null) {
          expect(job!.status).toBe('completed');
          expect(done.automation_output).toEqual({ result: 'hello' });
        } else {
          expect(done.completed_by).toBe(rep.id);
          expect(job!.status).toBe('cancelled');
        }
        const tasks = await instanceTasks(service, done.sequence_instance_id!);
        expect(tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'active']);
      }
    } finally {
      await repDb.end();
      await finisher.end();
    }
  });
});

describe('pause, cancel, delete, restart', () => {
  it('pausing holds a due step; after resume it starts', async () => {
    const { stepIds, instance } = await setUp();
    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    expect(await start([echoStart(stepIds[1]!)])).toEqual([
      { task_id: stepIds[1]!, job_id: null, status: 'skipped' },
    ]);
    expect(await task(stepIds[1]!)).toMatchObject({ automation_status: 'waiting', due_date: null });

    await rep.client.rpc('resume_sequence', { p_instance_id: instance.id });
    expect((await task(stepIds[1]!)).due_date).not.toBeNull();
    expect((await start([echoStart(stepIds[1]!)]))[0]!.status).toBe('started');
  });

  it('cancelling the sequence cancels the running job; restarting starts a new task, never the old one again', async () => {
    const { stepIds, instance } = await setUp();
    const jobId = await started(stepIds[1]!);
    const { error } = await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    expect(error).toBeNull();
    expect((await jobsOf(stepIds[1]!))[0]).toMatchObject({ id: jobId, status: 'cancelled' });
    expect(await task(stepIds[1]!)).toMatchObject({
      status: 'cancelled',
      automation_status: 'done',
    });

    const restarted = await rep.client.rpc('restart_sequence', { p_instance_id: instance.id });
    expect(restarted.error).toBeNull();
    expect(await start([echoStart(stepIds[1]!)])).toEqual([
      { task_id: stepIds[1]!, job_id: jobId, status: 'skipped' },
    ]);
    const fresh = await instanceTasks(service, restarted.data!.id);
    expect(fresh[1]).toMatchObject({
      type: 'automated',
      status: 'pending',
      automation_status: 'waiting',
    });
  });

  it("the restaurant moving to one of the template's exit stages cancels the running job", async () => {
    const { data: template } = await rep.client.rpc('save_sequence_template', {
      p_template: {
        organisation_id: pausedOrg,
        name: `Exit ${randomUUID().slice(0, 6)}`,
        exit_stages: ['lost'],
      },
      p_steps: [automated(workflow.id)] as unknown as Json,
    });
    const restaurant = await createRestaurant(service, pausedOrg);
    const instance = await startSequence(rep, template!.id, restaurant.id, rep.id);
    const [step] = await instanceTasks(service, instance.id);
    const jobId = await started(step!.id);
    const { error } = await rep.client
      .from('restaurants')
      .update({ lead_stage: 'lost' })
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect((await jobsOf(step!.id))[0]).toMatchObject({ id: jobId, status: 'cancelled' });
    expect(await task(step!.id)).toMatchObject({ status: 'cancelled', automation_status: 'done' });
  });

  it('deleting a running step cancels its job', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await taskRpc(rep, 'delete_sequence_task', stepIds[1]!);
    const { rows } = await db.query(
      `select status, sequence_task_id from public.jobs where id = $1`,
      [jobId],
    );
    expect(rows).toEqual([{ status: 'cancelled', sequence_task_id: null }]);
  });
});

describe('who may', () => {
  it('retry_automated_task: an outsider gets 404, anon is refused, nothing changes', async () => {
    const { stepIds } = await setUp();
    const jobId = await started(stepIds[1]!);
    await runJob(jobId, 'failed');

    const byOutsider = await outsider.client.rpc('retry_automated_task', {
      p_task_id: stepIds[1]!,
    });
    expect(byOutsider.status).toBe(404);
    const byAnon = await anonClient().rpc('retry_automated_task', { p_task_id: stepIds[1]! });
    expect(byAnon.error?.code).toBe('42501');
    expect(await task(stepIds[1]!)).toMatchObject({ automation_status: 'needs_attention' });
    expect((await jobsOf(stepIds[1]!))[0]!.status).toBe('failed');
  });

  it('due and start are for the service role only', async () => {
    const { stepIds } = await setUp();
    const due = await rep.client.rpc('due_automated_tasks', { p_limit: 10 });
    expect(due.error?.code).toBe('42501');
    const startByRep = await rep.client.rpc('start_automated_task_jobs', {
      p_starts: [echoStart(stepIds[1]!)],
    });
    expect(startByRep.error?.code).toBe('42501');
    const byAnon = await anonClient().rpc('due_automated_tasks', { p_limit: 10 });
    expect(byAnon.error?.code).toBe('42501');
    expect(await jobsOf(stepIds[1]!)).toEqual([]);

    const byService = await service.rpc('due_automated_tasks', { p_limit: 10 });
    expect(byService.error).toBeNull();
  });
});

describe.runIf(hasOrchestrator)('with the real orchestrator', () => {
  it('a started step runs to completion and the next step activates', async () => {
    const { stepIds } = await setUp({ organisationId: liveOrg, workflowId: liveWorkflow.id });
    // The stack's orchestrator may start it first (once it calls due_automated_tasks).
    const [result] = await start([echoStart(stepIds[1]!)]);
    expect(['started', 'skipped']).toContain(result!.status);
    const deadline = Date.now() + 30_000;
    let step = await task(stepIds[1]!);
    while (step.status === 'active' && Date.now() < deadline) {
      await runOrchestrator({ budget_ms: 2_000, workflow_ids: [liveWorkflow.id] });
      step = await task(stepIds[1]!);
      if (step.status === 'active') await sleep(100);
    }
    expect(step).toMatchObject({ status: 'completed', automation_status: 'done' });
    expect(step.automation_output).toBeTruthy();
    expect((await task(stepIds[2]!)).status).toBe('active');
  });
});
