// `pnpm bench retention` (issue 12 §7): does the scheduled job-history cleanup stall the
// orchestrator? 300,000 finished jobs (3 events each) older than their organisation's
// retention are inserted with set-based SQL; then rounds of single-step echo jobs run through
// `workflow-orchestrator` (the workflows section's fixture), first with nothing else going
// on, then while `purge_expired_jobs` deletes the old jobs batch after batch on another
// connection, as the scheduler would. Prints claim → completed latency (from each job's own
// events) p50/p95 without and during the cleanup, their ratio (aim: p95 within 1.5×), and
// the cleanup's rate. Asserts nothing on time; exits 1 when a job does not complete or the
// cleanup leaves expired jobs behind.
import pg from 'pg';
import { fmt, summarise, type Summary } from './stats.ts';
import {
  BenchFailure,
  createEngineFixture,
  insertJobs,
  invokeOrchestrator,
  type EngineFixture,
  type WorkflowTarget,
} from './workflows.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const OLD_JOBS = env('BENCH_RETENTION_JOBS', 300_000);
const INSERT_CHUNK = 50_000;
const ROUND_JOBS = env('BENCH_RETENTION_ROUND_JOBS', 200);
const BASELINE_ROUNDS = env('BENCH_RETENTION_BASELINE_ROUNDS', 5);
const PURGE_BATCH = env('BENCH_RETENTION_BATCH', 1000);
const RETENTION_DAYS = 7;
const OPEN = `('pending', 'running', 'awaiting_retry')`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** OLD_JOBS completed jobs, finished 30+ days ago, each with created/claimed/completed events. */
async function insertOldJobs(db: pg.Client, f: EngineFixture): Promise<number> {
  const started = performance.now();
  for (let from = 1; from <= OLD_JOBS; from += INSERT_CHUNK) {
    const to = Math.min(OLD_JOBS, from + INSERT_CHUNK - 1);
    await db.query(
      `with j as (
         insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, status,
           input_data, step_data, final_result, current_step_id, started_at, completed_at,
           created_at, last_updated_at, attempt)
         select $1, $2, $3, $4, 'completed',
           jsonb_build_object('payload', jsonb_build_object('n', g)),
           jsonb_build_object('step1', jsonb_build_object('echoed_data', jsonb_build_object('n', g))),
           jsonb_build_object('result', jsonb_build_object('n', g)), 'step1',
           t, t + interval '50 ms', t - interval '10 ms', t + interval '50 ms', 1
         from generate_series($5::int, $6::int) as g,
           lateral (select now() - interval '30 days' - g * interval '1 second' as t) as at
         returning id, organisation_id, user_id, started_at, completed_at
       )
       insert into public.job_events (organisation_id, job_id, user_id, event_type, from_status, to_status, created_at)
       select j.organisation_id, j.id, j.user_id, e.type, e.from_status, e.to_status, e.at
       from j, lateral (values
         ('created', null, 'pending', j.started_at - interval '10 ms'),
         ('claimed', 'pending', 'running', j.started_at),
         ('completed', 'running', 'completed', j.completed_at)
       ) as e (type, from_status, to_status, at)`,
      [f.organisationId, f.workflowId, f.workflowVersion, f.userId, from, to],
    );
  }
  await db.query('analyze public.jobs');
  await db.query('analyze public.job_events');
  return performance.now() - started;
}

/** One round of ROUND_JOBS echo jobs through one orchestrator; returns their ids once all completed. */
async function round(
  t: WorkflowTarget,
  db: pg.Client,
  f: EngineFixture,
  tag: string,
): Promise<string[]> {
  const ids = await insertJobs(db, f, ROUND_JOBS, tag);
  let invokeError: unknown;
  let answered = false;
  void invokeOrchestrator(t, `bench-retention-${tag}`).then(
    () => (answered = true),
    (err: unknown) => (invokeError = err),
  );
  const started = performance.now();
  let answeredAt: number | undefined;
  for (;;) {
    const { rows } = await db.query<{ open: string }>(
      `select count(*) as open from public.jobs where id = any($1::uuid[]) and status in ${OPEN}`,
      [ids],
    );
    if (rows[0]!.open === '0') break;
    if (invokeError) throw invokeError;
    const now = performance.now();
    if (answered && answeredAt === undefined) answeredAt = now;
    // The orchestrator returned (its budget or an empty queue) with jobs left: invoke again.
    if (answeredAt !== undefined && now - answeredAt > 2000) {
      answered = false;
      answeredAt = undefined;
      void invokeOrchestrator(t, `bench-retention-${tag}-again`).then(
        () => (answered = true),
        (err: unknown) => (invokeError = err),
      );
    }
    if (now - started > 120_000)
      throw new BenchFailure(`retention round ${tag}: jobs still open after 120 s`);
    await sleep(20);
  }
  const { rows } = await db.query<{ completed: string }>(
    `select count(*) filter (where status = 'completed') as completed from public.jobs where id = any($1::uuid[])`,
    [ids],
  );
  if (Number(rows[0]!.completed) !== ids.length)
    throw new BenchFailure(
      `retention round ${tag}: ${rows[0]!.completed} of ${ids.length} completed`,
    );
  return ids;
}

