import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { createFixtures } from './support/users.ts';
import {
  callFunction,
  completed,
  createWorkflowOrganisation,
  failedAt,
  FINAL_STATUSES,
  hasOrchestrator,
  insertJob,
  readJob,
  saveWorkflow,
  startJob,
  TWO_STEP_DEFINITION,
  uniqueKey,
  UNFINISHED_STATUSES,
  waitForJob,
  type ApiError,
  type Job,
  type JobEvent,
  type Started,
} from './support/workflows.ts';

// The workflow API (seed 003 iterations 2 and 3; docs/workflows-contract.md "HTTP API"):
// start-workflow, get-job, list-jobs, cancel-job and retry-job over HTTP through the gateway,
// as real users. Under `pnpm test` the orchestrator runs every second, so a started job may
// already have moved on: assertions on its state accept any state it can be in, and the
// tests that need a job to stay put insert one that is not due (insertJob).

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-api');
  db = await adminDb();
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

const anyStatus = [...UNFINISHED_STATUSES, ...FINAL_STATUSES];

describe('start-workflow', () => {
  it('a member starts a job: 201 with job_id, status pending and created_at', async () => {
    const res = await callFunction<Started>('start-workflow', {
      as: t.member,
      body: { workflow_id: t.workflow.id, input_data: { payload: 'hello' } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      job_id: expect.any(String),
      status: 'pending',
      created_at: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false);
  });

  it('the new job row has the caller, the workflow, the input and starts pending', async () => {
    const started = await startJob(t.member, t.workflow.id, { payload: { n: 1 } });
    const job = await readJob(t.service, started.job_id);
    expect(job).toMatchObject({
      user_id: t.member.id,
      workflow_id: t.workflow.id,
      organisation_id: t.organisationId,
      workflow_version: t.workflow.version,
      input_data: { payload: { n: 1 } },
    });
    expect(anyStatus).toContain(job.status);
    const { data: events } = await t.service
      .from('job_events')
      .select('event_type, to_status')
      .eq('job_id', started.job_id)
      .order('id')
      .limit(1);
    expect(events).toEqual([{ event_type: 'created', to_status: 'pending' }]);
  });

  it('the row start_workflow_job inserts is pending, with the caller, the workflow and the input', async () => {
    // The function's RPC as the member, inside a transaction rolled back: the orchestrator
    // cannot see the row yet, so its status is the one it was inserted with.
    await db.query('begin');
    try {
      await db.query(`set local role authenticated`);
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: t.member.id, role: 'authenticated' }),
      ]);
      const { rows } = await db.query<{ started: { job_id: string; status: string } }>(
        `select public.start_workflow_job($1, $2::jsonb) as started`,
        [t.workflow.key, JSON.stringify({ payload: 'in a transaction' })],
      );
      expect(rows[0]!.started.status).toBe('pending');
      const job = await db.query<Pick<Job, 'status' | 'user_id' | 'workflow_id' | 'input_data'>>(
        `select status, user_id, workflow_id, input_data from public.jobs where id = $1`,
        [rows[0]!.started.job_id],
      );
      expect(job.rows).toEqual([
        {
          status: 'pending',
          user_id: t.member.id,
          workflow_id: t.workflow.id,
          input_data: { payload: 'in a transaction' },
        },
      ]);
    } finally {
      await db.query('rollback');
    }
  });

  it('starts by key as by uuid', async () => {
    const byKey = await startJob(t.member, t.workflow.key);
    expect(byKey.workflow_id).toBe(t.workflow.id);
    const byUuid = await startJob(t.member, t.workflow.id);
    expect(byUuid.workflow_id).toBe(t.workflow.id);
    expect(byUuid.job_id).not.toBe(byKey.job_id);
  });

  it.each([
    ['an unknown key', () => 'no-such-workflow'],
    ['an unknown uuid', () => '00000000-0000-4000-8000-000000000000'],
    ["another organisation's workflow by uuid", () => t.otherWorkflow.id],
    ["another organisation's workflow by key", () => t.otherWorkflow.key],
  ])('%s is a 404', async (_label, workflow) => {
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: workflow(), input_data: {} },
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'workflow_not_found' });
  });

  it('a workflow in another of my organisations is found only there with organisation_id', async () => {
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.admin,
      body: {
        workflow_id: t.workflow.key,
        input_data: {},
        organisation_id: t.otherOrganisationId,
      },
    });
    expect(res.status).toBe(404);
  });

  it('a key that two of my organisations use needs organisation_id (400), then starts', async () => {
    const fx = createFixtures('wf-api-two-orgs');
    try {
      const boss = await fx.user('boss');
      const [first, second] = [await fx.organisation(boss), await fx.organisation(boss)];
      const key = uniqueKey('shared');
      await saveWorkflow(boss, { organisation_id: first, key });
      const other = await saveWorkflow(boss, { organisation_id: second, key });

      const ambiguous = await callFunction<ApiError>('start-workflow', {
        as: boss,
        body: { workflow_id: key, input_data: {} },
      });
      expect(ambiguous.status).toBe(400);
      expect(ambiguous.body.error.code).toBe('ambiguous_workflow');

      const started = await startJob(boss, key, {}, { organisation_id: second });
      expect(started.workflow_id).toBe(other.id);
    } finally {
      await fx.cleanup();
    }
  });

  it('an archived workflow cannot be started: 409', async () => {
    const archived = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const { error } = await t.admin.client.rpc('set_workflow_status', {
      p_workflow_id: archived.id,
      p_status: 'archived',
    });
    expect(error).toBeNull();
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: archived.key, input_data: {} },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('workflow_archived');
  });

  it.each([
    ['a body that is not JSON', '{"workflow_id":'],
    ['a JSON array', '[]'],
    ['no workflow_id', { input_data: {} }],
    ['a workflow_id that is not a string', { workflow_id: 42, input_data: {} }],
    ['an empty workflow_id', { workflow_id: '', input_data: {} }],
    ['no input_data', { workflow_id: 'x' }],
    ['input_data that is an array', { workflow_id: 'x', input_data: [1] }],
    ['input_data that is a string', { workflow_id: 'x', input_data: 'payload' }],
    ['input_data that is null', { workflow_id: 'x', input_data: null }],
    [
      'an organisation_id that is not a uuid',
      { workflow_id: 'x', input_data: {}, organisation_id: 'x' },
    ],
  ])('%s is a 400', async (_label, body) => {
    const res = await callFunction<ApiError>('start-workflow', { as: t.member, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', message: expect.any(String) });
  });

  it('without a user token: 401 (no token at the gateway, the anon key in the function)', async () => {
    const body = { workflow_id: t.workflow.id, input_data: {} };
    expect((await callFunction('start-workflow', { body })).status).toBe(401);
    const anon = await callFunction<ApiError>('start-workflow', { as: env.anonKey, body });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthorized');
  });

  it('other methods are 405', async () => {
    const res = await callFunction<ApiError>('start-workflow', { as: t.member, method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('method_not_allowed');
  });

  it.skipIf(!hasOrchestrator)(
    'answers without waiting for the orchestrator it kicks',
    async () => {
      // The step sleeps 6 s in execute-echo: a response that waited for the kicked run
      // would find the job finished. Order, not a clock, tells the two apart.
      const slow = await saveWorkflow(t.admin, {
        organisation_id: t.organisationId,
        definition: {
          start_step: 'step1',
          steps: {
            step1: {
              transformer_id: 'echo-transformer',
              input_map: { data: '$.job_input.payload', delay_ms: '$.job_input.delay_ms' },
            },
          },
        },
      });
      const job = await startJob(t.member, slow.id, { payload: 'slow', delay_ms: 6000 });
      const { data: meanwhile, error } = await t.service
        .from('jobs')
        .select('status')
        .eq('id', job.job_id)
        .single();
      expect(error).toBeNull();
      expect(['pending', 'running']).toContain(meanwhile?.status);
      const done = await waitForJob(t.service, job.job_id, (j) =>
        FINAL_STATUSES.includes(j.status),
      );
      expect(done.status).toBe('completed');
    },
    30_000,
  );

  it.skipIf(!hasOrchestrator)('twenty jobs started at once all complete', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => startJob(t.member, t.workflow.id, { payload: i })),
    );
    const done = await Promise.all(
      jobs.map((j) =>
        waitForJob(t.service, j.job_id, (job) => FINAL_STATUSES.includes(job.status)),
      ),
    );
    expect(done.map((j) => j.status)).toEqual(Array(20).fill('completed'));
    expect(done.map((j) => j.final_result)).toEqual(jobs.map((_, i) => ({ result: i })));
  });
});

