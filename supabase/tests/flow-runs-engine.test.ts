import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Json } from '@forkflow/db';
import { env, serviceClient } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import { ownerDb, runOrchestrator, saveWorkflow, sleep } from './support/orchestrator.ts';

// The flow-run engine (issue 11; 20261122006300_flow_runs.sql, _shared/flow-runs.ts) through
// its service-role RPCs and the database, and one real orchestrator run. The HTTP functions
// on top (run-flow-sequence, flow-run-action) have their own tests.
//
// Most tests need a run whose job nobody claims, so their jobs live in an organisation whose
// queue is paused (set_organisation_queue_limit 0: the stack's cron orchestrator leaves them
// alone) and the test ends them by hand, as finish_workflow_steps would. The orchestrator
// test uses a second organisation whose queue runs.

const fx = createFixtures('flow-engine');
const service = serviceClient();
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let limited: TestUser;
let pausedOrg: string;
let liveOrg: string;
let outsiderOrg: string;
let db: pg.Client;
const SECRET = `s3cr3t-${randomUUID()}`;
const MASK = '••••';

// Flow workflows: step a echoes the job's input, step b the run's variables.
const DEFINITION = {
  start_step: 'a',
  steps: {
    a: { transformer_id: 'echo-transformer', input_map: { data: '$.job_input' }, next_step: 'b' },
    b: { transformer_id: 'echo-transformer', input_map: { data: '$.variables' }, next_step: null },
  },
  output_map: { input: '$.a.output.echoed_data', vars: '$.b.output.echoed_data' },
};

interface Setup {
  organisationId: string;
  sequenceId: string;
  workflowIds: string[];
}

async function setUp(organisationId: string, flows: number): Promise<Setup> {
  const workflowIds: string[] = [];
  for (let i = 0; i < flows; i++) {
    const w = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: `flow-engine-${randomUUID().slice(0, 8)}`,
      definition: DEFINITION,
    });
    workflowIds.push(w.id);
  }
  const { rows } = await db.query<{ id: string }>(
    `with p as (
       insert into public.projects (organisation_id, slug, name, created_by)
       values ($1, $2, $2, $3) returning id
     )
     insert into public.flow_sequences (organisation_id, project_id, name, position, flows, created_by)
     select $1, p.id, 'engine', 0, $4::jsonb, $3 from p
     returning id`,
    [
      organisationId,
      `p-${randomUUID().slice(0, 8)}`,
      owner.id,
      JSON.stringify(snapshot(workflowIds)),
    ],
  );
  return { organisationId, sequenceId: rows[0]!.id, workflowIds };
}

const snapshot = (workflowIds: string[], assertions: unknown[] = []) =>
  workflowIds.map((workflowId, i) => ({
    id: `flow${i + 1}`,
    workflow_id: workflowId,
    workflow_name: `w${i + 1}`,
    // Each later flow reads n from the previous flow's output (its job input echoed).
    mappings:
      i === 0 ? {} : { n: { source: 'flow_output', flow_id: `flow${i}`, path: ['input', 'n'] } },
    assertions: i === 0 ? assertions : [],
  }));

const hardcoded = (value: unknown, secret = false) => ({
  value: secret ? MASK : value,
  source: { kind: 'hardcoded' },
  secret,
});

/** start_flow_run's p_run: flow 1 gets the secret as `token`, the run a secret variable. */
function runPayload(setup: Setup, assertions: unknown[] = []) {
  return payload({
    environment_id: null,
    environment_name: null,
    flows: snapshot(setup.workflowIds, assertions),
    parameters: {},
    variables: { plain: hardcoded('visible'), api_key: hardcoded(SECRET, true) },
    secrets: { parameters: {}, variables: { plain: 'visible', api_key: SECRET }, redact: [SECRET] },
    first: {
      flow_id: 'flow1',
      workflow_id: setup.workflowIds[0],
      inputs: { token: hardcoded(SECRET, true), n: hardcoded(1) },
      input_data: { token: SECRET, n: 1 },
      input_data_masked: { token: MASK, n: 1 },
    },
  });
}

// The payload with its types as written (the RPC's argument is Json).
function payload<T extends { flows: unknown[]; first: Record<string, unknown> }>(p: T): T & Json {
  return p as T & Json;
}

interface Started {
  run_id: string;
  status: string;
  run_flow_id: string;
  job_id: string;
}

async function startRun(
  setup: Setup,
  mode: 'normal' | 'debug' = 'normal',
  userId = owner.id,
  assertions: unknown[] = [],
) {
  const { data, error } = await service.rpc('start_flow_run', {
    p_user_id: userId,
    p_sequence_id: setup.sequenceId,
    p_mode: mode,
    p_run: runPayload(setup, assertions),
  });
  if (error) throw new Error(`start_flow_run: ${error.message}`);
  return data as unknown as Started;
}

