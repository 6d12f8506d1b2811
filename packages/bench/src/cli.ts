// `pnpm bench [sequences|workflows|flows|automated|retention|import|scale|webhooks|bundle]`: every section by default, one stack and database.
// Sequences: latency of the sequence transitions a rep waits on, each beside its floor:
// (a) the same writes as plain SQL in one transaction over a direct connection, (b) a no-op
// RPC through PostgREST (the HTTP floor), (c) the real RPC through PostgREST, (d) the
// complete-task edge function. Workflows: see workflows.ts; flows: flows.ts; automated
// sequence steps: automated.ts; retention:
// retention.ts; webhook floods: webhooks.ts. Prints figures; asserts nothing on time, but
// exits 1 when something it runs does not complete.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePorts, startStack } from '@forkflow/local-stack/stack';
import { createFixture, SHORT_STEPS, type Fixture } from './fixture.ts';
import { fmt, measure, type Summary } from './stats.ts';
import { automatedBench } from './automated.ts';
import { bundleBench } from './bundle.ts';
import { flowBench } from './flows.ts';
import { importBench } from './import.ts';
import { retentionBench } from './retention.ts';
import { scaleBench } from './scale/scale.ts';
import { webhookBench } from './webhooks.ts';
import { BenchFailure, workflowBench } from './workflows.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const BULK_RUNS = Number(process.env.BENCH_BULK_RUNS ?? 10);
const BULK_SIZE = 50;
/**
 * The bench's own stack ticks its cron this rarely, so the stack never invokes the
 * orchestrator behind the workflow figures' back (the default 5 s would, mid-round).
 */
const CRON_INTERVAL_SECONDS = Number(process.env.BENCH_CRON_INTERVAL_SECONDS ?? 3600);
const SECTIONS = [
  'sequences',
  'workflows',
  'flows',
  'automated',
  'retention',
  'import',
  'scale',
  'webhooks',
  'bundle',
] as const;
type Section = (typeof SECTIONS)[number];

interface Target {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  dbUrl: string;
  /** Set when the bench started the stack itself. */
  cronIntervalSeconds?: number;
  pids?: Record<string, number>;
  stop(): Promise<void>;
}

