import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Json } from '@forkflow/db';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  adminDb,
  createRestaurant,
  instanceTasks,
  startSequence,
  taskRpc,
  type StepInput,
  type Task,
} from './support/sequences.ts';
import { runOrchestrator, saveWorkflow, sleep } from './support/orchestrator.ts';
import { ok, projectArgs, environmentArgs, untypedService } from './support/projects.ts';
import { hasOrchestrator } from './support/workflows.ts';

// Automated sequence steps through the real orchestrator function (issue 14 §1;
// docs/automation/orchestrator-and-inputs.md): a template [call, automated echo, email]; once
// step 1 is done, an orchestrator run resolves the automated step's inputs
// (_shared/automated-steps.ts with the domain's resolveAutomatedInputs), starts its job with
// start_automated_task_jobs and runs it; the job's end completes the task (h1's trigger).
//
// Under `pnpm test` the stack's cron runs the orchestrator too, so the tests poll for outcomes
// (invoking the orchestrator between polls) rather than assume which run started a job.

const fx = createFixtures('auto-orch');
const service = fx.service;
const SECRET = 'sk-live-automated-0042';
const FOREIGN_SECRET = 'sk-outsider-0099';

let owner: TestUser;
let rep: TestUser;
let outsider: TestUser;
let org: string;
let outsiderOrg: string;
let db: pg.Client;
let echo: { id: string; version: number };
let failing: { id: string; version: number };
let projectId: string;
let foreignProjectId: string;

/** An echo of the whole job input, declaring the inputs the automated step maps. */
const echoDefinition = (extraInputs: unknown[] = [], stepInputMap?: Record<string, string>) => ({
  inputs: [
    { name: 'restaurant', type: 'string', required: true },
    { name: 'greeting', type: 'string', required: true },
    ...extraInputs,
  ],
  start_step: 'echo',
  steps: {
    echo: {
      transformer_id: 'echo-transformer',
      input_map: stepInputMap ?? { data: '$.job_input' },
      next_step: null,
    },
  },
  output_map: { result: '$.echo.output.echoed_data' },
});