/** Ends a job as finish_workflow_steps would (the trigger under test fires on it). */
async function endJob(jobId: string, status: 'completed' | 'failed', finalResult: unknown = null) {
  await db.query(
    `update public.jobs set status = $2, completed_at = now(), final_result = $3::jsonb,
       error_code = case when $2 = 'failed' then 'echo_failure' end,
       error_message = case when $2 = 'failed' then 'the echo failed' end
     where id = $1`,
    [jobId, status, JSON.stringify(finalResult)],
  );
}

async function runFlow(id: string) {
  const { rows } = await db.query<{
    status: string;
    output: unknown;
    error: unknown;
    attempt: number;
  }>(`select status, output, error, attempt from public.flow_sequence_run_flows where id = $1`, [
    id,
  ]);
  return rows[0]!;
}

async function run(id: string) {
  const { rows } = await db.query<{ status: string; current_flow_id: string; error: unknown }>(
    `select status, current_flow_id, error from public.flow_sequence_runs where id = $1`,
    [id],
  );
  return rows[0]!;
}

const startNext = (setup: Setup, flowId: string, n: number) => ({
  kind: 'start_next',
  flow_id: flowId,
  workflow_id: setup.workflowIds[Number(flowId.slice(4)) - 1],
  inputs: {
    n: {
      value: n,
      source: { kind: 'flow_output', flow_id: 'flow1', path: ['input', 'n'] },
      secret: false,
    },
  },
  input_data: { n },
  input_data_masked: { n },
});

