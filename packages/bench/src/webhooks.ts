// `pnpm bench webhooks` (issue 14 §3): a flood of signed deliveries to one webhook trigger,
// beside the engine's plain start-workflow on the same stack, user, workflow and concurrency.
//
//   webhook trigger (save_workflow_trigger, as the bench's owner) ── its secret
//      │ BENCH_WEBHOOK_DELIVERIES (1,000) deliveries, BENCH_WEBHOOK_CONCURRENCY (20) in flight,
//      │ each signed as a sender does (node:crypto HMAC-SHA256 over "<t>.<body>"), own key
//      ▼
//   POST /functions/v1/workflow-webhook/<id> ── 202: accepted/s, p50/p95 of the answer
//   POST /functions/v1/start-workflow        ── 201: the same count, for comparison
//   then: every delivery's job exists exactly once (jobs and firings of the trigger, distinct
//   ids), 50 deliveries sent again answer their first job as replayed, and the jobs complete
//   (each round's before the next starts, so one flood's jobs do not slow the other).
//   Then the default limit (100 burst, 50/s) against the same flood on a second trigger:
//   what it lets through; last, the database's part called directly (deliver_workflow_webhook
//   beside the firing alone) from as many connections.
//
// The flood trigger's limit is raised for the run (a row in private.rate_limit_overrides:
// scope 'webhook', the trigger's id), and so are the bench user's and organisation's job-start
// limits for the start-workflow round, so neither figure is a 429 count; the rows are removed
// afterwards. Exits 1 (BenchFailure) when a delivery is refused, a job is missing or doubled,
// a replay starts a job, or a job does not complete.
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { fmt, summarise, type Summary } from './stats.ts';
import {
  BenchFailure,
  createEngineFixture,
  invokeOrchestrator,
  type EngineFixture,
  type WorkflowTarget,
} from './workflows.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const DELIVERIES = env('BENCH_WEBHOOK_DELIVERIES', 1000);
const CONCURRENCY = env('BENCH_WEBHOOK_CONCURRENCY', 20);
const REPLAYS = Math.min(50, DELIVERIES);
/** One request at a time: what a single sender waits, without the flood's queueing. */
const SEQUENTIAL = env('BENCH_WEBHOOK_SEQUENTIAL', 100);
/** The migration's default per-trigger limit (…009500): measured, not assumed, below. */
const DEFAULT_LIMIT = { capacity: 100, refillPerSecond: 50 };
const RAISED = 1_000_000_000;
const DRAIN_TIMEOUT_MS = env('BENCH_WEBHOOK_DRAIN_TIMEOUT_MS', 300_000);

interface Sent {
  status: number;
  ms: number;
  jobId?: string;
  replayed?: boolean;
  text: string;
}

interface Flood {
  sent: Sent[];
  wallMs: number;
  accepted: Summary;
}

function signature(secret: string, body: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

async function deliver(
  t: WorkflowTarget,
  hook: { id: string; secret: string },
  key: string,
  n: number,
): Promise<Sent> {
  const body = JSON.stringify({ order: n, source: 'bench' });
  const started = performance.now();
  const res = await fetch(`${t.apiUrl}/functions/v1/workflow-webhook/${hook.id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Idempotency-Key': key,
      'Forkflow-Signature': signature(hook.secret, body),
    },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 202) return { status: res.status, ms, text };
  const answer = JSON.parse(text) as { job_id: string; replayed: boolean };
  return { status: res.status, ms, text, jobId: answer.job_id, replayed: answer.replayed };
}

async function startWorkflow(t: WorkflowTarget, f: EngineFixture, n: number): Promise<Sent> {
  const started = performance.now();
  const res = await fetch(`${t.apiUrl}/functions/v1/start-workflow`, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${f.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ workflow_id: f.workflowId, input_data: { payload: { n } } }),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const jobId = res.status === 201 ? (JSON.parse(text) as { job_id: string }).job_id : undefined;
  return { status: res.status, ms, text, jobId };
}

/** `count` calls, `concurrency` at a time; `ok` is the status that counts as accepted. */
async function flood(
  count: number,
  concurrency: number,
  ok: number,
  call: (i: number) => Promise<Sent>,
): Promise<Flood> {
  const sent: Sent[] = new Array<Sent>(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) sent[i] = await call(i);
    }),
  );
  const wallMs = performance.now() - started;
  return {
    sent,
    wallMs,
    accepted: summarise(sent.filter((s) => s.status === ok).map((s) => s.ms)),
  };
}

async function createWebhook(
  t: WorkflowTarget,
  f: EngineFixture,
  name: string,
): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${t.apiUrl}/rest/v1/rpc/save_workflow_trigger`, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${f.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      p_trigger: { workflow_id: f.workflowId, kind: 'webhook', name, input: { payload: 'hook' } },
    }),
  });
  const text = await res.text();
  if (res.status === 404 && text.includes('save_workflow_trigger'))
    throw new BenchFailure('webhook triggers not there yet: no save_workflow_trigger');
  if (!res.ok) throw new BenchFailure(`save_workflow_trigger answered ${res.status}: ${text}`);
  const saved = JSON.parse(text) as { id: string; secret: string };
  return { id: saved.id, secret: saved.secret };
}

