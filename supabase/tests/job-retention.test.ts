import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untyped } from './support/projects.ts';
import { adminDb, connectAs } from './support/sequences.ts';
import type { TestUser } from './support/users.ts';
import {
  completed,
  createWorkflowOrganisation,
  failedAt,
  insertJob,
  saveWorkflow,
  type Job,
  type Workflow,
} from './support/workflows.ts';

// Issue 12 §7 (…007100_job_retention.sql): deleting finished jobs by hand (delete_jobs,
// count_finished_jobs / delete_finished_jobs with the Jobs list's filters), each
// organisation's job_retention_days (set_job_retention) and the scheduled purge
// (purge_expired_jobs). The role rule is the jobs policy's: owners and admins any job of
// their organisation, members their own; only completed, failed and cancelled jobs go, with
// their events; job_events itself stays undeletable.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;

beforeAll(async () => {
  t = await createWorkflowOrganisation('job-retention');
  db = await adminDb();
}, 60_000);

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

type RpcResult = { data: unknown; error: { code?: string; message: string } | null };
const rpc = (user: TestUser, name: string, args: Record<string, unknown>) =>
  untyped(user.client).rpc(name, args) as unknown as Promise<RpcResult>;

/** A workflow of its own, so a test's counts see only its jobs (filter workflow_id). */
const freshWorkflow = (by: TestUser = t.admin, organisationId = t.organisationId) =>
  saveWorkflow(by, { organisation_id: organisationId });

const cancelled = (): Partial<Job> => ({
  status: 'cancelled',
  completed_at: new Date().toISOString(),
});
const running = (): Partial<Job> => ({ status: 'running', started_at: new Date().toISOString() });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function job(user: TestUser, workflow: Workflow, set: Partial<Job>): Promise<Job> {
  return insertJob(db, { user, workflow, set });
}

async function existing(ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'select id from public.jobs where id = any($1::uuid[]) order by id',
    [ids],
  );
  return rows.map((r) => r.id);
}

async function eventCount(ids: string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from public.job_events where job_id = any($1::uuid[])',
    [ids],
  );
  return rows[0]!.n;
}

describe('delete_jobs', () => {
  it("deletes a member's own finished jobs, with their events, and skips the rest", async () => {
    const w = await freshWorkflow();
    const own = await job(t.member, w, completed());
    const ownFailed = await job(t.member, w, failedAt('step1'));
    const ownCancelled = await job(t.member, w, cancelled());
    const ownRunning = await job(t.member, w, running());
    const ownPending = await job(t.member, w, {});
    const colleagues = await job(t.colleague, w, completed());
    const ids = [own, ownFailed, ownCancelled, ownRunning, ownPending, colleagues].map((j) => j.id);
    expect(await eventCount([own.id])).toBe(1);

    const res = await rpc(t.member, 'delete_jobs', { p_job_ids: [...ids, randomUUID()] });
    expect(res.error).toBeNull();
    expect(res.data).toBe(3);
    expect(await existing(ids)).toEqual([ownRunning.id, ownPending.id, colleagues.id].sort());
    expect(await eventCount([own.id, ownFailed.id, ownCancelled.id])).toBe(0);
  });

  it.each(['owner', 'admin'] as const)(
    "lets an %s delete anyone's finished jobs of the organisation",
    async (role) => {
      const w = await freshWorkflow();
      const a = await job(t.member, w, completed());
      const b = await job(t.colleague, w, failedAt('step1'));
      const c = await job(t.admin, w, running());
      const res = await rpc(t[role], 'delete_jobs', { p_job_ids: [a.id, b.id, c.id] });
      expect(res.error).toBeNull();
      expect(res.data).toBe(2);
      expect(await existing([a.id, b.id, c.id])).toEqual([c.id]);
    },
  );

  it("deletes nothing of another organisation's, even for its owner elsewhere", async () => {
    const theirs = await job(t.outsider, t.otherWorkflow, completed());
    const ours = await job(t.member, t.workflow, completed());
    const byOwner = await rpc(t.owner, 'delete_jobs', { p_job_ids: [theirs.id] });
    expect(byOwner).toMatchObject({ error: null, data: 0 });
    const byOutsider = await rpc(t.outsider, 'delete_jobs', { p_job_ids: [ours.id] });
    expect(byOutsider).toMatchObject({ error: null, data: 0 });
    expect(await existing([theirs.id, ours.id])).toHaveLength(2);
  });

  it('refuses more than 1000 ids (400) and anonymous callers', async () => {
    const ids = Array.from({ length: 1001 }, () => randomUUID());
    const res = await rpc(t.owner, 'delete_jobs', { p_job_ids: ids });
    expect(res.error?.code).toBe('22023');
    const anonymous = await untyped(t.fx.service)
      .schema('public')
      .rpc('delete_jobs', { p_job_ids: [] });
    // The service role holds no grant: deleting by hand is for signed-in people.
    expect(anonymous.error?.code).toBe('42501');
  });
});