beforeAll(async () => {
  const users = await fx.users('owner', 'rep', 'outsider');
  owner = users.owner;
  rep = users.rep;
  outsider = users.outsider;
  org = await fx.organisation(owner, { members: [rep] });
  outsiderOrg = await fx.organisation(outsider);
  db = await adminDb();
  echo = await saveWorkflow(db, {
    organisationId: org,
    userId: owner.id,
    key: `auto-echo-${randomUUID().slice(0, 8)}`,
    definition: echoDefinition([{ name: 'api_key', type: 'string' }]),
  });
  // Fails every attempt, non-retryable (execute-echo's test hooks, on under pnpm test).
  failing = await saveWorkflow(db, {
    organisationId: org,
    userId: owner.id,
    key: `auto-fail-${randomUUID().slice(0, 8)}`,
    definition: echoDefinition([], {
      data: '$.job_input.restaurant',
      fail_times: '$.job_input.fail_times',
      non_retryable: '$.job_input.non_retryable',
    }),
  });
  const svc = untypedService();
  const environment = await ok<{ id: string }>(
    svc,
    'save_environment',
    environmentArgs(owner, org, {
      name: 'production',
      variables: [{ name: 'CRM_KEY', secret: true, value: SECRET }],
    }),
  );
  const secretVariable = {
    name: 'crm_key',
    type: 'string',
    required: true,
    source: 'environment',
    environment_variable: 'CRM_KEY',
  };
  projectId = (
    await ok<{ id: string }>(
      svc,
      'save_project',
      projectArgs(owner, org, { environment_id: environment.id, variables: [secretVariable] }),
    )
  ).id;
  const foreignEnvironment = await ok<{ id: string }>(
    svc,
    'save_environment',
    environmentArgs(outsider, outsiderOrg, {
      name: 'production',
      variables: [{ name: 'CRM_KEY', secret: true, value: FOREIGN_SECRET }],
    }),
  );
  foreignProjectId = (
    await ok<{ id: string }>(
      svc,
      'save_project',
      projectArgs(outsider, outsiderOrg, {
        environment_id: foreignEnvironment.id,
        variables: [secretVariable],
      }),
    )
  ).id;
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

const NAME_AND_GREETING = {
  restaurant: { source: 'restaurant', field: 'name' },
  greeting: { source: 'value', value: 'Bonjour' },
};

/**
 * A running sequence [call, automated, email (a day later)] on a new restaurant, step 1
 * completed by the rep unless `completeFirst` is false; the automated step is due at once
 * (delay 0) unless `delayDays` says otherwise.
 */
async function setUp(
  workflowId: string,
  inputMap: Record<string, Json>,
  options: { delayDays?: number } = {},
) {
  const { data: template, error } = await rep.client.rpc('save_sequence_template', {
    p_template: { organisation_id: org, name: `Auto ${randomUUID().slice(0, 6)}` },
    p_steps: [
      { name: 'Call them', type: 'call', delay_value: 0, delay_unit: 'days' },
      {
        name: 'Run the workflow',
        type: 'automated',
        workflow_id: workflowId,
        input_map: inputMap,
        delay_value: options.delayDays ?? 0,
        delay_unit: 'days',
      } satisfies AutomatedStep,
      { name: 'Follow up', type: 'email', delay_value: 1, delay_unit: 'days' },
    ] as unknown as Json,
  });
  if (error || !template) throw new Error(`save template: ${error?.message}`);
  const restaurant = await createRestaurant(service, org, {
    name: `Orchestrated Bistro ${randomUUID().slice(0, 6)}`,
  });
  const instance = await startSequence(rep, template.id, restaurant.id, rep.id);
  const tasks = await instanceTasks(service, instance.id);
  await taskRpc(rep, 'complete_task', tasks[0]!.id);
  return { restaurant, instance, taskIds: tasks.map((t) => t.id) };
}

async function task(id: string): Promise<Task> {
  const { rows } = await db.query<{ t: Task }>(
    `select to_jsonb(t.*) as t from public.tasks as t where t.id = $1`,
    [id],
  );
  return rows[0]!.t;
}

interface JobRow {
  id: string;
  status: string;
  user_id: string;
  input_data: Record<string, Json>;
  final_result: Json;
}

async function jobsOf(taskId: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select id, status, user_id, input_data, final_result from public.jobs
     where sequence_task_id = $1`,
    [taskId],
  );
  return rows;
}

/** Invokes the orchestrator until `done` holds for the task (cron may do the work first). */
async function runUntil(taskId: string, done: (t: Task) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await task(taskId);
    if (done(row)) return row;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is still ${JSON.stringify(row)}`);
    await runOrchestrator({ budget_ms: 3_000 });
    await sleep(100);
  }
}