/** Claim → completed per job, from its own events, in ms. */
async function claimToFinish(
  db: pg.Client,
  ids: string[],
  window?: [Date, Date],
): Promise<number[]> {
  const { rows } = await db.query<{ ms: number }>(
    `select extract(epoch from d.at - c.at) * 1000 as ms
     from unnest($1::uuid[]) as j(id)
     join lateral (select min(created_at) as at from public.job_events
                   where job_id = j.id and event_type = 'claimed') as c on true
     join lateral (select created_at as at from public.job_events
                   where job_id = j.id and event_type = 'completed') as d on true
     where $2::timestamptz is null or c.at between $2 and $3`,
    [ids, window?.[0] ?? null, window?.[1] ?? null],
  );
  return rows.map((r) => Number(r.ms));
}

interface PurgeResult {
  jobs: number;
  batches: number;
  ms: number;
  startedAt: Date;
  endedAt: Date;
}

/** purge_expired_jobs(PURGE_BATCH) again and again on its own connection until a short batch. */
async function purgeAll(dbUrl: string): Promise<PurgeResult> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const startedAt = new Date();
    const started = performance.now();
    let jobs = 0;
    let batches = 0;
    for (;;) {
      const { rows } = await db.query<{ n: number }>('select public.purge_expired_jobs($1) as n', [
        PURGE_BATCH,
      ]);
      jobs += rows[0]!.n;
      batches++;
      if (rows[0]!.n < PURGE_BATCH) break;
    }
    return { jobs, batches, ms: performance.now() - started, startedAt, endedAt: new Date() };
  } finally {
    await db.end();
  }
}

async function explainPurge(db: pg.Client): Promise<string> {
  await db.query('begin');
  try {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `explain (costs off)
       select x.id from public.organisations as o
       cross join lateral (
         select j.id from public.jobs as j
         where j.organisation_id = o.id and j.status in ('completed', 'failed', 'cancelled')
           and j.completed_at < now() - make_interval(days => o.job_retention_days)
         order by j.completed_at limit 1000 for update of j skip locked
       ) as x limit 1000`,
    );
    return rows.map((r) => `      ${r['QUERY PLAN']}`).join('\n');
  } finally {
    await db.query('rollback');
  }
}

export async function retentionBench(t: WorkflowTarget): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    const { rows: present } = await db.query<{ ok: boolean }>(
      `select to_regprocedure('public.purge_expired_jobs(integer)') is not null as ok`,
    );
    if (!present[0]!.ok)
      throw new BenchFailure('retention migrations not applied: no public.purge_expired_jobs');
    const f = await createEngineFixture(t, db);
    await db.query('update public.organisations set job_retention_days = $2 where id = $1', [
      f.organisationId,
      RETENTION_DAYS,
    ]);
    const insertMs = await insertOldJobs(db, f);
    const plan = await explainPurge(db);

    await round(t, db, f, 'warm');
    // Without cleanup: the same table, 300,000 old jobs in it, nothing deleting them.
    const quiet: number[] = [];
    for (let r = 0; r < BASELINE_ROUNDS; r++)
      quiet.push(...(await claimToFinish(db, await round(t, db, f, `quiet-${r}`))));

    // During cleanup: rounds back to back until the purge is done; only jobs claimed while it
    // ran count.
    let purge: PurgeResult | undefined;
    let purgeError: unknown;
    const purging = purgeAll(t.dbUrl).then(
      (p) => (purge = p),
      (err: unknown) => (purgeError = err),
    );
    const duringIds: string[] = [];
    let r = 0;
    while (!purge && !purgeError) duringIds.push(...(await round(t, db, f, `cleanup-${r++}`)));
    await purging;
    if (purgeError) throw purgeError;
    const p = purge!;
    const during = await claimToFinish(db, duringIds, [p.startedAt, p.endedAt]);
    const { rows: left } = await db.query<{ n: string }>(
      `select count(*) as n from public.jobs where organisation_id = $1 and completed_at < now() - interval '8 days'`,
      [f.organisationId],
    );
    if (left[0]!.n !== '0')
      throw new BenchFailure(`the cleanup left ${left[0]!.n} expired jobs behind`);

    const a: Summary = summarise(quiet);
    const b: Summary = summarise(during);
    console.log(
      `\nRetention cleanup beside the orchestrator (issue 12 §7): ${OLD_JOBS.toLocaleString('en-GB')} finished jobs × 3 events inserted in ${(insertMs / 1000).toFixed(1)} s`,
    );
    console.log(`  purge_expired_jobs plan (one batch):\n${plan}`);
    console.log(
      `  claim → completed of 1-step echo jobs, ${ROUND_JOBS} per round, one orchestrator`,
    );
    console.log(
      `  ${''.padEnd(44)}${'n'.padStart(7)}${'median'.padStart(11)}${'p95'.padStart(11)}`,
    );
    const line = (label: string, s: Summary) =>
      console.log(`  ${label.padEnd(44)}${String(s.n).padStart(7)}${fmt(s.median)}${fmt(s.p95)}`);
    line(`without cleanup (${BASELINE_ROUNDS} rounds)`, a);
    line(`during cleanup (${r} rounds)`, b);
    const ratio = b.p95 / a.p95;
    console.log(
      `      p95 during / without${''.padEnd(26)}${ratio.toFixed(2)}×  (aim ≤ 1.5×) ${ratio <= 1.5 ? 'meets' : 'MISSES'}`,
    );
    console.log(
      `  cleanup: ${p.jobs.toLocaleString('en-GB')} jobs (+ ${(p.jobs * 3).toLocaleString('en-GB')} events) in ${p.batches} batches of ≤ ${PURGE_BATCH}, ${(p.ms / 1000).toFixed(1)} s: ${Math.round(p.jobs / (p.ms / 1000)).toLocaleString('en-GB')} jobs/s`,
    );
  } finally {
    await db.end().catch(() => undefined);
  }
}