async function target(): Promise<Target> {
  const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL } =
    process.env;
  if (SUPABASE_URL && SUPABASE_ANON_KEY && SUPABASE_SERVICE_ROLE_KEY && SUPABASE_DB_URL) {
    return {
      apiUrl: SUPABASE_URL,
      anonKey: SUPABASE_ANON_KEY,
      serviceRoleKey: SUPABASE_SERVICE_ROLE_KEY,
      dbUrl: SUPABASE_DB_URL,
      stop: async () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'forkflow-bench-'));
  chmodSync(dir, 0o755);
  const stack = await startStack({
    dir,
    ports: await freePorts(),
    cronIntervalSeconds: CRON_INTERVAL_SECONDS,
    testing: true,
  });
  return {
    ...stack.info,
    cronIntervalSeconds: CRON_INTERVAL_SECONDS,
    pids: stack.info.pids,
    stop: async () => {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plain copies of the two tables (same columns, defaults, checks and indexes; no triggers, no RLS). */
async function createFloorTables(db: pg.Client): Promise<void> {
  await db.query(`
    create schema if not exists bench;
    create table if not exists bench.sequence_instances (like public.sequence_instances including defaults including constraints including indexes);
    create table if not exists bench.tasks (like public.tasks including defaults including constraints including indexes);
    create or replace function public.bench_noop() returns integer language sql stable as 'select 1';
    grant execute on function public.bench_noop() to authenticated;
    notify pgrst, 'reload schema';
  `);
  await new Promise((r) => setTimeout(r, 1500));
}

function rpc(t: Target, f: Fixture, name: string, body: unknown): Promise<unknown> {
  return call(`${t.apiUrl}/rest/v1/rpc/${name}`, t, f, body);
}

async function call(url: string, t: Target, f: Fixture, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${f.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${url} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function floorStart(db: pg.Client, f: Fixture, restaurantId: string): Promise<void> {
  await db.query('begin');
  const { rows } = await db.query<{ id: string }>(
    `insert into bench.sequence_instances (organisation_id, sequence_template_id, restaurant_id, name, total_steps, steps_snapshot, assigned_to)
     values ($1, $2, $3, 'Bench – floor', $4, '[]', $5) returning id`,
    [f.organisationId, f.shortTemplateId, restaurantId, SHORT_STEPS, f.userId],
  );
  await db.query(
    `insert into bench.tasks (organisation_id, restaurant_id, name, type, status, due_date, sequence_instance_id, sequence_step_order, assigned_to, message)
     select $1, $2, 'Step ' || g, 'call', case when g = 1 then 'active' else 'pending' end,
            case when g = 1 then now() end, $3, g, $4, 'Hi Chef, it is the rep.'
     from generate_series(1, $5::int) as g`,
    [f.organisationId, restaurantId, rows[0]!.id, f.userId, SHORT_STEPS],
  );
  await db.query('commit');
}

async function floorComplete(db: pg.Client, instanceId: string, step: number): Promise<void> {
  await db.query('begin');
  await db.query(`select id from bench.sequence_instances where id = $1 for update`, [instanceId]);
  await db.query(
    `update bench.tasks set status = 'completed', completed_at = now() where sequence_instance_id = $1 and sequence_step_order = $2`,
    [instanceId, step],
  );
  await db.query(
    `update bench.tasks set status = 'active', due_date = now() + interval '1 day' where sequence_instance_id = $1 and sequence_step_order = $2`,
    [instanceId, step + 1],
  );
  await db.query(`update bench.sequence_instances set current_step_order = $2 where id = $1`, [
    instanceId,
    step + 1,
  ]);
  await db.query('commit');
}

// Tasks to complete one after another: the long template's instances, each in step order
// (a template has at most LONG_STEPS steps, so one instance no longer covers a run).
async function startChain(t: Target, f: Fixture, db: pg.Client, tasks: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < tasks) {
    const [restaurantId] = f.takeRestaurants(1);
    const instance = (await rpc(t, f, 'start_sequence', {
      p_template_id: f.longTemplateId,
      p_restaurant_id: restaurantId,
    })) as { id: string };
    const { rows } = await db.query<{ id: string }>(
      `select id from public.tasks where sequence_instance_id = $1 order by sequence_step_order`,
      [instance.id],
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

function row(label: string, s: Summary): string {
  return `  ${label.padEnd(52)}${fmt(s.median)}${fmt(s.p95)}`;
}

function verdict(label: string, value: number, limit: number, unit = ''): string {
  return `      ${label.padEnd(48)}${value.toFixed(2)}${unit}  (target ≤ ${limit}${unit}) ${value <= limit ? 'meets' : 'MISSES'}`;
}

async function sequenceBench(t: Target): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  try {
    const perRun = ITERATIONS + WARMUP;
    const f = await createFixture(t.dbUrl, t, perRun * 3 + BULK_RUNS * BULK_SIZE + 10);
    await db.connect();
    await createFloorTables(db);

    // start_sequence, 10 steps
    const floorRestaurants = f.takeRestaurants(perRun);
    const startFloor = await measure(ITERATIONS, WARMUP, (i) =>
      floorStart(db, f, floorRestaurants[i]!),
    );
    const noop = await measure(ITERATIONS, WARMUP, () =>
      rpc(t, f, 'bench_noop', {}).then(() => undefined),
    );
    const rpcRestaurants = f.takeRestaurants(perRun);
    const startRpc = await measure(ITERATIONS, WARMUP, (i) =>
      rpc(t, f, 'start_sequence', {
        p_template_id: f.shortTemplateId,
        p_restaurant_id: rpcRestaurants[i],
      }).then(() => undefined),
    );

    // complete_task and activate the next, on long chains
    const [floorRestaurant] = f.takeRestaurants(1);
    await floorStart(db, { ...f, shortTemplateId: f.longTemplateId }, floorRestaurant!);
    const { rows } = await db.query<{ id: string }>(
      `select id from bench.sequence_instances where restaurant_id = $1`,
      [floorRestaurant],
    );
    const floorInstance = rows[0]!.id;
    await db.query(
      `insert into bench.tasks (organisation_id, restaurant_id, name, type, status, sequence_instance_id, sequence_step_order)
       select $1, $2, 'Step ' || g, 'call', 'pending', $3, g from generate_series($4::int + 1, $5::int) as g`,
      [f.organisationId, floorRestaurant, floorInstance, SHORT_STEPS, perRun + 1],
    );
    const completeFloor = await measure(ITERATIONS, WARMUP, (i) =>
      floorComplete(db, floorInstance, i + 1),
    );
    const chainRpc = await startChain(t, f, db, perRun);
    const completeRpc = await measure(ITERATIONS, WARMUP, (i) =>
      rpc(t, f, 'complete_task', { p_task_id: chainRpc[i] }).then(() => undefined),
    );
    const chainFn = await startChain(t, f, db, perRun);
    const completeFn = await measure(ITERATIONS, WARMUP, (i) =>
      call(`${t.apiUrl}/functions/v1/complete-task`, t, f, { task_id: chainFn[i] }).then(
        () => undefined,
      ),
    );

    // bulk start of 50 restaurants
    const bulk = await measure(BULK_RUNS, 1, () =>
      rpc(t, f, 'start_sequence_bulk', {
        p_template_id: f.shortTemplateId,
        p_restaurant_ids: f.takeRestaurants(BULK_SIZE),
      }).then(() => undefined),
    );

    console.log(
      `\nForkflow bench: one run, one database, ${ITERATIONS} timed calls after ${WARMUP} warm-up (bulk: ${BULK_RUNS} runs of ${BULK_SIZE})`,
    );
    console.log(`  ${''.padEnd(52)}${'median'.padStart(11)}${'p95'.padStart(11)}`);
    console.log(`start_sequence, ${SHORT_STEPS} steps`);
    console.log(row('(a) plain SQL, one transaction, direct (floor)', startFloor));
    console.log(row('(b) no-op RPC through PostgREST (HTTP floor)', noop));
    console.log(row('(c) start_sequence through PostgREST', startRpc));
    console.log(
      verdict(
        '((c) − (b)) / (a), medians',
        (startRpc.median - noop.median) / startFloor.median,
        3,
        '×',
      ),
    );
    console.log(verdict('(c) p95', startRpc.p95, 10, ' ms'));
    console.log('complete_task and activate the next step');
    console.log(row('(a) plain SQL, one transaction, direct (floor)', completeFloor));
    console.log(row('(b) no-op RPC through PostgREST (HTTP floor)', noop));
    console.log(row('(c) complete_task through PostgREST', completeRpc));
    console.log(row('(d) complete-task edge function', completeFn));
    console.log(
      verdict(
        '((c) − (b)) / (a), medians',
        (completeRpc.median - noop.median) / completeFloor.median,
        3,
        '×',
      ),
    );
    console.log(verdict('(c) p95', completeRpc.p95, 10, ' ms'));
    console.log(verdict('(d) p95', completeFn.p95, 50, ' ms'));
    console.log(`start_sequence_bulk, ${BULK_SIZE} restaurants`);
    console.log(row('through PostgREST', bulk));
    console.log(verdict('p95', bulk.p95, 1000, ' ms'));
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !SECTIONS.includes(a as Section));
  if (unknown.length) {
    console.error(`usage: pnpm bench [${SECTIONS.join('|')}]... (unknown: ${unknown.join(' ')})`);
    process.exit(2);
  }
  const sections = asked.length ? (asked as Section[]) : [...SECTIONS];
  // No stack needed: a production build of the dashboard.
  if (sections.includes('bundle')) await bundleBench();
  if (!sections.some((s) => s !== 'bundle')) return;
  const t = await target();
  try {
    if (sections.includes('sequences')) await sequenceBench(t);
    if (sections.includes('workflows')) await workflowBench(t);
    if (sections.includes('flows')) await flowBench(t);
    if (sections.includes('automated')) await automatedBench(t);
    if (sections.includes('retention')) await retentionBench(t);
    if (sections.includes('import')) await importBench(t);
    if (sections.includes('scale')) await scaleBench(t);
    if (sections.includes('webhooks')) await webhookBench(t);
  } finally {
    await t.stop();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof BenchFailure
      ? `\nbench failed: ${err.message}`
      : err instanceof Error
        ? err.message
        : err,
  );
  process.exit(1);
});
