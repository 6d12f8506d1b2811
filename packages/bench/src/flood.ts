// `pnpm bench workflows`, flood section (issue 10 §2): one organisation floods the queue with
// jobs that sleep (execute-echo's delay_ms, a test hook the bench's stack enables) while a
// quiet organisation starts 1-step jobs through start-workflow one after another. Prints the
// quiet tenant's start → completed latency during the flood beside the flooding tenant's
// created → completed. Before fair claiming and the per-organisation cap, 1,200 jobs of 25 s
// took another organisation's 1-step job from 0.27 s to 115 s.
import type pg from 'pg';
import { summarise, type Summary } from './stats.ts';

/** What the section needs of the stack and of each tenant (workflows.ts makes them). */
interface Stack {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
}
interface Tenant {
  organisationId: string;
  userId: string;
  accessToken: string;
  /** A 1-step echo workflow's key. */
  workflowKey: string;
}

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const FLOOD_JOBS = env('BENCH_FLOOD_JOBS', 1200);
const FLOOD_DELAY_MS = env('BENCH_FLOOD_DELAY_MS', 25_000);
const QUIET_JOBS = env('BENCH_FLOOD_QUIET_JOBS', 20);
const POLL_MS = 5;

const DELAYED_ECHO = {
  start_step: 'sleep',
  steps: {
    sleep: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload', delay_ms: '$.job_input.delay_ms' },
      next_step: null,
    },
  },
};