beforeAll(async () => {
  const users = await fx.users('owner', 'member', 'outsider', 'limited');
  owner = users.owner;
  member = users.member;
  outsider = users.outsider;
  limited = users.limited;
  pausedOrg = await fx.organisation(owner, { members: [member, limited] });
  liveOrg = await fx.organisation(owner, { members: [member] });
  outsiderOrg = await fx.organisation(outsider);
  db = await ownerDb();
  await db.query(`select public.set_organisation_queue_limit($1, 0)`, [pausedOrg]);
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

describe('start_flow_run', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(pausedOrg, 2);
  });

  it('starts the run, its first run flow and a job holding the masked input', async () => {
    const started = await startRun(setup);
    expect(started.status).toBe('running');
    const { rows } = await db.query(
      `select j.input_data, j.user_id, j.flow_run_flow_id, j.max_retries, x.input_data as real_input,
         x.variables, x.redact, f.status as flow_status, f.attempt, f.position, f.inputs,
         r.current_flow_id, r.variables as run_variables
       from public.jobs as j
       join private.job_run_context as x on x.job_id = j.id
       join public.flow_sequence_run_flows as f on f.id = j.flow_run_flow_id
       join public.flow_sequence_runs as r on r.id = f.run_id
       where j.id = $1`,
      [started.job_id],
    );
    expect(rows[0]).toMatchObject({
      input_data: { token: MASK, n: 1 },
      user_id: owner.id,
      flow_run_flow_id: started.run_flow_id,
      real_input: { token: SECRET, n: 1 },
      variables: { plain: 'visible', api_key: SECRET },
      redact: [SECRET],
      flow_status: 'running',
      attempt: 1,
      position: 0,
      current_flow_id: 'flow1',
    });
    expect(JSON.stringify(rows[0].inputs)).not.toContain(SECRET);
    expect(JSON.stringify(rows[0].run_variables)).not.toContain(SECRET);
    const events = await db.query(`select event_type from public.job_events where job_id = $1`, [
      started.job_id,
    ]);
    expect(events.rows.map((e) => e.event_type)).toEqual(['created']);
  });

  it('refuses a user of another organisation as if the sequence did not exist (404)', async () => {
    const { error, status } = await service.rpc('start_flow_run', {
      p_user_id: outsider.id,
      p_sequence_id: setup.sequenceId,
      p_mode: 'normal',
      p_run: runPayload(setup),
    });
    expect(status).toBe(404);
    expect(error?.code).toBe('sequence_not_found');
  });

  it("refuses a flow whose workflow is another organisation's or in the trash (404), or archived (409), creating nothing", async () => {
    const foreign = await saveWorkflow(db, {
      organisationId: outsiderOrg,
      userId: outsider.id,
      key: `foreign-${randomUUID().slice(0, 8)}`,
      definition: DEFINITION,
    });
    const count = async () =>
      Number(
        (
          await db.query(`select count(*) from public.flow_sequence_runs where sequence_id = $1`, [
            setup.sequenceId,
          ])
        ).rows[0].count,
      );
    const before = await count();
    const payload = runPayload(setup);
    payload.flows[0]!.workflow_id = foreign.id;
    payload.first.workflow_id = foreign.id;
    const other = await service.rpc('start_flow_run', {
      p_user_id: owner.id,
      p_sequence_id: setup.sequenceId,
      p_mode: 'normal',
      p_run: payload,
    });
    expect(other.status).toBe(404);

    const archived = await setUp(pausedOrg, 1);
    await db.query(`update public.workflows set status = 'archived' where id = $1`, [
      archived.workflowIds[0],
    ]);
    const refused = await service.rpc('start_flow_run', {
      p_user_id: owner.id,
      p_sequence_id: archived.sequenceId,
      p_mode: 'normal',
      p_run: runPayload(archived),
    });
    expect(refused.status).toBe(409);
    expect(refused.error?.code).toBe('workflow_archived');

    const trashed = await setUp(pausedOrg, 1);
    await db.query(`update public.workflows set deleted_at = now() where id = $1`, [
      trashed.workflowIds[0],
    ]);
    const gone = await service.rpc('start_flow_run', {
      p_user_id: owner.id,
      p_sequence_id: trashed.sequenceId,
      p_mode: 'normal',
      p_run: runPayload(trashed),
    });
    expect(gone.status).toBe(404);
    expect(gone.error?.code).toBe('workflow_not_found');
    expect(await count()).toBe(before);
  });

  it('refuses a run that does not start with its first flow (400), creating nothing', async () => {
    const payload = runPayload(setup);
    payload.first.flow_id = 'flow2';
    payload.first.workflow_id = setup.workflowIds[1];
    const { status, error } = await service.rpc('start_flow_run', {
      p_user_id: owner.id,
      p_sequence_id: setup.sequenceId,
      p_mode: 'normal',
      p_run: payload,
    });
    expect(status).toBe(400);
    expect(error?.code).toBe('invalid_input');
    const { rows } = await db.query(
      `select count(*)::int as n from public.jobs as j
       join public.flow_sequence_run_flows as f on f.id = j.flow_run_flow_id
       join public.flow_sequence_runs as r on r.id = f.run_id
       where r.sequence_id = $1 and f.flow_id = 'flow2'`,
      [setup.sequenceId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('is refused to signed-in users and anon (service role only)', async () => {
    const asUser = await owner.client.rpc('start_flow_run', {
      p_user_id: owner.id,
      p_sequence_id: setup.sequenceId,
      p_mode: 'normal',
      p_run: runPayload(setup),
    });
    expect(asUser.error).not.toBeNull();
    const asAnon = await anonClient().rpc('flow_run_evaluations', { p_limit: 10 });
    expect(asAnon.error).not.toBeNull();
  });
});

describe('start limits', () => {
  it("a run's start and a continue count against the user's job-start limit (429, nothing created)", async () => {
    const setup = await setUp(pausedOrg, 2);
    // One token, refilled once in ~17 minutes: the second start is refused.
    await db.query(
      `insert into private.rate_limit_overrides (scope, subject_id, capacity, refill_per_second)
       values ('user', $1, 1, 0.001)`,
      [limited.id],
    );
    try {
      const first = await startRun(setup, 'debug', limited.id);
      const second = await service.rpc('start_flow_run', {
        p_user_id: limited.id,
        p_sequence_id: setup.sequenceId,
        p_mode: 'normal',
        p_run: runPayload(setup),
      });
      expect(second.status).toBe(429);
      expect(second.error?.code).toBe('rate_limited');
      const runs = await db.query(
        `select count(*)::int as n from public.flow_sequence_runs where created_by = $1`,
        [limited.id],
      );
      expect(runs.rows[0].n).toBe(1);

      // Paused after flow 1, the same user's continue needs a token too.
      await endJob(first.job_id, 'completed', { input: { n: 1 } });
      await service.rpc('advance_flow_run', {
        p_run_flow_id: first.run_flow_id,
        p_decision: { flow_status: 'passed', assertions: [], error: null, next: { kind: 'pause' } },
      });
      const next = await service.rpc('flow_run_action', {
        p_user_id: limited.id,
        p_run_id: first.run_id,
        p_action: 'continue',
        p_flow_id: 'flow1',
        p_next: startNext(setup, 'flow2', 1) as never,
      });
      expect(next.status).toBe(429);
      expect(await run(first.run_id)).toMatchObject({ status: 'paused', current_flow_id: 'flow1' });
    } finally {
      await db.query(`delete from private.rate_limit_overrides where subject_id = $1`, [
        limited.id,
      ]);
    }
  });
});

describe('evaluation by the orchestrator', () => {
  /** Polls (invoking the orchestrator) until the run is no longer running or the flow moved on. */
  async function settle(
    runId: string,
    setup: Setup,
    until: (r: Awaited<ReturnType<typeof run>>) => boolean,
  ) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const state = await run(runId);
      if (until(state)) return state;
      if (Date.now() > deadline) throw new Error(`run ${runId} is still ${JSON.stringify(state)}`);
      // The paused organisation's jobs are never claimed; every run evaluates what waits.
      await runOrchestrator({ budget_ms: 500, workflow_ids: setup.workflowIds });
      await sleep(100);
    }
  }

  it('a run flow left evaluating is decided by a later orchestrator run: a failed assertion fails the run there', async () => {
    const setup = await setUp(pausedOrg, 2);
    const started = await startRun(setup, 'normal', owner.id, [
      { path: '$.status', operator: 'equals', expected: 'ok' },
    ]);
    await endJob(started.job_id, 'completed', { input: { n: 1 }, status: 'bad' });
    const state = await settle(started.run_id, setup, (r) => r.status !== 'running');
    expect(state).toMatchObject({
      status: 'failed',
      error: { flow_id: 'flow1', code: 'assertion_failed' },
    });
    const flow = await db.query(
      `select status, assertions from public.flow_sequence_run_flows where id = $1`,
      [started.run_flow_id],
    );
    expect(flow.rows[0]).toMatchObject({
      status: 'failed',
      assertions: [{ path: '$.status', operator: 'equals', passed: false, actual: 'bad' }],
    });
  });

  it('an output with __error pauses a debug run with the flow failed (output_error)', async () => {
    const setup = await setUp(pausedOrg, 2);
    const started = await startRun(setup, 'debug');
    await endJob(started.job_id, 'completed', { __error: 'upstream said no' });
    const state = await settle(started.run_id, setup, (r) => r.status !== 'running');
    expect(state).toMatchObject({ status: 'paused', current_flow_id: 'flow1' });
    expect(await runFlow(started.run_flow_id)).toMatchObject({
      status: 'failed',
      error: { code: 'output_error', message: expect.stringContaining('upstream said no') },
    });
  });

  it('a passed flow of a normal run starts the next one with its input from the output', async () => {
    const setup = await setUp(pausedOrg, 2);
    const started = await startRun(setup);
    await endJob(started.job_id, 'completed', { input: { n: 7 } });
    await settle(started.run_id, setup, (r) => r.current_flow_id === 'flow2');
    const { rows } = await db.query(
      `select f.inputs, j.input_data as recorded, x.input_data as real_input
       from public.flow_sequence_run_flows as f
       join public.jobs as j on j.id = f.job_id
       join private.job_run_context as x on x.job_id = j.id
       where f.run_id = $1 and f.flow_id = 'flow2'`,
      [started.run_id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      inputs: {
        n: { value: 7, source: { kind: 'flow_output', flow_id: 'flow1', path: ['input', 'n'] } },
      },
      recorded: { n: 7 },
      real_input: { n: 7 },
    });
  });

  it("a failed job fails a normal run with the job's error", async () => {
    const setup = await setUp(pausedOrg, 2);
    const started = await startRun(setup);
    await endJob(started.job_id, 'failed');
    const state = await settle(started.run_id, setup, (r) => r.status !== 'running');
    expect(state).toMatchObject({
      status: 'failed',
      error: { flow_id: 'flow1', code: 'job_failed' },
    });
  });
});

describe("a job's end", () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(pausedOrg, 2);
  });

  it('marks its run flow evaluating in the same transaction (rolled back together)', async () => {
    const started = await startRun(setup);
    await db.query('begin');
    try {
      await endJob(started.job_id, 'completed', { input: { n: 1 } });
      const inside = await runFlow(started.run_flow_id);
      expect(inside).toMatchObject({
        status: 'evaluating',
        output: { input: { n: 1 } },
        error: null,
      });
    } finally {
      await db.query('rollback');
    }
    expect((await runFlow(started.run_flow_id)).status).toBe('running');

    await endJob(started.job_id, 'failed');
    expect(await runFlow(started.run_flow_id)).toMatchObject({
      status: 'evaluating',
      error: { code: 'echo_failure', message: 'the echo failed' },
    });
  });

  it('leaves other jobs and a stopped run flow alone', async () => {
    const started = await startRun(setup);
    await db.query(`update public.flow_sequence_run_flows set status = 'stopped' where id = $1`, [
      started.run_flow_id,
    ]);
    await endJob(started.job_id, 'completed', {});
    expect((await runFlow(started.run_flow_id)).status).toBe('stopped');
  });
});

