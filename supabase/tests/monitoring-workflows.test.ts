import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { env } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import {
  events,
  insertJobs,
  isFinal,
  ownerDb,
  saveWorkflow,
  startWorker,
  waitForJob,
  type Worker,
} from './support/orchestrator.ts';

// Seed 003 iteration 12: the monitoring RPCs' figures on a data set with known timestamps
// (inserted as the database owner), the workflow-metrics function's Prometheus text, and
// the orchestrator's structured log lines (read from a standalone worker's stdout).
// Jobs still in the queue are parked far in the future (available_at) so the stack's cron
// orchestrator leaves them alone.

const fx = createFixtures('monitoring');
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let db: pg.Client;
let w1: { id: string; version: number };
let w2: { id: string; version: number };
let w3: { id: string; version: number };

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000);
const FAR = new Date('2100-01-01T00:00:00Z');

interface Seed {
  key: string;
  workflow: () => { id: string; version: number };
  status: string;
  created: Date;
  started?: Date;
  completed?: Date;
  availableAt?: Date;
  nextRetryAt?: Date;
  retryAt?: Date;
}

const jobIds = new Map<string, string>();

async function insertJob(seed: Seed): Promise<string> {
  const workflow = seed.workflow();
  const { rows } = await db.query<{ id: string }>(
    `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
       created_at, started_at, completed_at, available_at, next_retry_at, current_step_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()), $10, 'step1')
     returning id`,
    [
      organisationId,
      workflow.id,
      workflow.version,
      member.id,
      seed.status,
      seed.created,
      seed.started ?? null,
      seed.completed ?? null,
      seed.availableAt ?? null,
      seed.nextRetryAt ?? null,
    ],
  );
  const id = rows[0]!.id;
  jobIds.set(seed.key, id);
  const event = (type: string, when: Date, extra: Record<string, unknown> = {}) =>
    db.query(
      `insert into public.job_events (organisation_id, job_id, user_id, event_type, step_id,
         transformer_id, from_status, to_status, duration_ms, created_at)
       values ($1, $2, $3, $4, 'step1', $5, $6, $7, $8, $9)`,
      [
        organisationId,
        id,
        member.id,
        type,
        extra.transformer ?? null,
        extra.from ?? null,
        extra.to ?? null,
        extra.duration ?? null,
        when,
      ],
    );
  if (seed.started) await event('claimed', seed.started, { from: 'pending', to: 'running' });
  if (seed.retryAt) await event('retry_scheduled', seed.retryAt, { to: 'awaiting_retry' });
  return id;
}