async function setLimit(
  db: pg.Client,
  scope: 'webhook' | 'user' | 'organisation',
  subjectId: string,
  capacity: number,
  refillPerSecond: number,
): Promise<void> {
  await db.query(
    `insert into private.rate_limit_overrides (scope, subject_id, capacity, refill_per_second)
     values ($1, $2, $3, $4)
     on conflict (scope, subject_id) do update
       set capacity = excluded.capacity, refill_per_second = excluded.refill_per_second`,
    [scope, subjectId, capacity, refillPerSecond],
  );
  // A bucket left from earlier begins full at the new capacity.
  await db.query(
    `update private.rate_limit_buckets set tokens = $3, refilled_at = now() where scope = $1 and subject_id = $2`,
    [scope, subjectId, capacity],
  );
}

function refusals(f: Flood, ok: number, what: string): void {
  const refused = f.sent.filter((s) => s.status !== ok);
  if (refused.length)
    throw new BenchFailure(
      `${what}: ${refused.length} of ${f.sent.length} answered otherwise than ${ok}, e.g. ${refused[0]!.status} ${refused[0]!.text.slice(0, 300)}`,
    );
}

/** Every delivery's job exists exactly once: one job and one firing per key, ids matching. */
async function checkExactlyOnce(db: pg.Client, triggerId: string, f: Flood): Promise<void> {
  const ids = f.sent.map((s) => s.jobId!);
  const { rows } = await db.query<{
    jobs: number;
    distinct_jobs: number;
    firings: number;
    linked: number;
  }>(
    `select (select count(*)::int from public.jobs where trigger_id = $1) as jobs,
            (select count(distinct id)::int from public.jobs where id = any($2::uuid[]) and trigger_id = $1) as distinct_jobs,
            (select count(*)::int from public.workflow_trigger_firings where trigger_id = $1 and status = 'started') as firings,
            (select count(*)::int from public.workflow_trigger_firings as fi
               join public.jobs as j on j.id = fi.job_id and j.trigger_firing_id = fi.id
             where fi.trigger_id = $1) as linked`,
    [triggerId, ids],
  );
  const r = rows[0]!;
  const expected = f.sent.length;
  if (new Set(ids).size !== expected || Object.values(r).some((n) => n !== expected))
    throw new BenchFailure(
      `deliveries and jobs do not match one to one: ${expected} deliveries, ${new Set(ids).size} distinct job ids answered, ${JSON.stringify(r)}`,
    );
}

