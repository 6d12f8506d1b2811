import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { ownerDb } from './support/orchestrator.ts';

// The indexes (20261122004200_jobs, …004600_workflow_monitoring) that keep the job lists and
// the monitoring RPCs off sequential and heap-heavy scans once an organisation has a lot of
// history (figures in the migrations). Timing is not asserted: the shape of the indexes and the plans they allow is.
// Which of two usable indexes the planner picks depends on the statistics of the moment (it
// flipped in a full run, where other tests fill job_events), so only plans with one
// possible index are checked; the monitoring index's use is measured in its migration.

let db: pg.Client;

beforeAll(async () => {
  db = await ownerDb();
});

afterAll(async () => {
  await db.end();
});

async function indexDef(name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ def: string }>(
    `select indexdef as def from pg_catalog.pg_indexes where schemaname = 'public' and indexname = $1`,
    [name],
  );
  return rows[0]?.def;
}

/** The plan's node types and index names, as EXPLAIN (FORMAT JSON) gives them. */
function scans(plan: unknown): string[] {
  const out: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    const type = String(node['Node Type']);
    if (type.includes('Scan'))
      out.push(`${type} ${String(node['Index Name'] ?? node['Relation Name'] ?? '')}`);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(plan as Record<string, unknown>);
  return out;
}

async function explain(sql: string): Promise<string[]> {
  await db.query('begin');
  try {
    // The test database is small: without this the planner rightly prefers reading it whole.
    await db.query('set local enable_seqscan = off');
    await db.query('set local enable_bitmapscan = off');
    const { rows } = await db.query<{ 'QUERY PLAN': { Plan: unknown }[] }>(
      `explain (format json) ${sql}`,
    );
    return scans(rows[0]?.['QUERY PLAN'][0]?.Plan);
  } finally {
    await db.query('rollback');
  }
}

describe('workflow engine indexes for large histories', () => {
  it('finished jobs by organisation and completed_at carry what the monitoring RPCs read', async () => {
    expect(await indexDef('jobs_organisation_id_completed_at_idx')).toMatch(
      /\(organisation_id, completed_at\) INCLUDE \(status, started_at, workflow_id, created_at\) WHERE \(completed_at IS NOT NULL\)$/,
    );
  });

  it("a workflow's jobs by organisation carry their ids", async () => {
    expect(await indexDef('jobs_organisation_id_workflow_id_idx')).toMatch(
      /\(organisation_id, workflow_id, created_at DESC\) INCLUDE \(id\)$/,
    );
  });

  it('jobs are indexed newest first for lists filtered only by RLS', async () => {
    expect(await indexDef('jobs_created_at_id_idx')).toMatch(/\(created_at DESC, id DESC\)$/);
  });

  it('the monitoring event index holds step results, retries and first claims only', async () => {
    const def = await indexDef('job_events_organisation_id_created_at_monitoring_idx');
    expect(def).toMatch(
      /\(organisation_id, created_at\) INCLUDE \(event_type, from_status, transformer_id, duration_ms, job_id\) WHERE/,
    );
    expect(def).toContain("'step_succeeded'");
    expect(def).toContain("'retry_scheduled'");
    expect(def).not.toContain("'created'");
  });

  it('a list of every visible job, newest first, reads the created_at index', async () => {
    const plan = await explain(
      `select j.id, j.status from public.jobs as j order by j.created_at desc, j.id desc limit 26`,
    );
    expect(plan).toContain('Index Scan jobs_created_at_id_idx');
  });
});