beforeAll(async () => {
  const users = await fx.users('owner', 'member', 'outsider');
  ({ owner, member, outsider } = users);
  organisationId = await fx.organisation(owner, { members: [member] });
  await fx.organisation(outsider);
  db = await ownerDb();
  // The fixtures finished in January 2026: keep them from the scheduled retention purge
  // (default 90 days, every cron tick), which otherwise deletes them mid-test.
  await db.query('update public.organisations set job_retention_days = 3650 where id = $1', [
    organisationId,
  ]);
  const definition = {
    start_step: 'step1',
    steps: { step1: { transformer_id: 'echo-transformer', input_map: {}, next_step: null } },
  };
  w1 = await saveWorkflow(db, { organisationId, userId: owner.id, key: 'w1', definition });
  w2 = await saveWorkflow(db, { organisationId, userId: owner.id, key: 'w2', definition });
  w3 = await saveWorkflow(db, { organisationId, userId: owner.id, key: 'w3-metrics', definition });

  const seeds: Seed[] = [
    // Hour 0
    {
      key: 'j1',
      workflow: () => w1,
      status: 'completed',
      created: at(5),
      started: at(6),
      completed: at(6, 10),
    },
    {
      key: 'j2',
      workflow: () => w1,
      status: 'completed',
      created: at(10),
      started: at(10),
      completed: at(10, 30),
    },
    {
      key: 'j3',
      workflow: () => w1,
      status: 'failed',
      created: at(20),
      started: at(20),
      completed: at(21),
    },
    {
      key: 'j4',
      workflow: () => w1,
      status: 'completed',
      created: at(50),
      started: at(55),
      completed: at(65),
    },
    // Hour 1
    { key: 'j5', workflow: () => w1, status: 'cancelled', created: at(70), completed: at(75) },
    { key: 'j6', workflow: () => w1, status: 'pending', created: at(90), availableAt: FAR },
    // Hour 2
    {
      key: 'j7',
      workflow: () => w1,
      status: 'awaiting_retry',
      created: at(130),
      started: at(130),
      retryAt: at(131),
      availableAt: FAR,
      nextRetryAt: FAR,
    },
    {
      key: 'j8',
      workflow: () => w2,
      status: 'completed',
      created: at(140),
      started: at(140),
      completed: at(140, 20),
    },
  ];
  for (const seed of seeds) await insertJob(seed);

  // Step results per transformer, inside the range.
  const steps: [string, string, string, number][] = [
    ['j1', 'step_succeeded', 'echo-transformer', 100],
    ['j2', 'step_succeeded', 'echo-transformer', 200],
    ['j4', 'step_succeeded', 'echo-transformer', 300],
    ['j3', 'step_failed', 'http-request', 50],
  ];
  for (const [job, type, transformer, duration] of steps) {
    await db.query(
      `insert into public.job_events (organisation_id, job_id, user_id, event_type, step_id,
         transformer_id, duration_ms, created_at)
       values ($1, $2, $3, $4, 'step1', $5, $6, $7)`,
      [organisationId, jobIds.get(job), member.id, type, transformer, duration, at(30)],
    );
  }
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

describe('workflow_stats', () => {
  it('counts, rates, durations and queue depth per hour on a known data set', async () => {
    const { data, error } = await member.client.rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
      p_bucket: '1 hour',
    });
    expect(error).toBeNull();
    const rows = data!.map((r) => ({ ...r, bucket_start: new Date(r.bucket_start).toISOString() }));
    expect(rows).toEqual([
      {
        bucket_start: at(0).toISOString(),
        bucket_end: expect.any(String),
        created: 4,
        started: 4,
        completed: 2,
        failed: 1,
        cancelled: 0,
        retries: 0,
        failure_rate: 1 / 3,
        avg_duration_ms: 20_000,
        // percentile_cont over [10 s, 30 s]: 10 + 0.95 × 20
        p95_duration_ms: 29_000,
        queue_depth: 1,
      },
      {
        bucket_start: at(60).toISOString(),
        bucket_end: expect.any(String),
        created: 2,
        started: 0,
        completed: 1,
        failed: 0,
        cancelled: 1,
        retries: 0,
        failure_rate: 0,
        avg_duration_ms: 600_000,
        p95_duration_ms: 600_000,
        queue_depth: 1,
      },
      {
        bucket_start: at(120).toISOString(),
        bucket_end: expect.any(String),
        created: 2,
        started: 2,
        completed: 1,
        failed: 0,
        cancelled: 0,
        retries: 1,
        failure_rate: 0,
        avg_duration_ms: 20_000,
        p95_duration_ms: 20_000,
        queue_depth: 2,
      },
    ]);
    expect(new Date(data![2]!.bucket_end).getTime()).toBe(at(180).getTime());
  });

  it('filters by workflow and leaves empty buckets empty', async () => {
    const { data, error } = await member.client.rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
      p_bucket: '30 minutes',
      p_workflow_id: w2.id,
    });
    expect(error).toBeNull();
    expect(data).toHaveLength(6);
    expect(data!.map((r) => [r.created, r.completed, r.failure_rate, r.queue_depth])).toEqual([
      [0, 0, null, 0],
      [0, 0, null, 0],
      [0, 0, null, 0],
      [0, 0, null, 0],
      [1, 1, 0, 0],
      [0, 0, null, 0],
    ]);
  });

  it('refuses an outsider (404), too many buckets and monthly buckets (400)', async () => {
    const outside = await outsider.client.rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
      p_bucket: '1 hour',
    });
    expect(outside.error?.code).toBe('organisation_not_found');
    const tooMany = await member.client.rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
      p_bucket: '1 second',
    });
    expect(tooMany.error?.code).toBe('invalid_input');
    const monthly = await member.client.rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
      p_bucket: '1 month',
    });
    expect(monthly.error?.code).toBe('invalid_input');
    const anon = await anonClient().rpc('workflow_stats', {
      p_organisation_id: organisationId,
      p_from: at(0).toISOString(),
      p_to: at(180).toISOString(),
    });
    expect(anon.error).not.toBeNull();
  });
});