describe('start-workflow with an Idempotency-Key', () => {
  const start = (key: string, input: Record<string, unknown>, workflow = t.workflow.id) =>
    callFunction<Started & ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: workflow, input_data: input },
      headers: { 'Idempotency-Key': key },
    });

  it('the same key and input again answers 200 with the same job and body', async () => {
    const key = uniqueKey('idem');
    const first = await start(key, { payload: 1 });
    expect(first.status).toBe(201);
    const again = await start(key, { payload: 1 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const { count } = await t.service
      .from('jobs')
      .select('id', { count: 'exact', head: true })
      .eq('user_id', t.member.id)
      .eq('idempotency_key', key);
    expect(count).toBe(1);
  });

  it('the same key by uuid and by key of the same workflow is the same job', async () => {
    const key = uniqueKey('idem');
    const first = await start(key, { payload: 2 });
    const byKey = await start(key, { payload: 2 }, t.workflow.key);
    expect(byKey.status).toBe(200);
    expect(byKey.body.job_id).toBe(first.body.job_id);
  });

  it('the same key with another input is a 409', async () => {
    const key = uniqueKey('idem');
    expect((await start(key, { payload: 1 })).status).toBe(201);
    const res = await start(key, { payload: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_conflict');
  });

  it('the same key with another workflow is a 409', async () => {
    const key = uniqueKey('idem');
    const other = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    expect((await start(key, { payload: 1 })).status).toBe(201);
    const res = await start(key, { payload: 1 }, other.id);
    expect(res.status).toBe(409);
  });

  it('keys are per user: another user with the same key gets their own job', async () => {
    const key = uniqueKey('idem');
    const mine = await start(key, { payload: 1 });
    const theirs = await callFunction<Started>('start-workflow', {
      as: t.colleague,
      body: { workflow_id: t.workflow.id, input_data: { payload: 1 } },
      headers: { 'Idempotency-Key': key },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.job_id).not.toBe(mine.body.job_id);
  });

  it('ten concurrent requests with one key make one job', async () => {
    const key = uniqueKey('idem-race');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => start(key, { payload: 'race' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.job_id)).size).toBe(1);
    const { count } = await t.service
      .from('jobs')
      .select('id', { count: 'exact', head: true })
      .eq('idempotency_key', key);
    expect(count).toBe(1);
  });

  it('a key over 200 characters is a 400', async () => {
    const res = await start('k'.repeat(201), {});
    expect(res.status).toBe(400);
  });
});

describe('get-job', () => {
  it('the owner gets the full job and its events, oldest first', async () => {
    const started = await startJob(t.member, t.workflow.id, { payload: 'get me' });
    const res = await callFunction<{ job: Job; events: JobEvent[] }>(`get-job/${started.job_id}`, {
      as: t.member,
    });
    expect(res.status).toBe(200);
    expect(res.body.job).toMatchObject({
      id: started.job_id,
      user_id: t.member.id,
      workflow_id: t.workflow.id,
      workflow_version: t.workflow.version,
      input_data: { payload: 'get me' },
      created_at: started.created_at,
    });
    expect(anyStatus).toContain(res.body.job.status);
    for (const column of ['step_data', 'final_result', 'current_step_id', 'retry_count']) {
      expect(res.body.job).toHaveProperty(column);
    }
    const ids = res.body.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(res.body.events[0]).toMatchObject({ event_type: 'created', to_status: 'pending' });
  });

  it("another member's job is a 404, as is another organisation's", async () => {
    const started = await startJob(t.colleague, t.workflow.id);
    for (const who of [t.member, t.outsider]) {
      const res = await callFunction<ApiError>(`get-job/${started.job_id}`, { as: who });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it("an admin or owner gets a member's job", async () => {
    const started = await startJob(t.member, t.workflow.id);
    for (const who of [t.admin, t.owner]) {
      const res = await callFunction<{ job: Job }>(`get-job/${started.job_id}`, { as: who });
      expect(res.status).toBe(200);
      expect(res.body.job.id).toBe(started.job_id);
    }
  });

  it('an unknown id or one that is not a uuid is a 404', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await callFunction<ApiError>(`get-job/${id}`, { as: t.member });
      expect(res.status).toBe(404);
    }
    expect((await callFunction('get-job', { as: t.member })).status).toBe(404);
  });

  it('without a user token: 401', async () => {
    const started = await startJob(t.member, t.workflow.id);
    expect((await callFunction(`get-job/${started.job_id}`)).status).toBe(401);
    const anon = await callFunction(`get-job/${started.job_id}`, { as: env.anonKey });
    expect(anon.status).toBe(401);
  });

  it('POST is a 405', async () => {
    const res = await callFunction('get-job/x', { as: t.member, method: 'POST', body: {} });
    expect(res.status).toBe(405);
  });
});

type JobList = { jobs: Job[]; next_cursor: string | null };

describe('list-jobs', () => {
  it('returns {"jobs": [...]} with only the caller’s jobs, newest first', async () => {
    const mine = await startJob(t.member, t.workflow.id);
    const theirs = await startJob(t.colleague, t.workflow.id);
    const res = await callFunction<JobList>('list-jobs?limit=100', { as: t.member });
    expect(res.status).toBe(200);
    const ids = res.body.jobs.map((j) => j.id);
    expect(ids).toContain(mine.job_id);
    expect(ids).not.toContain(theirs.job_id);
    expect(res.body.jobs.every((j) => j.user_id === t.member.id)).toBe(true);
    const created = res.body.jobs.map((j) => Date.parse(j.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('a user without jobs gets an empty list', async () => {
    const fx = createFixtures('wf-api-empty');
    try {
      const nobody = await fx.user('nobody');
      const res = await callFunction<JobList>('list-jobs', { as: nobody });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ jobs: [], next_cursor: null });
    } finally {
      await fx.cleanup();
    }
  });

  it('pages with limit and cursor, neither skipping nor repeating', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const startedIds: string[] = [];
    for (let i = 0; i < 5; i++) startedIds.push((await startJob(t.member, workflow.id)).job_id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `list-jobs?workflow_id=${workflow.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await callFunction<JobList>(query, { as: t.member });
      expect(res.status).toBe(200);
      expect(res.body.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.jobs.map((j) => j.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...startedIds].reverse());
  });

  it('filters by workflow (uuid or key), status and creation time', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const a = await startJob(t.member, workflow.id);
    // Not due, so it is still pending to be cancelled whatever the orchestrator does.
    const held = await insertJob(db, { user: t.member, workflow });
    const b = { job_id: held.id, created_at: held.created_at };
    const other = await startJob(t.member, t.workflow.id);
    await callFunction('cancel-job', { as: t.member, body: { job_id: b.job_id } });

    const byKey = await callFunction<JobList>(`list-jobs?workflow_id=${workflow.key}`, {
      as: t.member,
    });
    expect(byKey.body.jobs.map((j) => j.id).sort()).toEqual([a.job_id, b.job_id].sort());

    const cancelled = await callFunction<JobList>(
      `list-jobs?workflow_id=${workflow.id}&status=cancelled`,
      { as: t.member },
    );
    expect(cancelled.body.jobs.map((j) => j.id)).toEqual([b.job_id]);
    const several = await callFunction<JobList>(
      `list-jobs?workflow_id=${workflow.id}&status=cancelled,${anyStatus.filter((s) => s !== 'cancelled').join(',')}`,
      { as: t.member },
    );
    expect(several.body.jobs).toHaveLength(2);

    const from = encodeURIComponent(b.created_at);
    const since = await callFunction<JobList>(`list-jobs?created_from=${from}&limit=100`, {
      as: t.member,
    });
    expect(since.body.jobs.map((j) => j.id).sort()).toEqual([b.job_id, other.job_id].sort());
    const before = await callFunction<JobList>(
      `list-jobs?workflow_id=${workflow.id}&created_to=${from}`,
      { as: t.member },
    );
    expect(before.body.jobs.map((j) => j.id)).toEqual([a.job_id]);
  });

  it('rows leave out step_data and the queue columns', async () => {
    await startJob(t.member, t.workflow.id);
    const res = await callFunction<JobList>('list-jobs?limit=1', { as: t.member });
    const [job] = res.body.jobs;
    expect(job).toHaveProperty('status');
    expect(job).not.toHaveProperty('step_data');
    expect(job).not.toHaveProperty('locked_by');
  });

  it('scope=organisation shows an admin every job of the organisation, a member still only theirs', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const mine = await startJob(t.member, workflow.id);
    const theirs = await startJob(t.colleague, workflow.id);
    const outside = await startJob(t.outsider, t.otherWorkflow.id);

    const admin = await callFunction<JobList>(
      `list-jobs?scope=organisation&workflow_id=${workflow.id}`,
      { as: t.admin },
    );
    expect(admin.body.jobs.map((j) => j.id).sort()).toEqual([mine.job_id, theirs.job_id].sort());
    const adminMine = await callFunction<JobList>(`list-jobs?workflow_id=${workflow.id}`, {
      as: t.admin,
    });
    expect(adminMine.body.jobs).toEqual([]);

    const member = await callFunction<JobList>(
      `list-jobs?scope=organisation&workflow_id=${workflow.id}`,
      { as: t.member },
    );
    expect(member.body.jobs.map((j) => j.id)).toEqual([mine.job_id]);

    const adminAll = await callFunction<JobList>('list-jobs?scope=organisation&limit=100', {
      as: t.admin,
    });
    expect(adminAll.body.jobs.map((j) => j.id)).not.toContain(outside.job_id);
  });

  it.each([
    'status=done',
    'status=pending,nope',
    'limit=0',
    'limit=101',
    'limit=ten',
    'cursor=not-a-cursor',
    'created_from=yesterday',
    'created_to=2026-13-45',
    'scope=everyone',
    'workflow_id=Not%20A%20Key',
    'organisation_id=x',
    'colour=blue',
  ])('?%s is a 400', async (query) => {
    const res = await callFunction<ApiError>(`list-jobs?${query}`, { as: t.member });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('an unknown workflow key is an empty list', async () => {
    const res = await callFunction<JobList>('list-jobs?workflow_id=no-such-key', { as: t.member });
    expect(res.body).toEqual({ jobs: [], next_cursor: null });
  });

  it('without a user token: 401', async () => {
    expect((await callFunction('list-jobs')).status).toBe(401);
    expect((await callFunction('list-jobs', { as: env.anonKey })).status).toBe(401);
  });
});

describe('cancel-job', () => {
  it('the owner cancels a pending job: 200 with the job, and a cancelled event', async () => {
    const held = await insertJob(db, { user: t.member, workflow: t.workflow });
    const res = await callFunction<Job>('cancel-job', {
      as: t.member,
      body: { job_id: held.id },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: held.id, status: 'cancelled' });
    const { data: events } = await t.service
      .from('job_events')
      .select('event_type, from_status, to_status')
      .eq('job_id', held.id)
      .order('id');
    expect(events?.at(-1)).toEqual({
      event_type: 'cancelled',
      from_status: 'pending',
      to_status: 'cancelled',
    });
  });

  it('a running or awaiting_retry job can be cancelled', async () => {
    for (const status of ['running', 'awaiting_retry'] as const) {
      const held = await insertJob(db, {
        user: t.member,
        workflow: t.workflow,
        set: {
          status,
          started_at: new Date().toISOString(),
          current_step_id: 'step1',
          next_retry_at: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      const res = await callFunction<Job>('cancel-job', {
        as: t.member,
        body: { job_id: held.id },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
    }
  });

  it.each([
    ['completed', completed()],
    ['failed', failedAt('step1')],
  ])('a %s job cannot be cancelled: 409', async (_status, set) => {
    const held = await insertJob(db, { user: t.member, workflow: t.workflow, set });
    const res = await callFunction<ApiError>('cancel-job', {
      as: t.member,
      body: { job_id: held.id },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('job_finished');
    expect((await readJob(t.service, held.id)).status).toBe(_status);
  });

  it('cancelling twice is a 409 the second time', async () => {
    const held = await insertJob(db, { user: t.member, workflow: t.workflow });
    expect(
      (await callFunction('cancel-job', { as: t.member, body: { job_id: held.id } })).status,
    ).toBe(200);
    expect(
      (await callFunction('cancel-job', { as: t.member, body: { job_id: held.id } })).status,
    ).toBe(409);
  });

  it("a member cannot cancel another member's job (404); an outsider neither", async () => {
    const held = await insertJob(db, { user: t.colleague, workflow: t.workflow });
    for (const who of [t.member, t.outsider]) {
      const res = await callFunction<ApiError>('cancel-job', {
        as: who,
        body: { job_id: held.id },
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await readJob(t.service, held.id)).status).toBe('pending');
  });

  it("an admin and an owner can cancel a member's job", async () => {
    for (const who of [t.admin, t.owner]) {
      const held = await insertJob(db, { user: t.member, workflow: t.workflow });
      const res = await callFunction<Job>('cancel-job', { as: who, body: { job_id: held.id } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
    }
  });

  it('a bad body is a 400, an unknown job a 404, no user a 401, GET a 405', async () => {
    expect((await callFunction('cancel-job', { as: t.member, body: {} })).status).toBe(400);
    expect((await callFunction('cancel-job', { as: t.member, body: { job_id: 'x' } })).status).toBe(
      400,
    );
    expect((await callFunction('cancel-job', { as: t.member, body: 'nope' })).status).toBe(400);
    const unknown = await callFunction('cancel-job', {
      as: t.member,
      body: { job_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(404);
    expect(
      (await callFunction('cancel-job', { as: env.anonKey, body: { job_id: 'x' } })).status,
    ).toBe(401);
    expect((await callFunction('cancel-job', { as: t.member, method: 'GET' })).status).toBe(405);
  });
});

describe('retry-job', () => {
  let twoSteps: Awaited<ReturnType<typeof saveWorkflow>>;
  beforeAll(async () => {
    twoSteps = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: TWO_STEP_DEFINITION,
    });
  });

  it('a failed job becomes runnable again from the step it failed at, its retries reset', async () => {
    const held = await insertJob(db, {
      user: t.member,
      workflow: twoSteps,
      input: { payload: 'again' },
      set: failedAt('second', { first: { echoed_data: 'again' } }),
    });
    const res = await callFunction<Job>('retry-job', { as: t.member, body: { job_id: held.id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: held.id,
      status: 'running',
      current_step_id: 'second',
      step_data: { first: { echoed_data: 'again' } },
      retry_count: 0,
      workflow_version: twoSteps.version,
      locked_by: null,
      error_message: null,
      completed_at: null,
    });
    expect(Date.parse(res.body.available_at)).toBeLessThanOrEqual(Date.now() + 1000);
    const { data: events } = await t.service
      .from('job_events')
      .select('event_type, step_id, from_status, to_status')
      .eq('job_id', held.id)
      .eq('event_type', 'retried');
    expect(events).toEqual([
      { event_type: 'retried', step_id: 'second', from_status: 'failed', to_status: 'running' },
    ]);

    if (hasOrchestrator) {
      // The orchestrator runs only the remaining step, on the first step's output.
      const done = await waitForJob(t.service, held.id, (j) => FINAL_STATUSES.includes(j.status));
      expect(done.status).toBe('completed');
      expect(done.final_result).toEqual({ result: 'again' });
    }
  });

  it('a job cancelled before it started goes back to pending', async () => {
    const held = await insertJob(db, { user: t.member, workflow: t.workflow });
    await callFunction('cancel-job', { as: t.member, body: { job_id: held.id } });
    const res = await callFunction<Job>('retry-job', { as: t.member, body: { job_id: held.id } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
  });

  it.each([
    ['pending', {}],
    ['completed', completed()],
  ])('a %s job cannot be retried: 409', async (status, set) => {
    const held = await insertJob(db, { user: t.member, workflow: t.workflow, set });
    const res = await callFunction<ApiError>('retry-job', {
      as: t.member,
      body: { job_id: held.id },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('job_not_failed');
    expect((await readJob(t.service, held.id)).status).toBe(status);
  });

  it("a member cannot retry another member's job (404); an admin can", async () => {
    const held = await insertJob(db, {
      user: t.colleague,
      workflow: t.workflow,
      set: failedAt('step1'),
    });
    const denied = await callFunction('retry-job', { as: t.member, body: { job_id: held.id } });
    expect(denied.status).toBe(404);
    const outsider = await callFunction('retry-job', { as: t.outsider, body: { job_id: held.id } });
    expect(outsider.status).toBe(404);
    const allowed = await callFunction<Job>('retry-job', {
      as: t.admin,
      body: { job_id: held.id },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body.status).toBe('running');
  });

  it('a bad body is a 400, no user a 401', async () => {
    expect((await callFunction('retry-job', { as: t.member, body: { id: 'x' } })).status).toBe(400);
    expect(
      (await callFunction('retry-job', { as: env.anonKey, body: { job_id: 'x' } })).status,
    ).toBe(401);
  });
});