async function drain(t: WorkflowTarget, db: pg.Client, ids: string[]): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from public.jobs where id = any($1::uuid[]) group by status`,
      [ids],
    );
    const open = rows.filter((r) => r.status !== 'completed');
    if (!open.length) return performance.now() - started;
    if (open.some((r) => r.status === 'failed' || r.status === 'cancelled'))
      throw new BenchFailure(`jobs ended otherwise than completed: ${JSON.stringify(rows)}`);
    if (performance.now() - started > DRAIN_TIMEOUT_MS)
      throw new BenchFailure(
        `jobs still open after ${DRAIN_TIMEOUT_MS} ms: ${JSON.stringify(rows)}`,
      );
    // The functions' kicks run them; an invoke makes sure nothing waits for the hourly cron.
    await invokeOrchestrator(t, `bench-webhooks-${randomUUID().slice(0, 8)}`);
  }
}

const DIRECT = env('BENCH_WEBHOOK_DIRECT', 500);

/** deliver_workflow_webhook and the firing alone, each DIRECT times over a pool: calls/s. */
async function directRounds(
  t: WorkflowTarget,
  db: pg.Client,
  triggerId: string,
  run: string,
): Promise<{ deliver: number; fire: number }> {
  const pool = new pg.Pool({ connectionString: t.dbUrl, max: CONCURRENCY });
  // Each round's jobs are run before the next round (nothing kicks the orchestrator for
  // these), so neither round shares the cores with the other's jobs.
  const round = async (sql: string, args: (i: number) => unknown[]): Promise<number> => {
    const ids: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < DIRECT; i = next++) {
          const { rows } = await pool.query<{ r: { job_id: string } }>(sql, args(i));
          ids.push(rows[0]!.r.job_id);
        }
      }),
    );
    const rate = DIRECT / ((performance.now() - started) / 1000);
    if (ids.some((id) => !id)) throw new BenchFailure('a direct firing started no job');
    await drain(t, db, ids);
    return rate;
  };
  try {
    // Open the connections first, so neither round pays for them.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.query('select 1')));
    const fire = await round(
      'select public.fire_workflow_trigger_service($1, $2, $3, $4) as r',
      (i) => [triggerId, `fire-${run}-${i}`, JSON.stringify({ body: { n: i } }), '{}'],
    );
    const deliver = await round('select public.deliver_workflow_webhook($1, $2, $3) as r', (i) => [
      triggerId,
      `direct-${run}-${i}`,
      JSON.stringify({ n: i }),
    ]);
    return { deliver, fire };
  } finally {
    await pool.end();
  }
}

const perSecond = (f: Flood, ok: number): number =>
  f.sent.filter((s) => s.status === ok).length / (f.wallMs / 1000);

function row(label: string, f: Flood, ok: number): string {
  const rate = perSecond(f, ok).toFixed(0).padStart(8);
  return `  ${label.padEnd(44)}${rate} /s${fmt(f.accepted.median)}${fmt(f.accepted.p95)}`;
}

export async function webhookBench(t: WorkflowTarget): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  const overridden: [string, string][] = [];
  try {
    const f = await createEngineFixture(t, db);
    const hook = await createWebhook(t, f, 'Bench flood');
    const limited = await createWebhook(t, f, 'Bench default limit');
    for (const [scope, id] of [
      ['webhook', hook.id],
      ['user', f.userId],
      ['organisation', f.organisationId],
    ] as const) {
      await setLimit(db, scope, id, RAISED, RAISED);
      overridden.push([scope, id]);
    }
    const run = randomUUID().slice(0, 8);

    // Warm both paths (isolates, connections) outside the figures, on a trigger of its own.
    const warm = await createWebhook(t, f, 'Bench warm-up');
    const warmIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      warmIds.push((await deliver(t, warm, `warm-${run}-${i}`, -1 - i)).jobId ?? '');
      warmIds.push((await startWorkflow(t, f, -1 - i)).jobId ?? '');
    }
    await drain(t, db, warmIds.filter(Boolean));

    const oneStart = await flood(SEQUENTIAL, 1, 201, (i) => startWorkflow(t, f, 100_000 + i));
    refusals(oneStart, 201, 'start-workflow, one at a time');
    const oneHook = await flood(SEQUENTIAL, 1, 202, (i) =>
      deliver(t, warm, `one-${run}-${i}`, 100_000 + i),
    );
    refusals(oneHook, 202, 'workflow-webhook, one at a time');
    await drain(
      t,
      db,
      [...oneStart.sent, ...oneHook.sent].map((s) => s.jobId!),
    );

    const starts = await flood(DELIVERIES, CONCURRENCY, 201, (i) => startWorkflow(t, f, i));
    refusals(starts, 201, 'start-workflow');
    // Each round's jobs run before the next round, so neither flood competes with the other's.
    const startsDrainMs = await drain(
      t,
      db,
      starts.sent.map((s) => s.jobId!),
    );
    const webhooks = await flood(DELIVERIES, CONCURRENCY, 202, (i) =>
      deliver(t, hook, `bench-${run}-${i}`, i),
    );
    refusals(webhooks, 202, 'workflow-webhook');
    if (webhooks.sent.some((s) => s.replayed))
      throw new BenchFailure('a first delivery was answered as a replay');
    await checkExactlyOnce(db, hook.id, webhooks);

    const again = await flood(REPLAYS, CONCURRENCY, 202, (i) =>
      deliver(t, hook, `bench-${run}-${i}`, i),
    );
    refusals(again, 202, 'workflow-webhook replays');
    const wrong = again.sent.filter((s, i) => !s.replayed || s.jobId !== webhooks.sent[i]!.jobId);
    if (wrong.length)
      throw new BenchFailure(
        `${wrong.length} of ${REPLAYS} resent deliveries were not replays of their first job`,
      );
    await checkExactlyOnce(db, hook.id, webhooks);

    const drainMs = await drain(
      t,
      db,
      webhooks.sent.map((s) => s.jobId!),
    );

    // The default limit, pinned by an override so the bench's own stack (whose policies the
    // test mode lifts) measures the same numbers as a deployment.
    await setLimit(
      db,
      'webhook',
      limited.id,
      DEFAULT_LIMIT.capacity,
      DEFAULT_LIMIT.refillPerSecond,
    );
    overridden.push(['webhook', limited.id]);
    const capped = await flood(DELIVERIES, CONCURRENCY, 202, (i) =>
      deliver(t, limited, `capped-${run}-${i}`, i),
    );
    const other = capped.sent.filter((s) => s.status !== 202 && s.status !== 429);
    if (other.length)
      throw new BenchFailure(
        `default-limit round: ${other[0]!.status} ${other[0]!.text.slice(0, 300)}`,
      );
    const through = capped.sent.filter((s) => s.status === 202).length;
    const { rows: cappedJobs } = await db.query<{ n: number }>(
      `select count(*)::int as n from public.jobs where trigger_id = $1`,
      [limited.id],
    );
    if (cappedJobs[0]!.n !== through)
      throw new BenchFailure(
        `default-limit round: ${through} accepted but ${cappedJobs[0]!.n} jobs`,
      );

    // Where the time goes: the database's part of a delivery, called directly over Postgres
    // from CONCURRENCY connections, beside the firing alone (h4's function): the gap is the
    // rate-limit token (the bucket row is locked until commit: …009500 takes it last).
    await drain(
      t,
      db,
      capped.sent.filter((s) => s.jobId).map((s) => s.jobId!),
    );
    const direct = await directRounds(t, db, hook.id, run);

    console.log(
      `\nWebhook flood: ${DELIVERIES} deliveries to one trigger, ${CONCURRENCY} in flight, beside start-workflow (same user, workflow, concurrency)`,
    );
    console.log(
      `  ${''.padEnd(44)}${'accepted'.padStart(11)}${'p50'.padStart(11)}${'p95'.padStart(11)}`,
    );
    console.log(`one at a time (${SEQUENTIAL} each)`);
    console.log(row('start-workflow (201)', oneStart, 201));
    console.log(row('workflow-webhook (202)', oneHook, 202));
    console.log(`${CONCURRENCY} in flight (${DELIVERIES} each)`);
    console.log(row('start-workflow (201)', starts, 201));
    console.log(row('workflow-webhook (202), limit raised', webhooks, 202));
    console.log(
      `      webhook / start-workflow, accepted/s         ${(perSecond(webhooks, 202) / perSecond(starts, 201)).toFixed(2)}×`,
    );
    console.log(row(`resent deliveries (${REPLAYS}, replayed)`, again, 202));
    console.log(
      `  exactly once: ${DELIVERIES} deliveries → ${DELIVERIES} jobs and firings, each answered once; resends replayed`,
    );
    console.log(
      `  all jobs completed, after each round's last answer: start-workflow ${(startsDrainMs / 1000).toFixed(1)} s, webhook ${(drainMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  default limit (${DEFAULT_LIMIT.capacity} burst, ${DEFAULT_LIMIT.refillPerSecond}/s), a second trigger: ${through} of ${DELIVERIES} accepted, ${DELIVERIES - through} refused 429, in ${(capped.wallMs / 1000).toFixed(1)} s (${perSecond(capped, 202).toFixed(0)} accepted/s)`,
    );
    console.log(
      `  database part, called directly (${DIRECT} each, ${CONCURRENCY} connections): deliver_workflow_webhook ${direct.deliver.toFixed(0)}/s, fire_workflow_trigger_service alone ${direct.fire.toFixed(0)}/s`,
    );
  } finally {
    for (const [scope, id] of overridden)
      await db
        .query('delete from private.rate_limit_overrides where scope = $1 and subject_id = $2', [
          scope,
          id,
        ])
        .catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}