describe('workflow_health', () => {
  it('per-workflow and per-transformer rates and durations, and the queue', async () => {
    const { data, error } = await member.client.rpc('workflow_health', {
      p_organisation_id: organisationId,
      p_since: at(0).toISOString(),
    });
    expect(error).toBeNull();
    const health = data as {
      queue: Record<string, unknown>;
      workflows: Record<string, unknown>[];
      transformers: Record<string, unknown>[];
    };
    expect(health.queue).toMatchObject({
      due: 0,
      pending: 1,
      running: 0,
      awaiting_retry: 1,
      oldest_due_age_seconds: 0,
    });
    expect(new Date(health.queue.next_retry_at as string).getTime()).toBe(FAR.getTime());
    const byKey = Object.fromEntries(health.workflows.map((w) => [w.key, w]));
    expect(byKey.w1).toMatchObject({
      workflow_id: w1.id,
      finished: 5,
      completed: 3,
      failed: 1,
      cancelled: 1,
      completion_rate: 0.6,
      failure_rate: 0.25,
      in_queue: 2,
      // [10 s, 30 s, 600 s]: mean, and percentile_cont 0.95 = 30 + 0.9 × 570
      p95_duration_ms: 543_000,
    });
    expect(byKey.w1!.avg_duration_ms).toBeCloseTo(640_000 / 3, 3);
    expect(byKey.w2).toMatchObject({
      finished: 1,
      completed: 1,
      completion_rate: 1,
      failure_rate: 0,
      avg_duration_ms: 20_000,
      p95_duration_ms: 20_000,
      in_queue: 0,
    });
    expect(health.transformers).toEqual([
      {
        transformer_id: 'echo-transformer',
        steps: 3,
        succeeded: 3,
        failed: 0,
        failure_rate: 0,
        avg_duration_ms: 200,
        p95_duration_ms: 290,
      },
      {
        transformer_id: 'http-request',
        steps: 1,
        succeeded: 0,
        failed: 1,
        failure_rate: 1,
        avg_duration_ms: 50,
        p95_duration_ms: 50,
      },
    ]);
  });

  it('counts a due job and the age of the oldest (seen inside one transaction)', async () => {
    // A due job would be claimed by cron at once; insert it and read the figures as the
    // member in one transaction, then roll back.
    await db.query('begin');
    try {
      await db.query(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, available_at)
         values ($1, $2, $3, $4, now() - interval '90 seconds')`,
        [organisationId, w1.id, w1.version, member.id],
      );
      await db.query(`set local role authenticated`);
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: member.id, role: 'authenticated' }),
      ]);
      const { rows } = await db.query<{
        h: { queue: { due: number; oldest_due_age_seconds: number } };
      }>(`select public.workflow_health($1) as h`, [organisationId]);
      expect(rows[0]!.h.queue.due).toBe(1);
      expect(rows[0]!.h.queue.oldest_due_age_seconds).toBeCloseTo(90, 0);
    } finally {
      await db.query('rollback');
    }
  });

  it('refuses an outsider (404)', async () => {
    const { error } = await outsider.client.rpc('workflow_health', {
      p_organisation_id: organisationId,
    });
    expect(error?.code).toBe('organisation_not_found');
  });
});

describe('workflow-metrics', () => {
  const scrape = (key: string) =>
    fetch(`${env.url}/functions/v1/workflow-metrics`, {
      headers: { Authorization: `Bearer ${key}` },
    });

  it('is for the service role only', async () => {
    const { data } = await member.client.auth.getSession();
    const res = await scrape(data.session!.access_token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    const none = await fetch(`${env.url}/functions/v1/workflow-metrics`);
    expect(none.status).toBe(401);
    await none.body?.cancel();
  });

  it('answers Prometheus text with job and step duration summaries', async () => {
    // Three jobs of w3 finished just now in 1, 2 and 3 s; their steps took 10, 20, 30 ms.
    const transformer = `metrics-probe-${Date.now()}`;
    for (const seconds of [1, 2, 3]) {
      const { rows } = await db.query<{ id: string }>(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
           started_at, completed_at)
         values ($1, $2, $3, $4, 'completed', now() - make_interval(secs => $5), now())
         returning id`,
        [organisationId, w3.id, w3.version, member.id, seconds],
      );
      await db.query(
        `insert into public.job_events (organisation_id, job_id, user_id, event_type, step_id,
           transformer_id, duration_ms)
         values ($1, $2, $3, 'step_succeeded', 'step1', $4, $5),
                ($1, $2, $3, 'completed', 'step1', null, $6)`,
        [organisationId, rows[0]!.id, member.id, transformer, seconds * 10, seconds * 1000],
      );
    }

    const res = await scrape(env.serviceRoleKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const lines = text.trimEnd().split('\n');

    // Every line is a comment or a sample; every family is declared before its samples.
    const declared = new Set<string>();
    for (const line of lines) {
      const type = /^# TYPE (\w+) (gauge|counter|summary|histogram)$/.exec(line);
      if (type) {
        declared.add(type[1]!);
        continue;
      }
      if (line.startsWith('# HELP ')) continue;
      const sample = /^(\w+?)(?:_sum|_count|_bucket)?(\{[^}]*\})? (-?[\d.e+-]+|NaN|[+-]Inf)$/.exec(
        line,
      );
      expect(sample, line).not.toBeNull();
      const family = line.split(/[{ ]/)[0]!.replace(/_(sum|count|bucket)$/, '');
      expect(declared.has(family) || declared.has(line.split(/[{ ]/)[0]!), line).toBe(true);
    }
    for (const family of [
      'forkflow_jobs',
      'forkflow_queue_depth',
      'forkflow_oldest_due_job_age_seconds',
      'forkflow_job_duration_seconds',
      'forkflow_step_duration_seconds',
      'forkflow_function_duration_seconds',
    ]) {
      expect(text).toContain(`# HELP ${family} `);
    }

    const value = (prefix: string) => {
      const line = lines.find((l) => l.startsWith(prefix));
      expect(line, prefix).toBeDefined();
      return Number(line!.slice(line!.lastIndexOf(' ') + 1));
    };
    expect(value('forkflow_jobs{status="completed"}')).toBeGreaterThanOrEqual(7);
    expect(value('forkflow_jobs{status="awaiting_retry"}')).toBeGreaterThanOrEqual(1);
    const jobLabels = `{organisation="${organisationId}",workflow="w3-metrics",status="completed",window="300s"`;
    expect(value(`forkflow_job_duration_seconds${jobLabels},quantile="0.5"}`)).toBe(2);
    expect(value(`forkflow_job_duration_seconds${jobLabels},quantile="0.95"}`)).toBeCloseTo(2.9, 6);
    expect(value(`forkflow_job_duration_seconds_sum${jobLabels}}`)).toBe(6);
    expect(value(`forkflow_job_duration_seconds_count${jobLabels}}`)).toBe(3);
    const stepLabels = `{transformer="${transformer}",outcome="succeeded",window="300s"`;
    expect(value(`forkflow_step_duration_seconds${stepLabels},quantile="0.5"}`)).toBe(0.02);
    expect(value(`forkflow_step_duration_seconds_sum${stepLabels}}`)).toBe(0.06);
    expect(value(`forkflow_step_duration_seconds_count${stepLabels}}`)).toBe(3);
    expect(value('forkflow_queue_depth ')).toBeGreaterThanOrEqual(0);
  });
});

describe('structured logs', () => {
  let worker: Worker | undefined;
  afterAll(async () => {
    await worker?.stop();
  });

  it('the orchestrator logs one JSON line per step with job_id, step_id, transformer_id, outcome and error', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'logged',
      definition: {
        start_step: 'step1',
        steps: {
          step1: {
            transformer_id: 'echo-transformer',
            input_map: {
              data: '$.job_input.payload',
              fail_times: '$.job_input.fail_times',
              non_retryable: '$.job_input.non_retryable',
            },
            next_step: null,
          },
        },
      },
      retryPolicy: { max_retries: 0 },
    });
    const name = `logs-test:${Date.now()}`;
    worker = await startWorker({ worker: name, workflowIds: [workflow.id] });

    // The worker polls every 10 ms, cron every second: the worker almost always claims
    // first. Jobs another orchestrator took are not in this worker's log: judge only the
    // ones it claimed, and go again until it has run at least one of each outcome.
    const mine = new Map<string, 'completed' | 'failed'>();
    for (let round = 0; round < 5; round++) {
      const ids = await insertJobs(db, {
        organisationId,
        userId: member.id,
        workflow,
        inputs: [
          // Every mapped input present, so no line carries missing_inputs.
          { payload: 'ok', fail_times: 0, non_retryable: false },
          { payload: 'ok', fail_times: 0, non_retryable: false },
          { payload: 'bad', fail_times: 1, non_retryable: true },
          { payload: 'bad', fail_times: 1, non_retryable: true },
        ],
        maxRetries: 0,
      });
      for (const id of ids) {
        const done = await waitForJob(db, id, isFinal, { invoke: false });
        const claim = (await events(db, id)).find((e) => e.event_type === 'claimed');
        if (claim?.data.worker === name) mine.set(id, done.status as 'completed' | 'failed');
      }
      const outcomes = new Set(mine.values());
      if (outcomes.has('completed') && outcomes.has('failed')) break;
    }
    expect(new Set(mine.values())).toEqual(new Set(['completed', 'failed']));
    // Stopped, so every line it wrote is in.
    await worker.stop();

    expect(worker.lines.filter((l) => 'unparsed' in l)).toEqual([]);
    const steps = worker.lines.filter((l) => l.msg === 'step finished');
    for (const [jobId, status] of mine) {
      const lines = steps.filter((l) => l.job_id === jobId);
      expect(lines, jobId).toHaveLength(1);
      expect(lines[0]).toEqual({
        level: status === 'completed' ? 'info' : 'warn',
        msg: 'step finished',
        worker: name,
        job_id: jobId,
        step_id: 'step1',
        transformer_id: 'echo-transformer',
        attempt: 1,
        duration_ms: expect.any(Number),
        outcome: status === 'completed' ? 'succeeded' : 'failed',
        job_status: status,
        ...(status === 'failed'
          ? {
              error: {
                code: 'echo_failure',
                message: expect.stringMatching(/Failing on purpose/),
                retryable: false,
              },
            }
          : {}),
      });
    }
    // And one summary line per run, counting what it did.
    const runs = worker.lines.filter((l) => l.msg === 'orchestrator run');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.worker === name && r.level === 'info')).toBe(true);
    const total = (field: string) => runs.reduce((sum, r) => sum + (r[field] as number), 0);
    const failedHere = [...mine.values()].filter((s) => s === 'failed').length;
    expect(total('claimed')).toBe(mine.size);
    expect(total('failed')).toBe(failedHere);
    expect(total('succeeded')).toBe(mine.size - failedHere);
  }, 120_000);
});
