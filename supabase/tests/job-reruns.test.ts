import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import {
  callFunction,
  completed,
  createWorkflowOrganisation,
  insertJob,
  saveWorkflow,
  type ApiError,
  type Job,
  type Started,
  type Workflow,
} from './support/workflows.ts';

// Issue 12 §9/§10 (migration …007400; docs/workflow-manager/jobs-and-monitoring.md):
// start-workflow's rerun_of, public.jobs_ahead, and the queue wait figures
// (workflow_queue_wait for members, forkflow_job_queue_wait_seconds in workflow-metrics).

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;
let secondWorkflow: Workflow;

beforeAll(async () => {
  t = await createWorkflowOrganisation('job-reruns');
  db = await adminDb();
  secondWorkflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

type Rerun = Started & { rerun_of: string | null };

const rerun = (as: typeof t.member, workflow: string, rerunOf: unknown) =>
  callFunction<Rerun | ApiError>('start-workflow', {
    as,
    body: { workflow_id: workflow, input_data: { payload: 'edited' }, rerun_of: rerunOf },
  });

async function jobsOf(userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::integer as n from public.jobs where user_id = $1`,
    [userId],
  );
  return rows[0]!.n;
}

describe('start-workflow rerun_of', () => {
  it('records the source on the new job, in the answer and in its created event', async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const res = await rerun(t.member, t.workflow.id, source.id);
    expect(res.status).toBe(201);
    const started = res.body as Rerun;
    expect(started.rerun_of).toBe(source.id);
    const { rows } = await db.query<{ rerun_of: string; input_data: unknown; data: unknown }>(
      `select j.rerun_of, j.input_data, e.data from public.jobs as j
       join public.job_events as e on e.job_id = j.id and e.event_type = 'created'
       where j.id = $1`,
      [started.job_id],
    );
    expect(rows[0]).toMatchObject({
      rerun_of: source.id,
      input_data: { payload: 'edited' },
      data: { rerun_of: source.id },
    });
  });

  it('a start without rerun_of records none', async () => {
    const res = await callFunction<Rerun>('start-workflow', {
      as: t.member,
      body: { workflow_id: t.workflow.id, input_data: { payload: 'fresh' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.rerun_of).toBeNull();
  });

  it("an admin re-runs a member's job (admins read the organisation's jobs)", async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const res = await rerun(t.admin, t.workflow.id, source.id);
    expect(res.status).toBe(201);
    expect((res.body as Rerun).rerun_of).toBe(source.id);
  });

  it("another member cannot re-run a member's job: 404, nothing created", async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const before = await jobsOf(t.colleague.id);
    const res = await rerun(t.colleague, t.workflow.id, source.id);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'job_not_found' } });
    expect(await jobsOf(t.colleague.id)).toBe(before);
  });

  it("another organisation's job is 404 (with the caller's own workflow), nothing created", async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const before = await jobsOf(t.outsider.id);
    const res = await rerun(t.outsider, t.otherWorkflow.id, source.id);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'job_not_found' } });
    expect(await jobsOf(t.outsider.id)).toBe(before);
  });

  it('a job of another workflow is 400 rerun_of_other_workflow, nothing created', async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const before = await jobsOf(t.member.id);
    const res = await rerun(t.member, secondWorkflow.id, source.id);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'rerun_of_other_workflow' } });
    expect(await jobsOf(t.member.id)).toBe(before);
  });

  it('rerun_of that is not a uuid is 400 before the database', async () => {
    const res = await rerun(t.member, t.workflow.id, 'nope');
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.message).toMatch(/rerun_of/);
  });

  it('deleting the source keeps the re-run, without its link', async () => {
    const source = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });
    const res = await rerun(t.member, t.workflow.id, source.id);
    expect(res.status).toBe(201);
    await db.query(`delete from public.jobs where id = $1`, [source.id]);
    const { rows } = await db.query<Pick<Job, 'rerun_of'>>(
      `select rerun_of from public.jobs where id = $1`,
      [(res.body as Rerun).job_id],
    );
    expect(rows).toEqual([{ rerun_of: null }]);
  });
});

describe('jobs_ahead', () => {
  // Inside one transaction rolled back: the stack's cron orchestrator cannot see (or claim)
  // these jobs, and every other due job is pushed out of the queue for the transaction so
  // the counts are exact.
  const T = (seconds: number) => new Date(Date.UTC(2000, 0, 1, 0, 0, seconds)).toISOString();

  async function due(user: typeof t.member, workflow: Workflow, at: string): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, available_at)
       values ($1, $2, $3, $4, $5) returning id`,
      [workflow.organisation_id, workflow.id, workflow.version, user.id, at],
    );
    return rows[0]!.id;
  }

  async function asUser(user: typeof t.member) {
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: user.id, role: 'authenticated' }),
    ]);
  }

  async function ahead(jobId: string): Promise<number | null> {
    await db.query('savepoint ahead');
    await db.query('set local role authenticated');
    const { rows } = await db.query<{ n: number | null }>(`select public.jobs_ahead($1) as n`, [
      jobId,
    ]);
    await db.query('release savepoint ahead');
    await db.query('reset role');
    return rows[0]!.n;
  }

  async function refused(jobId: string): Promise<string> {
    await db.query('savepoint refused');
    try {
      await db.query('set local role authenticated');
      await db.query(`select public.jobs_ahead($1)`, [jobId]);
      return 'allowed';
    } catch (error) {
      return (error as Error).message;
    } finally {
      await db.query('rollback to savepoint refused');
      await db.query('reset role');
    }
  }

  it('counts the round robin: own earlier jobs, other organisations by turn then due time', async () => {
    await db.query('begin');
    try {
      await db.query(
        `update public.jobs set available_at = now() + interval '1 day'
         where status in ('pending', 'running', 'awaiting_retry') and available_at <= now()`,
      );
      // Ours: A, B, C due at :01, :02, :03 (turns 1, 2, 3). The other organisation's:
      // X :00 (turn 1), Y :05 (turn 2), Z :10 (turn 3, due after C), W :11 (turn 4).
      const a = await due(t.member, t.workflow, T(1));
      const b = await due(t.colleague, t.workflow, T(2));
      const c = await due(t.member, t.workflow, T(3));
      for (const s of [0, 5, 10, 11]) await due(t.outsider, t.otherWorkflow, T(s));
      // A running job with a live lease is not due: not ahead.
      await db.query(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id,
           status, started_at, locked_by, available_at)
         values ($1, $2, $3, $4, 'running', now(), 'w', now() + interval '1 minute')`,
        [t.organisationId, t.workflow.id, t.workflow.version, t.member.id],
      );
      const done = await insertJob(db, { user: t.member, workflow: t.workflow, set: completed() });

      await asUser(t.member);
      expect(await ahead(a)).toBe(1); // X
      expect(await ahead(c)).toBe(4); // A, B, X, Y
      // The colleague's own job: A, X (turn 1) ahead of B; Y (turn 2) is due after it.
      await asUser(t.colleague);
      expect(await ahead(b)).toBe(2);
      // An admin reads any job of the organisation.
      await asUser(t.admin);
      expect(await ahead(c)).toBe(4);
      // Not pending: nothing ahead.
      await asUser(t.member);
      expect(await ahead(done.id)).toBeNull();

      // Whoever may not read the job: 404, not a count.
      await asUser(t.colleague);
      expect(await refused(c)).toMatch(/job not found/);
      await asUser(t.outsider);
      expect(await refused(c)).toMatch(/job not found/);
    } finally {
      await db.query('rollback');
    }
  });

  it('is not for anonymous callers', async () => {
    const res = await fetch(`${env.url}/rest/v1/rpc/jobs_ahead`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ p_job_id: '00000000-0000-0000-0000-000000000000' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(401);
    expect(res.status).toBeLessThan(500);
    await res.body?.cancel();
  });
});

describe('queue wait', () => {
  let probe: Workflow;

  beforeAll(async () => {
    probe = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    // Five jobs of `probe` finished just now that waited 1, 2, 3, 4 and 10 s for their first
    // claim; one cancelled while pending (never claimed: no wait).
    for (const wait of [1, 2, 3, 4, 10]) {
      const { rows } = await db.query<{ id: string }>(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
           created_at, started_at, completed_at)
         values ($1, $2, $3, $4, 'completed', now() - make_interval(secs => $5 + 1),
           now() - interval '1 second', now())
         returning id`,
        [t.organisationId, probe.id, probe.version, t.member.id, wait],
      );
      await db.query(
        `insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status)
         values ($1, $2, $3, 'completed', 'completed')`,
        [t.organisationId, rows[0]!.id, t.member.id],
      );
    }
    await db.query(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
         created_at, completed_at)
       values ($1, $2, $3, $4, 'cancelled', now() - interval '1 hour', now())`,
      [t.organisationId, probe.id, probe.version, t.member.id],
    );
  });

  it('members read p50/p95 per workflow of the jobs finished since p_since', async () => {
    const { data, error } = await t.member.client.rpc('workflow_queue_wait', {
      p_organisation_id: t.organisationId,
      p_workflow_id: probe.id,
    });
    expect(error).toBeNull();
    expect(data).toHaveLength(1);
    const row = data![0]!;
    expect(row.workflow_id).toBe(probe.id);
    expect(row.jobs).toBe(5);
    expect(row.p50_ms).toBeCloseTo(3000, -1);
    // percentile_cont(0.95) over 1,2,3,4,10 s: 4 + 0.8 × 6 = 8.8 s.
    expect(row.p95_ms).toBeCloseTo(8800, -1);

    const all = await t.member.client.rpc('workflow_queue_wait', {
      p_organisation_id: t.organisationId,
    });
    expect(all.data?.some((r) => r.workflow_id === probe.id && r.jobs === 5)).toBe(true);

    const later = await t.member.client.rpc('workflow_queue_wait', {
      p_organisation_id: t.organisationId,
      p_since: new Date(Date.now() + 60_000).toISOString(),
      p_workflow_id: probe.id,
    });
    expect(later.data).toEqual([]);
  });

  it('refuses an outsider (404)', async () => {
    const { error } = await t.outsider.client.rpc('workflow_queue_wait', {
      p_organisation_id: t.organisationId,
    });
    expect(error?.code).toBe('organisation_not_found');
  });

  it('workflow-metrics exports forkflow_job_queue_wait_seconds per workflow', async () => {
    const res = await fetch(`${env.url}/functions/v1/workflow-metrics`, {
      headers: { Authorization: `Bearer ${env.serviceRoleKey}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE forkflow_job_queue_wait_seconds summary');
    const labels = `organisation="${t.organisationId}",workflow="${probe.key}",window="300s"`;
    const line = (suffix: string) =>
      text
        .split('\n')
        .find(
          (l) => l.startsWith(`forkflow_job_queue_wait_seconds${suffix}{`) && l.includes(labels),
        );
    expect(line('_count')).toMatch(/ 5$/);
    expect(Number(line('_sum')!.split(' ').pop())).toBeCloseTo(20, 1);
  });
});