describe('advance_flow_run', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(pausedOrg, 2);
  });

  it('applies once under 10 concurrent calls: one next job', async () => {
    const started = await startRun(setup);
    await endJob(started.job_id, 'completed', { input: { n: 1 } });
    const decision = {
      flow_status: 'passed',
      assertions: [],
      error: null,
      next: startNext(setup, 'flow2', 1),
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        service.rpc('advance_flow_run', {
          p_run_flow_id: started.run_flow_id,
          p_decision: decision,
        }),
      ),
    );
    for (const a of answers) expect(a.error).toBeNull();
    const applied = answers.filter((a) => (a.data as { applied: boolean }).applied);
    expect(applied).toHaveLength(1);
    const { rows } = await db.query(
      `select f.flow_id, f.status, j.id as job_id, x.input_data
       from public.flow_sequence_run_flows as f
       left join public.jobs as j on j.flow_run_flow_id = f.id
       left join private.job_run_context as x on x.job_id = j.id
       where f.run_id = $1 order by f.position`,
      [started.run_id],
    );
    expect(rows).toMatchObject([
      { flow_id: 'flow1', status: 'passed' },
      { flow_id: 'flow2', status: 'running', input_data: { n: 1 } },
    ]);
    // The next job's variables and redact list come from the run's secrets.
    const job2 = await db.query(
      `select variables, redact from private.job_run_context where job_id = $1`,
      [rows[1].job_id],
    );
    expect(job2.rows[0]).toEqual({
      variables: { plain: 'visible', api_key: SECRET },
      redact: [SECRET],
    });
    expect(await run(started.run_id)).toMatchObject({
      status: 'running',
      current_flow_id: 'flow2',
    });
  });

  it('does nothing for a run flow that is not evaluating', async () => {
    const started = await startRun(setup);
    const { data } = await service.rpc('advance_flow_run', {
      p_run_flow_id: started.run_flow_id,
      p_decision: {
        flow_status: 'passed',
        assertions: [],
        error: null,
        next: { kind: 'complete' },
      },
    });
    expect(data).toMatchObject({ applied: false });
    expect(await run(started.run_id)).toMatchObject({ status: 'running' });
  });

  it('fails the run with the flow and its error', async () => {
    const started = await startRun(setup);
    await endJob(started.job_id, 'failed');
    const { data } = await service.rpc('advance_flow_run', {
      p_run_flow_id: started.run_flow_id,
      p_decision: {
        flow_status: 'failed',
        assertions: [],
        error: { code: 'job_failed', message: 'the echo failed' },
        next: { kind: 'fail' },
      },
    });
    expect(data).toMatchObject({ applied: true, run_status: 'failed' });
    expect(await run(started.run_id)).toMatchObject({
      status: 'failed',
      error: { flow_id: 'flow1', code: 'job_failed', message: 'the echo failed' },
    });
    expect(await runFlow(started.run_flow_id)).toMatchObject({
      status: 'failed',
      error: { code: 'job_failed' },
    });
  });

  it('fails the run, not the database call, when the next workflow was archived meanwhile', async () => {
    const own = await setUp(pausedOrg, 2);
    const started = await startRun(own);
    await endJob(started.job_id, 'completed', { input: { n: 1 } });
    await db.query(`update public.workflows set status = 'archived' where id = $1`, [
      own.workflowIds[1],
    ]);
    const { data, error } = await service.rpc('advance_flow_run', {
      p_run_flow_id: started.run_flow_id,
      p_decision: {
        flow_status: 'passed',
        assertions: [],
        error: null,
        next: startNext(own, 'flow2', 1),
      },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ applied: true, run_status: 'failed' });
    expect(await run(started.run_id)).toMatchObject({
      status: 'failed',
      error: { flow_id: 'flow2', code: 'workflow_archived' },
    });
  });
});