describe.skipIf(!hasOrchestrator)('automated steps through the orchestrator', () => {
  it('runs the due step: its task completes with the echo output and step 3 becomes active with its due date', async () => {
    const { restaurant, taskIds } = await setUp(echo.id, NAME_AND_GREETING);
    const [, step2, step3] = taskIds as [string, string, string];

    const done = await runUntil(step2, (t) => t.status === 'completed');
    expect(done).toMatchObject({
      status: 'completed',
      automation_status: 'done',
      completed_by: null,
      automation_output: { result: { restaurant: restaurant.name, greeting: 'Bonjour' } },
    });
    const [job] = await jobsOf(step2);
    expect(job).toMatchObject({
      status: 'completed',
      // The job runs as the task's assignee (the contract).
      user_id: rep.id,
      input_data: { restaurant: restaurant.name, greeting: 'Bonjour' },
    });
    expect(done.job_id).toBe(job!.id);

    const next = await task(step3);
    expect(next.status).toBe('active');
    expect(next.due_date).not.toBeNull();
    // A day's delay after the automated step completed (on the business calendar).
    expect(new Date(next.due_date!).getTime()).toBeGreaterThan(
      new Date(done.completed_at!).getTime(),
    );
  });

  it('a secret project variable reaches the job in clear but is recorded masked', async () => {
    const { taskIds } = await setUp(echo.id, {
      ...NAME_AND_GREETING,
      api_key: { source: 'variable', project_id: projectId, name: 'crm_key' },
    });
    const step2 = taskIds[1]!;
    const done = await runUntil(step2, (t) => t.status === 'completed');
    const [job] = await jobsOf(step2);
    expect(job!.input_data.api_key).toBe('••••');
    // The echo saw the real value (it echoed something), but what was recorded is redacted.
    expect(JSON.stringify(done.automation_output)).not.toContain(SECRET);
    expect(JSON.stringify(job)).not.toContain(SECRET);
    const { rows } = await db.query<{ input_data: Record<string, Json> }>(
      `select input_data from private.job_run_context where job_id = $1`,
      [job!.id],
    );
    expect(rows[0]!.input_data.api_key).toBe(SECRET);
  });

  it("another organisation's project variable is never read: the step needs attention, no job", async () => {
    const { taskIds } = await setUp(echo.id, {
      ...NAME_AND_GREETING,
      api_key: { source: 'variable', project_id: foreignProjectId, name: 'crm_key' },
    });
    const step2 = taskIds[1]!;
    const row = await runUntil(step2, (t) => t.automation_status === 'needs_attention');
    expect(row.status).toBe('active');
    expect(row.automation_error).toMatchObject({ code: 'invalid_input' });
    expect(JSON.stringify(row.automation_error)).not.toContain(FOREIGN_SECRET);
    expect(await jobsOf(step2)).toEqual([]);
  });

  it('an input that does not resolve (a required field that is empty) needs attention, with no job', async () => {
    const { taskIds } = await setUp(echo.id, {
      restaurant: { source: 'restaurant', field: 'city' },
      greeting: { source: 'value', value: 'Hi' },
    });
    const step2 = taskIds[1]!;
    const row = await runUntil(step2, (t) => t.automation_status === 'needs_attention');
    expect(row.automation_error).toEqual({
      code: 'invalid_input',
      message: 'restaurant is required (string)',
    });
    expect(row.assigned_to).toBe(rep.id);
    expect(await jobsOf(step2)).toEqual([]);
  });

  it('a failing workflow leaves the task active and needing attention, with the error in words', async () => {
    const { taskIds } = await setUp(failing.id, {
      ...NAME_AND_GREETING,
      fail_times: { source: 'value', value: 99 },
      non_retryable: { source: 'value', value: true },
    });
    const [, step2, step3] = taskIds as [string, string, string];
    const row = await runUntil(step2, (t) => t.automation_status === 'needs_attention');
    expect(row.status).toBe('active');
    expect(row.automation_error).toMatchObject({ code: 'echo_failure' });
    expect((row.automation_error as { message: string }).message).toMatch(/Failing on purpose/);
    const [job] = await jobsOf(step2);
    expect(job!.status).toBe('failed');
    expect((await task(step3)).status).toBe('pending');
  });

  it('two orchestrators invoked at once start one job', async () => {
    const { taskIds } = await setUp(echo.id, NAME_AND_GREETING, { delayDays: 1 });
    const step2 = taskIds[1]!;
    await db.query(`update public.tasks set due_date = now() where id = $1`, [step2]);
    await Promise.all([
      runOrchestrator({ budget_ms: 5_000, worker: 'auto-orch-a' }),
      runOrchestrator({ budget_ms: 5_000, worker: 'auto-orch-b' }),
    ]);
    await runUntil(step2, (t) => t.status === 'completed');
    expect(await jobsOf(step2)).toHaveLength(1);
  });
});