export interface FloodResult {
  floodJobs: number;
  delayMs: number;
  /** The quiet tenant's jobs, start-workflow call → completed seen. */
  quiet: Summary;
  /** Flood jobs claimed when the quiet jobs were done. */
  floodClaimed: number;
  /** The flood's first wave (those completed), created → completed. */
  floodCompleted: Summary | null;
  floodCompletedCount: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function invoke(t: Stack, worker: string, budgetMs: number): Promise<void> {
  const res = await fetch(`${t.apiUrl}/functions/v1/workflow-orchestrator`, {
    method: 'POST',
    headers: {
      apikey: t.serviceRoleKey,
      authorization: `Bearer ${t.serviceRoleKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ worker, budget_ms: budgetMs }),
  });
  await res.text();
}

async function startQuiet(t: Stack, f: Tenant, n: number): Promise<string> {
  const res = await fetch(`${t.apiUrl}/functions/v1/start-workflow`, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${f.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ workflow_id: f.workflowKey, input_data: { payload: { n } } }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`start-workflow answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { job_id: string }).job_id;
}

export async function floodBench(
  t: Stack,
  db: pg.Client,
  quiet: Tenant,
  flooder: Tenant,
): Promise<FloodResult> {
  const saved = await db.query<{ w: { id: string; version: number } }>(
    `select public.save_workflow($1, $2, null, $3, 'Bench flood', 'sleeping echo', $4::jsonb, '{}'::jsonb, 'bench', null) as w`,
    [
      flooder.userId,
      flooder.organisationId,
      `${flooder.workflowKey}-flood`,
      JSON.stringify(DELAYED_ECHO),
    ],
  );
  const flood = saved.rows[0]!.w;
  const { rows } = await db.query<{ ids: string[] }>(
    `with j as (
       insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data)
       select $1, $2, $3, $4, jsonb_build_object('payload', g, 'delay_ms', $6::int)
       from generate_series(1, $5::int) as g
       returning id
     )
     select array_agg(id) as ids from j`,
    [flooder.organisationId, flood.id, flood.version, flooder.userId, FLOOD_JOBS, FLOOD_DELAY_MS],
  );
  const floodIds = rows[0]!.ids;
  const floodClaimed = async (): Promise<number> =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from public.jobs where id = any($1) and attempt > 0`,
          [floodIds],
        )
      ).rows[0]!.n,
    );
  // The flood's orchestrator, as cron would invoke it; it sleeps with the flood's steps (its
  // budget ends before they wake, so it claims no second wave).
  const running = invoke(t, 'bench:flood', Math.max(1000, FLOOD_DELAY_MS / 2));
  while ((await floodClaimed()) === 0) await sleep(POLL_MS);

  const quietMs = await timeQuietJobs(t, db, quiet, FLOOD_DELAY_MS * 10, 'the flood');
  const claimedDuringQuiet = await floodClaimed();

  // The flood's first wave finishes; the rest is cancelled (the bench measures, not drains).
  await running;
  const done = await db.query<{ ms: number }>(
    `select extract(epoch from completed_at - created_at) * 1000 as ms
     from public.jobs where id = any($1) and status = 'completed'`,
    [floodIds],
  );
  await db.query(
    `update public.jobs set status = 'cancelled', completed_at = now(), locked_by = null
     where id = any($1) and status in ('pending', 'running', 'awaiting_retry')`,
    [floodIds],
  );
  return {
    floodJobs: FLOOD_JOBS,
    delayMs: FLOOD_DELAY_MS,
    quiet: summarise(quietMs),
    floodClaimed: claimedDuringQuiet,
    floodCompleted: done.rows.length ? summarise(done.rows.map((r) => Number(r.ms))) : null,
    floodCompletedCount: done.rows.length,
  };
}

/** The quiet tenant's QUIET_JOBS 1-step jobs, one after another: start-workflow → completed seen. */
async function timeQuietJobs(
  t: Stack,
  db: pg.Client,
  quiet: Tenant,
  limitMs: number,
  during: string,
): Promise<number[]> {
  const quietMs: number[] = [];
  for (let i = 0; i < QUIET_JOBS; i++) {
    const started = performance.now();
    const id = await startQuiet(t, quiet, i);
    for (;;) {
      const { rows: r } = await db.query<{ status: string }>(
        'select status from public.jobs where id = $1',
        [id],
      );
      if (r[0]?.status === 'completed') break;
      if (r[0]?.status === 'failed' || r[0]?.status === 'cancelled')
        throw new Error(`quiet job ${id} ended ${r[0].status}`);
      if (performance.now() - started > limitMs)
        throw new Error(`quiet job ${id} still ${r[0]?.status} during ${during}`);
      await sleep(POLL_MS);
    }
    quietMs.push(performance.now() - started);
  }
  return quietMs;
}

// Poison (issue 10 §1): jobs as big as a tenant can make, all due at once. Before the 4 MiB
// input cap and the claim's byte bound, ten 31 MiB jobs made every claim fail (Postgres caps a
// jsonb array at 256 MiB) and nothing else ran. The quiet tenant's jobs must still complete.
const POISON_JOBS = env('BENCH_POISON_JOBS', 10);
/** Just under start-workflow's 4 MiB input cap. */
const POISON_KIB = env('BENCH_POISON_KIB', 4000);
/**
 * The claim's byte budget during the section (private.queue_settings.claim_max_bytes, put back
 * after); unset, the stack's (8 MiB: two default poison jobs fit one claim). Below the poison
 * jobs' size each of them is larger than a claim's budget on its own, the case where a claim
 * once took one alone and ended at the next job.
 */
const POISON_CLAIM_KIB = process.env.BENCH_POISON_CLAIM_KIB
  ? Number(process.env.BENCH_POISON_CLAIM_KIB)
  : undefined;

export interface PoisonResult {
  poisonJobs: number;
  kib: number;
  /** The claim's byte budget during the section, when the bench set one. */
  claimKib?: number;
  quiet: Summary;
  /** Poison jobs completed when the quiet jobs were done. */
  completed: number;
}

export async function poisonBench(
  t: Stack,
  db: pg.Client,
  quiet: Tenant,
  poisoner: Tenant,
): Promise<PoisonResult> {
  const { rows: w } = await db.query<{ id: string; version: number }>(
    `select w.id, w.version from public.workflows as w
     where w.organisation_id = $1 and w.key = $2`,
    [poisoner.organisationId, poisoner.workflowKey],
  );
  const workflow = w[0];
  if (!workflow) throw new Error('poison: the tenant has no echo workflow');
  const { rows: settings } = await db.query<{ claim_max_bytes: number }>(
    'select claim_max_bytes from private.queue_settings',
  );
  const claimMaxBytes = settings[0]!.claim_max_bytes;
  if (POISON_CLAIM_KIB !== undefined) {
    await db.query('update private.queue_settings set claim_max_bytes = $1', [
      POISON_CLAIM_KIB * 1024,
    ]);
  }
  const { rows } = await db.query<{ ids: string[] }>(
    `with j as (
       insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data)
       select $1, $2, $3, $4, jsonb_build_object('payload', repeat('x', $6::int * 1024))
       from generate_series(1, $5::int)
       returning id
     )
     select array_agg(id) as ids from j`,
    [
      poisoner.organisationId,
      workflow.id,
      workflow.version,
      poisoner.userId,
      POISON_JOBS,
      POISON_KIB,
    ],
  );
  const poisonIds = rows[0]!.ids;
  try {
    const quietMs = await timeQuietJobs(t, db, quiet, 60_000, 'the poison');
    const { rows: done } = await db.query<{ n: string }>(
      `select count(*) as n from public.jobs where id = any($1) and status = 'completed'`,
      [poisonIds],
    );
    return {
      poisonJobs: POISON_JOBS,
      kib: POISON_KIB,
      ...(POISON_CLAIM_KIB !== undefined ? { claimKib: POISON_CLAIM_KIB } : {}),
      quiet: summarise(quietMs),
      completed: Number(done[0]!.n),
    };
  } finally {
    await db.query('delete from public.jobs where id = any($1)', [poisonIds]);
    await db.query('update private.queue_settings set claim_max_bytes = $1', [claimMaxBytes]);
  }
}