describe('flow_run_action', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp(pausedOrg, 2);
  });

  /** A debug run paused after flow 1 (passed, or failed). */
  async function pausedRun(flowStatus: 'passed' | 'failed' = 'passed') {
    const started = await startRun(setup, 'debug');
    await endJob(started.job_id, flowStatus === 'passed' ? 'completed' : 'failed', {
      input: { n: 1 },
    });
    const { data } = await service.rpc('advance_flow_run', {
      p_run_flow_id: started.run_flow_id,
      p_decision: {
        flow_status: flowStatus,
        assertions: [],
        error: flowStatus === 'failed' ? { code: 'job_failed', message: 'failed' } : null,
        next: { kind: 'pause' },
      },
    });
    expect(data).toMatchObject({ applied: true, run_status: 'paused' });
    return started;
  }

  const action = (
    runId: string,
    act: string,
    flowId: string | null,
    next: unknown,
    userId = member.id,
  ) =>
    service.rpc('flow_run_action', {
      p_user_id: userId,
      p_run_id: runId,
      p_action: act,
      p_flow_id: flowId as string,
      p_next: next as never,
    });

  it('continue ×10 at once: one applies, the others are 409 run_changed', async () => {
    const started = await pausedRun();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        action(started.run_id, 'continue', 'flow1', startNext(setup, 'flow2', 1)),
      ),
    );
    const ok = answers.filter((a) => a.error === null);
    expect(ok).toHaveLength(1);
    for (const a of answers.filter((x) => x.error !== null)) {
      expect(a.status).toBe(409);
      expect(a.error?.code).toBe('run_changed');
    }
    const flows = await db.query(
      `select count(*)::int as n from public.flow_sequence_run_flows where run_id = $1 and flow_id = 'flow2'`,
      [started.run_id],
    );
    expect(flows.rows[0].n).toBe(1);
    // The member who continued started the job.
    const job = await db.query(
      `select j.user_id from public.jobs as j join public.flow_sequence_run_flows as f on f.id = j.flow_run_flow_id
       where f.run_id = $1 and f.flow_id = 'flow2'`,
      [started.run_id],
    );
    expect(job.rows[0].user_id).toBe(member.id);
    expect(await run(started.run_id)).toMatchObject({
      status: 'running',
      current_flow_id: 'flow2',
    });
  });

  it('refuses continue after a failed flow, and a stale flow id (409)', async () => {
    const failed = await pausedRun('failed');
    const refused = await action(failed.run_id, 'continue', 'flow1', startNext(setup, 'flow2', 1));
    expect(refused.status).toBe(409);
    const passed = await pausedRun();
    const stale = await action(passed.run_id, 'continue', 'flow2', startNext(setup, 'flow2', 1));
    expect(stale.status).toBe(409);
    expect(await run(passed.run_id)).toMatchObject({ status: 'paused', current_flow_id: 'flow1' });
  });

  it('continue after the last flow completes the run; before it, completing is refused (409)', async () => {
    const early = await pausedRun();
    const refused = await action(early.run_id, 'continue', 'flow1', { kind: 'complete' });
    expect(refused.status).toBe(409);

    const last = await setUp(pausedOrg, 1);
    const started = await startRun(last, 'debug');
    await endJob(started.job_id, 'completed', { input: { n: 1 } });
    await service.rpc('advance_flow_run', {
      p_run_flow_id: started.run_flow_id,
      p_decision: { flow_status: 'passed', assertions: [], error: null, next: { kind: 'pause' } },
    });
    const { data, error } = await action(started.run_id, 'continue', 'flow1', { kind: 'complete' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'completed', finished_at: expect.any(String) });
  });

  it('rerun starts attempt 2 of the current flow and the run runs again', async () => {
    const started = await pausedRun('failed');
    const next = { ...startNext(setup, 'flow1', 5), workflow_id: setup.workflowIds[0] };
    const { data, error } = await action(started.run_id, 'rerun', 'flow1', next);
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'running', current_flow_id: 'flow1', error: null });
    const { rows } = await db.query(
      `select attempt, status from public.flow_sequence_run_flows where run_id = $1 order by attempt`,
      [started.run_id],
    );
    expect(rows).toEqual([
      { attempt: 1, status: 'failed' },
      { attempt: 2, status: 'running' },
    ]);
  });

  it('stop cancels the running job with its event; a second stop is 409', async () => {
    const started = await startRun(setup);
    const { data, error } = await action(started.run_id, 'stop', null, null);
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'stopped' });
    const job = await db.query(`select status from public.jobs where id = $1`, [started.job_id]);
    expect(job.rows[0].status).toBe('cancelled');
    const events = await db.query(
      `select event_type, from_status, to_status from public.job_events where job_id = $1 order by id`,
      [started.job_id],
    );
    expect(events.rows.at(-1)).toEqual({
      event_type: 'cancelled',
      from_status: 'pending',
      to_status: 'cancelled',
    });
    expect((await runFlow(started.run_flow_id)).status).toBe('stopped');
    const again = await action(started.run_id, 'stop', null, null);
    expect(again.status).toBe(409);
  });

  it('is 404 for a user of another organisation, and flow_run_context too', async () => {
    const started = await startRun(setup);
    const stop = await action(started.run_id, 'stop', null, null, outsider.id);
    expect(stop.status).toBe(404);
    const context = await service.rpc('flow_run_context', {
      p_user_id: outsider.id,
      p_run_id: started.run_id,
    });
    expect(context.status).toBe(404);
    expect(await run(started.run_id)).toMatchObject({ status: 'running' });
  });

  it('flow_run_context gives a member the bundle: real values, outputs, workflows, the current flow', async () => {
    const started = await pausedRun();
    const { data, error } = await service.rpc('flow_run_context', {
      p_user_id: member.id,
      p_run_id: started.run_id,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      run: { id: started.run_id, mode: 'debug', status: 'paused', current_flow_id: 'flow1' },
      secrets: { variables: { api_key: SECRET }, redact: [SECRET] },
      outputs: { flow1: { input: { n: 1 } } },
      workflows: { [setup.workflowIds[1]!]: { status: 'active' } },
      current: {
        flow_id: 'flow1',
        attempt: 1,
        status: 'passed',
        input_data: { token: SECRET, n: 1 },
      },
    });
  });
});

