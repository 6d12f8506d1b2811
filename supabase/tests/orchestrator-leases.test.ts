import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createFixtures, type TestUser } from './support/users.ts';
import { echoStep, insertJobs, insertRawWorkflow, ownerDb } from './support/orchestrator.ts';

// How long a claimed step stays leased (claim_workflow_steps, 20261122004400_job_queue.sql).
// Without a lease from the caller, each step gets its own transformer's timeout + 15 s: a live
// worker's lease never runs out mid-call, and a crashed worker's echo step comes back in 45 s,
// whatever timeouts other organisations give their transformers.

const fx = createFixtures('orch-lease');
let owner: TestUser;
let organisationId: string;
let otherOrganisationId: string;
let db: pg.Client;

beforeAll(async () => {
  const users = await fx.users('owner', 'stranger');
  owner = users.owner;
  organisationId = await fx.organisation(owner);
  otherOrganisationId = await fx.organisation(users.stranger);
  db = await ownerDb();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

/**
 * In one transaction, rolled back: no orchestrator can see these jobs, and now() is one
 * instant, so each lease is exact. Returns each job's lease in seconds, by its step's
 * transformer.
 */
async function leasesClaimedWith(leaseSeconds: number | null) {
  await db.query('begin');
  try {
    const slow = `slow-${Date.now().toString(36)}`;
    // Ours, 2 minutes; another organisation's, 10 minutes (it must not lengthen ours).
    await db.query(
      `insert into public.transformers (id, organisation_id, type, description, config, target_function, timeout_ms)
       values ($1, $2, 'echo', 'slow echo', '{}', 'execute-echo', 120000),
              ($3, $4, 'echo', 'slower echo', '{}', 'execute-echo', 600000)`,
      [slow, organisationId, `${slow}-other`, otherOrganisationId],
    );
    const steps: Record<string, string> = {
      echo: 'echo-transformer',
      gemini: 'gemini-timestamp-transcriber',
      slow,
      // A definition naming a transformer that is gone (only a hand edit gets one there).
      missing: 'no-such-transformer',
      // Another organisation's transformer is not ours to time.
      foreign: `${slow}-other`,
    };
    const byJob = new Map<string, string>();
    const workflowIds: string[] = [];
    for (const [label, transformer] of Object.entries(steps)) {
      const workflow = await insertRawWorkflow(db, {
        organisationId,
        userId: owner.id,
        key: `${slow}-${label}`,
        definition: {
          start_step: 'only',
          steps: { only: echoStep({ transformer_id: transformer }) },
        },
      });
      workflowIds.push(workflow.id);
      const [id] = await insertJobs(db, {
        organisationId,
        userId: owner.id,
        workflow,
        inputs: [{ payload: label }],
      });
      byJob.set(id!, label);
    }
    await db.query(
      `update public.jobs set available_at = now() - interval '1 second' where workflow_id = any($1)`,
      [workflowIds],
    );
    const claimed = await db.query<{ c: { job_id: string }[] }>(
      `select public.claim_workflow_steps('acceptance:leases', 10, $1::int, $2::uuid[]) as c`,
      [leaseSeconds, workflowIds],
    );
    expect(claimed.rows[0]!.c).toHaveLength(byJob.size);
    const { rows } = await db.query<{ id: string; lease: number }>(
      `select id, extract(epoch from available_at - now())::float8 as lease
       from public.jobs where workflow_id = any($1)`,
      [workflowIds],
    );
    return Object.fromEntries(rows.map((row) => [byJob.get(row.id)!, row.lease]));
  } finally {
    await db.query('rollback');
  }
}

describe('claim_workflow_steps leases', () => {
  it('each step for its own transformer’s timeout + 15 s when no lease is given', async () => {
    expect(await leasesClaimedWith(null)).toEqual({
      echo: 45,
      gemini: 315,
      slow: 135,
      missing: 45,
      foreign: 45,
    });
  });

  it('every step for the lease given, when one is', async () => {
    expect(await leasesClaimedWith(7)).toEqual({
      echo: 7,
      gemini: 7,
      slow: 7,
      missing: 7,
      foreign: 7,
    });
  });

  it('refuses a lease outside 1..3600 s', async () => {
    for (const lease of [0, 3601]) {
      await expect(
        db.query(`select public.claim_workflow_steps('acceptance:leases', 1, $1::int)`, [lease]),
      ).rejects.toMatchObject({ code: '22023' });
    }
  });
});
