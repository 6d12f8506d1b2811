import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import {
  isWholeAbort,
  retryWholeAborts,
} from '../functions/workflow-orchestrator/transient-retry.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  echoStep,
  events,
  insertJobs,
  job,
  ownerDb,
  saveWorkflow,
  sleep,
} from './support/orchestrator.ts';

// A finish batch Postgres aborts as a deadlock victim (here: another transaction locking the
// same jobs in the other order, as deleting an organisation can) applied none of its results,
// so the orchestrator sends it again (workflow-orchestrator/transient-retry.ts): the steps are
// applied once, and not dropped to run a second time after their leases expire.

const fx = createFixtures('orch-deadlock');
let owner: TestUser;
let organisationId: string;
let db: pg.Client;
let other: pg.Client;

beforeAll(async () => {
  const users = await fx.users('owner');
  owner = users.owner;
  organisationId = await fx.organisation(owner);
  db = await ownerDb();
  other = await ownerDb();
});

afterAll(async () => {
  await db?.end();
  await other?.end();
  await fx.cleanup();
});

const WORKER = 'acceptance:deadlock';

/**
 * Two one-step jobs claimed by WORKER in the transaction that creates them: no orchestrator
 * running beside this test can take them. Returned lowest id first (the order finish locks).
 */
async function twoClaimedJobs(key: string): Promise<[string, string]> {
  const workflow = await saveWorkflow(db, {
    organisationId,
    userId: owner.id,
    key,
    definition: { start_step: 'echo', steps: { echo: echoStep() }, output_map: {} },
  });
  await db.query('begin');
  try {
    const ids = await insertJobs(db, {
      organisationId,
      userId: owner.id,
      workflow,
      inputs: [{ payload: 1 }, { payload: 2 }],
    });
    await db.query(
      `update public.jobs set available_at = now() - interval '1 second' where id = any($1)`,
      [ids],
    );
    const claimed = await db.query<{ c: { job_id: string }[] }>(
      `select public.claim_workflow_steps($1, 10, 300, $2::uuid[]) as c`,
      [WORKER, [workflow.id]],
    );
    expect(claimed.rows[0]!.c.map((c) => c.job_id).sort()).toEqual([...ids].sort());
    await db.query('commit');
    const [low, high] = [...ids].sort();
    return [low!, high!];
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

const results = (ids: string[]) =>
  JSON.stringify(
    ids.map((id) => ({
      job_id: id,
      attempt: 1,
      step_id: 'echo',
      duration_ms: 3,
      input: { data: 1 },
      outcome: 'succeeded',
      output: { echoed_data: id },
      final_result: {},
    })),
  );

const finish = (ids: string[]) =>
  db.query<{ a: { job_id: string; applied: boolean; status: string }[] }>(
    `select public.finish_workflow_steps($1, $2::jsonb) as a`,
    [WORKER, results(ids)],
  );

/** Waits until `client`'s backend is blocked on a lock. */
async function blockedOnLock(pid: number) {
  for (let i = 0; i < 1_000; i++) {
    const { rows } = await other.query<{ waiting: boolean }>(
      `select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = $1`,
      [pid],
    );
    if (rows[0]?.waiting) return;
    await sleep(10);
  }
  throw new Error(`backend ${pid} never waited on a lock`);
}

/**
 * `other` locks the later job, the batch locks the earlier one and waits for the later, then
 * `other` reaches for the earlier one: a cycle Postgres breaks by aborting one side. Each
 * waiting session checks for a cycle once, deadlock_timeout after it starts waiting: the
 * batch's check comes 1 s in, by when `other` (sent a few ms after the batch is seen
 * waiting) waits too, and `other`'s would come only after 20 s, so the batch is the victim.
 */
async function deadlockAgainst<T>(run: () => Promise<T>, [low, high]: [string, string]) {
  const batchPid = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  await db.query(`set deadlock_timeout = '1s'`);
  await other.query(`set deadlock_timeout = '20s'`);
  await other.query('begin');
  try {
    await other.query('select 1 from public.jobs where id = $1 for update', [high]);
    const batch = run().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await blockedOnLock(batchPid);
    // Blocks until the batch is aborted, then holds both rows until the commit.
    await other.query('update public.jobs set last_updated_at = last_updated_at where id = $1', [
      low,
    ]);
    await other.query('commit');
    return await batch;
  } catch (error) {
    await other.query('rollback');
    throw error;
  } finally {
    await db.query('reset deadlock_timeout');
  }
}

describe('a finish batch aborted as a deadlock victim', () => {
  it('changed nothing, and the same batch sent again applies every step once', async () => {
    const ids = await twoClaimedJobs(`deadlock-plain-${Date.now().toString(36)}`);
    const outcome = await deadlockAgainst(() => finish(ids), ids);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && isWholeAbort(outcome.error)).toBe(true);
    expect(!outcome.ok && (outcome.error as { code?: string }).code).toBe('40P01');

    for (const id of ids) {
      expect(await job(db, id)).toMatchObject({ status: 'running', locked_by: WORKER });
      expect((await events(db, id)).map((e) => e.event_type)).not.toContain('step_succeeded');
    }

    const again = await finish(ids);
    expect(again.rows[0]!.a.map((a) => [a.applied, a.status])).toEqual([
      [true, 'completed'],
      [true, 'completed'],
    ]);
    // A third time (say the answer was lost): applied already, so nothing happens.
    const late = await finish(ids);
    expect(late.rows[0]!.a.every((a) => !a.applied)).toBe(true);
    for (const id of ids) {
      const history = (await events(db, id)).map((e) => e.event_type);
      expect(history.filter((type) => type === 'step_succeeded')).toHaveLength(1);
    }
  });

  it('is sent again by the orchestrator’s retry, and its steps are applied once', async () => {
    const ids = await twoClaimedJobs(`deadlock-retry-${Date.now().toString(36)}`);
    let attempts = 0;
    const outcome = await deadlockAgainst(
      () =>
        retryWholeAborts(() => {
          attempts++;
          return finish(ids);
        }),
      ids,
    );
    expect(outcome.ok).toBe(true);
    expect(attempts).toBe(2);
    expect(outcome.ok && outcome.value.rows[0]!.a.every((a) => a.applied)).toBe(true);
    for (const id of ids) {
      expect(await job(db, id)).toMatchObject({ status: 'completed', locked_by: null });
      const history = (await events(db, id)).map((e) => e.event_type);
      expect(history.filter((type) => type === 'step_succeeded')).toHaveLength(1);
    }
  });
});

describe('retryWholeAborts', () => {
  const noWait = { sleep: () => Promise.resolve(), delayMs: () => 0 };

  it('retries a deadlock or serialisation failure, up to the attempts given', async () => {
    const run = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(Object.assign(new Error('deadlock detected'), { code: '40P01' }))
      .mockRejectedValueOnce(Object.assign(new Error('could not serialize'), { code: '40001' }))
      .mockResolvedValue('applied');
    await expect(retryWholeAborts(run, noWait)).resolves.toBe('applied');
    expect(run).toHaveBeenCalledTimes(3);

    const always = vi.fn(() =>
      Promise.reject(Object.assign(new Error('deadlock'), { code: '40P01' })),
    );
    await expect(retryWholeAborts(always, { ...noWait, attempts: 2 })).rejects.toThrow('deadlock');
    expect(always).toHaveBeenCalledTimes(2);
  });

  it('never retries an error whose outcome is unknown', async () => {
    for (const error of [
      new Error('connection reset'),
      Object.assign(new Error('unique violation'), { code: '23505' }),
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    ]) {
      const run = vi.fn(() => Promise.reject(error));
      await expect(retryWholeAborts(run, noWait)).rejects.toBe(error);
      expect(run).toHaveBeenCalledTimes(1);
    }
  });
});