describe('count_finished_jobs and delete_finished_jobs', () => {
  it("count what the list shows a member (their own) and an admin (everyone's)", async () => {
    const w = await freshWorkflow();
    await job(t.member, w, completed());
    await job(t.member, w, failedAt('step1'));
    await job(t.member, w, running());
    await job(t.colleague, w, completed());
    await job(t.admin, w, cancelled());
    const filters = { workflow_id: w.id };
    const count = async (user: TestUser, extra: Record<string, unknown> = {}) => {
      const res = await rpc(user, 'count_finished_jobs', {
        p_organisation_id: t.organisationId,
        p_filters: { ...filters, ...extra },
      });
      expect(res.error).toBeNull();
      return res.data;
    };
    expect(await count(t.member)).toBe(2);
    expect(await count(t.member, { mine: false })).toBe(2);
    expect(await count(t.admin)).toBe(4);
    expect(await count(t.owner)).toBe(4);
    expect(await count(t.admin, { mine: true })).toBe(1);
    expect(await count(t.admin, { status: ['failed', 'cancelled'] })).toBe(2);
    // An unfinished status filter matches nothing deletable.
    expect(await count(t.admin, { status: ['running'] })).toBe(0);
  });

  it('respect from (inclusive) and to (exclusive) on created_at', async () => {
    const w = await freshWorkflow();
    const old = await job(t.member, w, { ...completed(), created_at: '2026-01-10T12:00:00Z' });
    const mid = await job(t.member, w, { ...completed(), created_at: '2026-02-10T12:00:00Z' });
    await job(t.member, w, { ...completed(), created_at: '2026-03-10T12:00:00Z' });
    const filters = {
      workflow_id: w.id,
      from: '2026-02-10T12:00:00Z',
      to: '2026-03-10T12:00:00Z',
    };
    const counted = await rpc(t.admin, 'count_finished_jobs', {
      p_organisation_id: t.organisationId,
      p_filters: filters,
    });
    expect(counted).toMatchObject({ error: null, data: 1 });
    const deleted = await rpc(t.admin, 'delete_finished_jobs', {
      p_organisation_id: t.organisationId,
      p_filters: filters,
    });
    expect(deleted).toMatchObject({ error: null, data: 1 });
    const { rows } = await db.query<{ id: string }>(
      'select id from public.jobs where workflow_id = $1',
      [w.id],
    );
    expect(rows.map((r) => r.id)).not.toContain(mid.id);
    expect(rows.map((r) => r.id)).toContain(old.id);
    expect(rows).toHaveLength(2);
  });

  it("delete a member's own finished jobs only, leaving running ones and colleagues'", async () => {
    const w = await freshWorkflow();
    const mine = await job(t.member, w, completed());
    const mineRunning = await job(t.member, w, running());
    const colleagues = await job(t.colleague, w, completed());
    const res = await rpc(t.member, 'delete_finished_jobs', {
      p_organisation_id: t.organisationId,
      p_filters: { workflow_id: w.id },
    });
    expect(res).toMatchObject({ error: null, data: 1 });
    expect(await existing([mine.id, mineRunning.id, colleagues.id])).toEqual(
      [mineRunning.id, colleagues.id].sort(),
    );
    expect(await eventCount([mine.id])).toBe(0);
  });

  it('are 404 for an organisation the caller is not in, and delete none of its jobs', async () => {
    const theirs = await job(t.outsider, t.otherWorkflow, completed());
    for (const name of ['count_finished_jobs', 'delete_finished_jobs']) {
      const res = await rpc(t.owner, name, {
        p_organisation_id: t.otherOrganisationId,
        p_filters: {},
      });
      expect(res.error?.code, name).toBe('P0002');
    }
    expect(await existing([theirs.id])).toEqual([theirs.id]);
  });

  it('refuse to delete more than 20,000 at once (400 too_many_jobs), deleting nothing', async () => {
    const w = await freshWorkflow();
    await db.query(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
         started_at, completed_at, available_at)
       select $1, $2, $3, $4, 'completed', now(), now(), now() + interval '1 hour'
       from generate_series(1, 20001)`,
      [t.organisationId, w.id, w.version, t.member.id],
    );
    const args = { p_organisation_id: t.organisationId, p_filters: { workflow_id: w.id } };
    expect(await rpc(t.admin, 'count_finished_jobs', args)).toMatchObject({ data: 20001 });
    const res = await rpc(t.admin, 'delete_finished_jobs', args);
    expect(res.error?.code).toBe('too_many_jobs');
    expect(res.error?.message).toMatch(/^20001 finished jobs match/);
    expect(await rpc(t.admin, 'count_finished_jobs', args)).toMatchObject({ data: 20001 });
    await db.query('delete from public.jobs where workflow_id = $1', [w.id]);
  }, 120_000); // 20,001 rows to insert, count twice and delete on a shared machine

  it.each([
    [{ status: 'completed' }],
    [{ status: ['done'] }],
    [{ workflow_id: 'not-a-uuid' }],
    [{ from: 'yesterday-ish' }],
    [{ mine: 'yes' }],
    [{ workflow: randomUUID() }],
    [[]],
  ])('refuse bad filters %j (400) and delete nothing', async (filters) => {
    const w = await freshWorkflow();
    const kept = await job(t.member, w, completed());
    const res = await rpc(t.admin, 'delete_finished_jobs', {
      p_organisation_id: t.organisationId,
      p_filters: filters,
    });
    expect(res.error?.code).toBe('22023');
    expect(await existing([kept.id])).toEqual([kept.id]);
  });
});

describe('job_retention_days and set_job_retention', () => {
  const retention = async (user: TestUser, organisationId = t.organisationId) => {
    const { data, error } = await untyped(user.client)
      .from('organisations')
      .select('job_retention_days')
      .eq('id', organisationId)
      .maybeSingle();
    expect(error).toBeNull();
    return (data as { job_retention_days: number } | null)?.job_retention_days;
  };

  it('is 90 days by default and every member reads it', async () => {
    const fresh = await t.fx.organisation(t.outsider);
    expect(await retention(t.outsider, fresh)).toBe(90);
    expect(await retention(t.member)).toBeTypeOf('number');
  });

  it.each(['owner', 'admin'] as const)('is set by an %s within 7..3650 days', async (role) => {
    const res = await rpc(t[role], 'set_job_retention', {
      p_organisation_id: t.organisationId,
      p_days: role === 'owner' ? 30 : 45,
    });
    expect(res.error).toBeNull();
    expect(await retention(t.member)).toBe(role === 'owner' ? 30 : 45);
    for (const days of [6, 3651, null]) {
      const bad = await rpc(t[role], 'set_job_retention', {
        p_organisation_id: t.organisationId,
        p_days: days,
      });
      expect(bad.error?.code, String(days)).toBe('22023');
    }
    expect(await retention(t.member)).toBe(role === 'owner' ? 30 : 45);
  });

  it('is refused to members (403) and outsiders (404), and not writable directly', async () => {
    const before = await retention(t.owner);
    const byMember = await rpc(t.member, 'set_job_retention', {
      p_organisation_id: t.organisationId,
      p_days: 8,
    });
    expect(byMember.error?.code).toBe('forbidden');
    const byOutsider = await rpc(t.outsider, 'set_job_retention', {
      p_organisation_id: t.organisationId,
      p_days: 8,
    });
    expect(byOutsider.error?.code).toBe('P0002');
    const direct = await untyped(t.owner.client)
      .from('organisations')
      .update({ job_retention_days: 8 })
      .eq('id', t.organisationId);
    expect(direct.error?.code).toBe('42501');
    expect(await retention(t.owner)).toBe(before);
  });
});

describe('purge_expired_jobs', () => {
  // Under `pnpm test` the stack's cron ticker runs purge_expired_jobs too, every tick. So jobs
  // are inserted while this organisation keeps 3650 days (nothing of ours is due), and the
  // shorter setting and the purge happen in one transaction the ticker cannot see into.
  beforeAll(() =>
    db.query('update public.organisations set job_retention_days = 3650 where id = $1', [
      t.organisationId,
    ]),
  );

  async function withRetention<T>(days: number, run: () => Promise<T>): Promise<T> {
    await db.query('begin');
    try {
      await db.query('update public.organisations set job_retention_days = $2 where id = $1', [
        t.organisationId,
        days,
      ]);
      const result = await run();
      await db.query('commit');
      return result;
    } catch (error) {
      await db.query('rollback');
      throw error;
    } finally {
      await db.query('update public.organisations set job_retention_days = 3650 where id = $1', [
        t.organisationId,
      ]);
    }
  }

  /** Runs the purge as the scheduler does, batch after batch until one comes back short. */
  async function purgeAll(batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await db.query<{ n: number }>('select public.purge_expired_jobs($1) as n', [
        batch,
      ]);
      total += rows[0]!.n;
      if (rows[0]!.n < batch) return total;
    }
  }

  it("deletes finished jobs older than their organisation's setting, and only those", async () => {
    const w = await freshWorkflow();
    const expired = [
      await job(t.member, w, { ...completed(), completed_at: daysAgo(11) }),
      await job(t.colleague, w, { ...failedAt('step1'), completed_at: daysAgo(30) }),
      await job(t.admin, w, { ...cancelled(), completed_at: daysAgo(400) }),
    ];
    const kept = [
      await job(t.member, w, { ...completed(), completed_at: daysAgo(9) }),
      // Started long ago but not finished: the orchestrator's.
      await job(t.member, w, { ...running(), created_at: daysAgo(60) }),
      await job(t.member, w, { created_at: daysAgo(60) }),
      await job(t.member, w, {
        status: 'awaiting_retry',
        next_retry_at: daysAgo(20),
        created_at: daysAgo(60),
      }),
      // The other organisation keeps the default 90 days.
      await job(t.outsider, t.otherWorkflow, { ...completed(), completed_at: daysAgo(30) }),
    ];
    const theirsExpired = await job(t.outsider, t.otherWorkflow, {
      ...completed(),
      completed_at: daysAgo(91),
    });
    const all = [...expired, ...kept, theirsExpired].map((j) => j.id);
    expect(await eventCount(expired.map((j) => j.id))).toBe(expired.length);

    // This organisation keeps 10 days.
    const purged = await withRetention(10, async () => {
      const n = await purgeAll();
      // Checked inside the transaction: the ticker cannot have deleted ours meanwhile.
      expect(await existing(expired.map((j) => j.id))).toEqual([]);
      return n;
    });
    expect(purged).toBeGreaterThanOrEqual(expired.length);
    expect(await existing(all)).toEqual(kept.map((j) => j.id).sort());
    expect(await eventCount(expired.map((j) => j.id))).toBe(0);
    expect(await eventCount([theirsExpired.id])).toBe(0);
    expect(await eventCount(kept.map((j) => j.id))).toBe(kept.length);
  });

  it('works in batches of the size asked', async () => {
    const w = await freshWorkflow();
    for (let i = 0; i < 3; i++)
      await job(t.member, w, { ...completed(), completed_at: daysAgo(20) });
    const ours = () => db.query('select 1 from public.jobs where workflow_id = $1', [w.id]);
    await withRetention(7, async () => {
      const { rows } = await db.query<{ n: number }>('select public.purge_expired_jobs(2) as n');
      expect(rows[0]!.n).toBe(2);
      expect((await ours()).rows).toHaveLength(1);
      await purgeAll();
      expect((await ours()).rows).toHaveLength(0);
    });
    await expect(db.query('select public.purge_expired_jobs(0)')).rejects.toThrow(/batch/);
  });

  it('is the scheduler’s: signed-in users cannot call it', async () => {
    const res = await rpc(t.owner, 'purge_expired_jobs', { p_batch: 10 });
    expect(res.error?.code).toBe('42501');
  });
});

describe('job_events stays append-only', () => {
  it('refuses direct deletes and updates by users, the service role and SQL as them', async () => {
    const w = await freshWorkflow();
    const j = await job(t.member, w, completed());
    const byUser = await untyped(t.owner.client).from('job_events').delete().eq('job_id', j.id);
    expect(byUser.error?.code).toBe('42501');
    const byService = await untyped(t.fx.service).from('job_events').delete().eq('job_id', j.id);
    expect(byService.error?.code).toBe('42501');
    const asUser = await connectAs(t.owner.id);
    try {
      await expect(
        asUser.query('delete from public.job_events where job_id = $1', [j.id]),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await asUser.end();
    }
    // Even the table owner cannot rewrite history.
    await expect(
      db.query(`update public.job_events set message = 'rewritten' where job_id = $1`, [j.id]),
    ).rejects.toThrow(/append-only/);
    expect(await eventCount([j.id])).toBe(1);
  });
});

describe('a purge beside the orchestrator', () => {
  it('does not block a claim, and skips a finished job another transaction holds', async () => {
    // As above: nothing of ours is due until the purging transaction shortens the setting.
    await db.query('update public.organisations set job_retention_days = 3650 where id = $1', [
      t.organisationId,
    ]);
    const w = await freshWorkflow();
    const doomed = [];
    for (let i = 0; i < 20; i++)
      doomed.push(await job(t.member, w, { ...completed(), completed_at: daysAgo(20) }));

    const purger = await adminDb();
    const claimer = await adminDb();
    try {
      // The purge deletes (and so locks) its batch and stays open.
      await purger.query('begin');
      await purger.query('update public.organisations set job_retention_days = 7 where id = $1', [
        t.organisationId,
      ]);
      const purged = await purger.query<{ n: number }>(
        'select public.purge_expired_jobs(1000) as n',
      );
      expect(purged.rows[0]!.n).toBeGreaterThanOrEqual(20);

      // Meanwhile a claim runs: with a lock timeout, a wait would fail it rather than hang.
      await claimer.query('begin');
      await claimer.query(`set local lock_timeout = '2s'`);
      // A pending job due now, inserted in the claim's own transaction so the stack's
      // orchestrator (cron) cannot take it first.
      const pending = await claimer.query<{ id: string }>(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data)
         values ($1, $2, $3, $4, '{"payload": "claim me"}') returning id`,
        [t.organisationId, w.id, w.version, t.member.id],
      );
      const claim = await claimer.query<{ claimed: unknown }>(
        `select public.claim_workflow_steps('retention-test', 10, 30, array[$1::uuid]) as claimed`,
        [w.id],
      );
      expect(JSON.stringify(claim.rows[0]!.claimed)).toContain(pending.rows[0]!.id);
      await claimer.query('rollback');
      await purger.query('rollback');
      expect(await existing(doomed.map((j) => j.id))).toHaveLength(20);

      // The other way round: a transaction holds a finished job (as retry_job would); the
      // purge skips it rather than waiting, and deletes the rest.
      await claimer.query('begin');
      await claimer.query('select 1 from public.jobs where id = $1 for update', [doomed[0]!.id]);
      await purger.query('begin');
      await purger.query(`set local lock_timeout = '2s'`);
      await purger.query('update public.organisations set job_retention_days = 7 where id = $1', [
        t.organisationId,
      ]);
      await purger.query('select public.purge_expired_jobs(1000)');
      await purger.query('commit');
      expect(await existing(doomed.map((j) => j.id))).toEqual([doomed[0]!.id]);
      await claimer.query('rollback');
    } finally {
      await purger.end();
      await claimer.end();
    }
  });
});