describe('the claim', () => {
  it('merges the job run context: real input, variables, redact list, run flow', async () => {
    const setup = await setUp(pausedOrg, 1);
    const started = await startRun(setup);
    // Lift the pause inside a transaction that is rolled back: nobody else sees the job claimable.
    await db.query('begin');
    try {
      await db.query(`select public.set_organisation_queue_limit($1, null)`, [pausedOrg]);
      const { rows } = await db.query(
        `select public.claim_workflow_steps('flow-engine-test', 10, 30, array[$1::uuid]) as claimed`,
        [setup.workflowIds[0]],
      );
      expect(rows[0].claimed).toEqual([
        expect.objectContaining({
          job_id: started.job_id,
          input_data: { token: SECRET, n: 1 },
          variables: { plain: 'visible', api_key: SECRET },
          redact: [SECRET],
          flow_run_flow_id: started.run_flow_id,
        }),
      ]);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('a real orchestrator run', () => {
  it('runs both flows to completed, the output of one feeding the next, and records •••• where the secret was', async () => {
    const setup = await setUp(liveOrg, 2);
    const started = await startRun(setup);
    const deadline = Date.now() + 30_000;
    let state = await run(started.run_id);
    while (state.status === 'running' && Date.now() < deadline) {
      await runOrchestrator({ budget_ms: 2_000, workflow_ids: setup.workflowIds });
      state = await run(started.run_id);
      if (state.status === 'running') await sleep(100);
    }
    expect(state).toMatchObject({ status: 'completed', error: null });

    const { rows: flows } = await db.query(
      `select f.flow_id, f.status, f.inputs, f.output, f.steps, j.input_data, j.step_data, j.final_result, j.id as job_id
       from public.flow_sequence_run_flows as f join public.jobs as j on j.id = f.job_id
       where f.run_id = $1 order by f.position`,
      [started.run_id],
    );
    expect(flows.map((f) => [f.flow_id, f.status])).toEqual([
      ['flow1', 'passed'],
      ['flow2', 'passed'],
    ]);
    // Flow 1 ran with the secret (its echo recorded masked) and the run's variables.
    expect(flows[0].output).toEqual({
      input: { token: MASK, n: 1 },
      vars: { plain: 'visible', api_key: MASK },
    });
    // Every member reads the steps on the run flow (job_events are the starter's and admins').
    expect(flows[0].steps).toMatchObject([
      { step_id: 'a', outcome: 'succeeded', output: { echoed_data: { token: MASK, n: 1 } } },
      { step_id: 'b', outcome: 'succeeded', input: { data: { plain: 'visible', api_key: MASK } } },
    ]);
    // Flow 2's input n came from flow 1's output.
    expect(flows[1].input_data).toEqual({ n: 1 });
    expect(flows[1].inputs).toMatchObject({
      n: { value: 1, source: { kind: 'flow_output', flow_id: 'flow1' } },
    });

    const events = await db.query(
      `select data, message from public.job_events where job_id = any($1)`,
      [flows.map((f) => f.job_id)],
    );
    const recorded = JSON.stringify({ flows, events: events.rows });
    expect(recorded).not.toContain(SECRET);
    expect(recorded).toContain(MASK);
  });
});

describe("the orchestrator's REST queue", () => {
  // The orchestrator reaches the database directly by default; without a DB URL it goes
  // through PostgREST (queue.ts restQueue). Its flow-run calls, run under Deno as deployed.
  it('reads the evaluations and applies a decision through PostgREST', async () => {
    const setup = await setUp(pausedOrg, 1);
    const started = await startRun(setup);
    await endJob(started.job_id, 'completed', { input: { n: 1 } });
    const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
    const denoBin = join(
      dirname(
        createRequire(join(repoRoot, 'packages/local-stack/package.json')).resolve(
          'deno/package.json',
        ),
      ),
      'deno',
    );
    const queueUrl = pathToFileURL(
      join(repoRoot, 'supabase/functions/workflow-orchestrator/queue.ts'),
    ).href;
    const code = `
      import { restQueue } from ${JSON.stringify(queueUrl)};
      const queue = restQueue(${JSON.stringify(env.url)}, ${JSON.stringify(env.serviceRoleKey)});
      const due = await queue.flowRunEvaluations(1000);
      const mine = due.find((e) => e.run_flow.id === ${JSON.stringify(started.run_flow_id)});
      const answer = await queue.advanceFlowRun(${JSON.stringify(started.run_flow_id)}, {
        flow_status: 'passed', assertions: [], error: null, next: { kind: 'complete' } });
      console.log('REST ' + JSON.stringify({ found: mine?.run_flow ?? null, answer }));
    `;
    const out = spawnSync(denoBin, ['eval', '--no-lock', '--node-modules-dir=none', code], {
      encoding: 'utf8',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
      timeout: 120_000,
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('REST '));
    if (!line) throw new Error(`no answer: ${out.stderr}`);
    const result = JSON.parse(line.slice('REST '.length)) as {
      found: { job_status: string } | null;
      answer: { applied: boolean; run_status: string };
    };
    // Another orchestrator (the stack's cron) may have decided it first: then it is completed
    // already and this decision was not applied.
    if (result.found) expect(result.found.job_status).toBe('completed');
    expect(result.answer.run_status).toBe('completed');
    expect(await run(started.run_id)).toMatchObject({ status: 'completed' });
  }, 120_000);
});

describe("the orchestrator's redaction of a result", () => {
  it('masks the secret in the data and the error message, never in the ids, outcome or code', () => {
    const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
    const denoBin = join(
      dirname(
        createRequire(join(repoRoot, 'packages/local-stack/package.json')).resolve(
          'deno/package.json',
        ),
      ),
      'deno',
    );
    const runStep = pathToFileURL(
      join(repoRoot, 'supabase/functions/workflow-orchestrator/run-step.ts'),
    ).href;
    // A secret that also occurs in the step id and in "failed": those must reach the finish as
    // they were claimed, or the result would not apply.
    const code = `
      import { redacted } from ${JSON.stringify(runStep)};
      const secret = 'ail';
      const claim = { redact: [secret, 'tok-123'] };
      const failed = redacted({ claim, result: { job_id: 'j', attempt: 1, step_id: 'mail',
        duration_ms: 1, input: { token: 'tok-123', note: 'email' }, outcome: 'failed',
        error: { code: 'mail_failed', message: 'send tok-123 failed', retryable: false } } });
      const ok = redacted({ claim, result: { job_id: 'j', attempt: 1, step_id: 'mail',
        duration_ms: 1, input: {}, outcome: 'succeeded', output: { echoed: 'tok-123' },
        final_result: { x: 'a tok-123 b' } } });
      const untouched = redacted({ claim: { redact: [] }, result: { job_id: 'j', attempt: 1,
        step_id: 's', duration_ms: 1, outcome: 'succeeded', output: 'tok-123' } });
      console.log('REDACT ' + JSON.stringify({ failed: failed.result, ok: ok.result,
        untouched: untouched.result }));
    `;
    const out = spawnSync(denoBin, ['eval', '--no-lock', '--node-modules-dir=none', code], {
      encoding: 'utf8',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
      timeout: 120_000,
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('REDACT '));
    if (!line) throw new Error(`no answer: ${out.stderr}`);
    const result = JSON.parse(line.slice('REDACT '.length));
    expect(result.failed).toEqual({
      job_id: 'j',
      attempt: 1,
      step_id: 'mail',
      duration_ms: 1,
      input: { token: MASK, note: `em${MASK}` },
      outcome: 'failed',
      error: { code: 'mail_failed', message: `send ${MASK} f${MASK}ed`, retryable: false },
    });
    expect(result.ok).toMatchObject({
      outcome: 'succeeded',
      output: { echoed: MASK },
      final_result: { x: `a ${MASK} b` },
    });
    expect(result.untouched.output).toBe('tok-123');
  }, 120_000);
});

describe('row level security', () => {
  let runId: string;
  beforeAll(async () => {
    const setup = await setUp(pausedOrg, 1);
    runId = (await startRun(setup)).run_id;
  });

  for (const table of ['flow_sequence_runs', 'flow_sequence_run_flows'] as const) {
    const column = table === 'flow_sequence_runs' ? 'id' : 'run_id';

    it(`members read ${table}; an outsider and anon read nothing`, async () => {
      for (const user of [owner, member]) {
        const { data, error } = await user.client
          .from(table)
          .select('*')
          .eq(column as 'id', runId);
        expect(error).toBeNull();
        expect(data).toHaveLength(1);
      }
      const outside = await outsider.client
        .from(table)
        .select('*')
        .eq(column as 'id', runId);
      expect(outside.data ?? []).toHaveLength(0);
      const anon = await anonClient()
        .from(table)
        .select('*')
        .eq(column as 'id', runId);
      expect(anon.data ?? []).toHaveLength(0);
    });

    it(`nobody inserts, updates or deletes ${table} through the API, owners included`, async () => {
      const insert = await owner.client
        .from(table)
        .insert({ organisation_id: pausedOrg } as never)
        .select();
      expect(insert.error).not.toBeNull();
      const update = await owner.client
        .from(table)
        .update({ status: 'completed' } as never)
        .eq(column as 'id', runId)
        .select();
      expect(update.error).not.toBeNull();
      const del = await owner.client
        .from(table)
        .delete()
        .eq(column as 'id', runId)
        .select();
      expect(del.error).not.toBeNull();
      const { rows } = await db.query(
        `select count(*)::int as n, min(status) as status from public.${table} where ${column} = $1`,
        [runId],
      );
      expect(rows[0]).toEqual({ n: 1, status: 'running' });
    });
  }

  it('the private tables are not reachable through the API', async () => {
    const { error } = await owner.client
      .schema('private' as never)
      .from('flow_run_secrets')
      .select('*');
    expect(error).not.toBeNull();
    void env;
  });
});
