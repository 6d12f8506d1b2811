// `pnpm bench automated`: automated sequence steps coming due at once (issue 14 §1). Each round
// sets up 1,000 running sequences whose first step is automated (an echo workflow whose input
// is mapped from the restaurant's name) and due now, invokes the orchestrator until every one
// of those tasks is completed, and reads from the rows: due → task completed p50/p95, due →
// job created (the start: due_automated_tasks, the inputs resolved, start_automated_task_jobs)
// and throughput. Beside it, on the same stack and organisation, the engine's plain figure:
// 1,000 one-step echo jobs inserted pending, created → completed, with the orchestrator's
// automated starts on (the default: every finish that ends a job asks for due tasks) and off
// (`automated_steps: false`), which is what those asks cost a queue with no automated steps.
// Rounds interleave the three so a noisy spell spreads over all. Prints figures; asserts
// nothing on time, but throws (exit 1) when a task or job does not complete.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { functionsDir } from '@forkflow/local-stack/paths';
import { signUpRep } from './fixture.ts';
import { fmt, summarise, type Summary } from './stats.ts';
import { BenchFailure, ECHO_DEFINITION, type WorkflowTarget } from './workflows.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_AUTOMATED_ROUNDS', 3);
const TASKS = env('BENCH_AUTOMATED_TASKS', 1000);
const BUDGET_MS = 60_000;
/** start_sequence_bulk takes at most 500 restaurants a call. */
const BULK = 500;

/** Seed 003's echo workflow, with the input an automated step maps into. */
const ECHO = {
  inputs: [{ name: 'payload', type: 'string', required: true }],
  ...ECHO_DEFINITION,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fixture {
  organisationId: string;
  userId: string;
  accessToken: string;
  workflowId: string;
  workflowVersion: number;
  templateId: string;
}

async function missing(db: pg.Client): Promise<string | null> {
  if (!existsSync(join(functionsDir, 'workflow-orchestrator', 'index.ts')))
    return 'no supabase/functions/workflow-orchestrator';
  const { rows } = await db.query<{ ok: boolean }>(
    `select to_regproc('public.due_automated_tasks') is not null
        and to_regproc('public.start_automated_task_jobs') is not null as ok`,
  );
  return rows[0]!.ok ? null : 'migrations not applied: no public.due_automated_tasks';
}

async function createAutomatedFixture(t: WorkflowTarget, db: pg.Client): Promise<Fixture> {
  const { userId, accessToken } = await signUpRep(t);
  const { rows } = await db.query<{ id: string }>(
    `insert into public.organisations (name) values ('Bench Automated') returning id`,
  );
  const organisationId = rows[0]!.id;
  await db.query(
    `insert into public.organisation_members (organisation_id, user_id, role) values ($1, $2, 'owner')`,
    [organisationId, userId],
  );
  const saved = await db.query<{ w: { id: string; version: number } }>(
    `select public.save_workflow($1, $2, null, $3, 'Bench automated echo', null, $4::jsonb) as w`,
    [userId, organisationId, `bench-auto-${Date.now().toString(36)}`, JSON.stringify(ECHO)],
  );
  const workflow = saved.rows[0]!.w;
  // The template through the builder's RPC, as the rep: the same checks as the web's save.
  const template = await rpc<{ id: string }>(t, accessToken, 'save_sequence_template', {
    p_template: { organisation_id: organisationId, name: 'Bench automated' },
    p_steps: [
      {
        name: 'Echo the name',
        type: 'automated',
        workflow_id: workflow.id,
        input_map: { payload: { source: 'restaurant', field: 'name' } },
        delay_value: 0,
        delay_unit: 'days',
      },
      { name: 'Follow up', type: 'call', delay_value: 1, delay_unit: 'days' },
    ],
  });
  return {
    organisationId,
    userId,
    accessToken,
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    templateId: template.id,
  };
}

async function rpc<T>(t: WorkflowTarget, token: string, name: string, body: unknown): Promise<T> {
  const res = await fetch(`${t.apiUrl}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new BenchFailure(`${name} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function invoke(t: WorkflowTarget, worker: string, options: Record<string, unknown> = {}) {
  const res = await fetch(`${t.apiUrl}/functions/v1/workflow-orchestrator`, {
    method: 'POST',
    headers: {
      apikey: t.serviceRoleKey,
      authorization: `Bearer ${t.serviceRoleKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ budget_ms: BUDGET_MS, worker, ...options }),
  });
  const text = await res.text();
  if (!res.ok) throw new BenchFailure(`workflow-orchestrator answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, number>;
}

/**
 * Invokes the orchestrator (again whenever it returns) until `open()` is 0, polling every
 * 20 ms; the wall time from the first invoke.
 */
async function drain(
  t: WorkflowTarget,
  worker: string,
  open: () => Promise<number>,
  options: Record<string, unknown> = {},
): Promise<number> {
  const started = performance.now();
  let running: Promise<unknown> | null = null;
  let failure: unknown;
  for (;;) {
    if ((await open()) === 0) break;
    if (failure) throw failure;
    if (!running)
      running = invoke(t, worker, options).then(
        () => (running = null),
        (err: unknown) => (failure = err),
      );
    if (performance.now() - started > BUDGET_MS * 2)
      throw new BenchFailure(`${worker}: still ${await open()} open after ${BUDGET_MS * 2} ms`);
    await sleep(20);
  }
  const ms = performance.now() - started;
  await running;
  return ms;
}

interface AutomatedRound {
  ms: number;
  dueToCompleted: number[];
  dueToJob: number[];
  jobToCompleted: number[];
}

/** 1,000 sequences whose automated first step is due now, run to completion. */
async function automatedRound(
  t: WorkflowTarget,
  db: pg.Client,
  f: Fixture,
  tag: string,
): Promise<AutomatedRound> {
  const { rows: restaurants } = await db.query<{ id: string }>(
    `insert into public.restaurants (organisation_id, name, city, assigned_sales_rep, created_by)
     select $1, 'Automated Bistro ' || $3::text || ' ' || g, 'Bristol', $2, $2
     from generate_series(1, $4::int) as g returning id`,
    [f.organisationId, f.userId, tag, TASKS],
  );
  const ids = restaurants.map((r) => r.id);
  // As the rep, over the direct connection: the set-up is not what is measured, and 500
  // starts at once pass PostgREST's statement timeout on a loaded machine.
  for (let i = 0; i < ids.length; i += BULK) {
    await db.query('begin');
    try {
      await db.query('set local role authenticated');
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: f.userId, role: 'authenticated' }),
      ]);
      await db.query(`select public.start_sequence_bulk($1, $2::uuid[])`, [
        f.templateId,
        ids.slice(i, i + BULK),
      ]);
      await db.query('commit');
    } catch (err) {
      await db.query('rollback');
      throw err;
    }
  }
  // Due now, all at once (the business calendar may have put a delay-0 step at the next
  // opening); the clock of every task starts here.
  const { rows: due } = await db.query<{ id: string }>(
    `update public.tasks as t set due_date = now()
     from public.sequence_instances as i
     where i.id = t.sequence_instance_id and i.restaurant_id = any($1::uuid[])
       and t.type = 'automated' and t.status = 'active' and t.automation_status = 'waiting'
     returning t.id`,
    [ids],
  );
  if (due.length !== TASKS)
    throw new BenchFailure(`expected ${TASKS} automated tasks due, found ${due.length}`);
  const taskIds = due.map((r) => r.id);
  await db.query('analyze public.tasks');
  const ms = await drain(t, `bench-auto-${tag}`, async () => {
    const { rows } = await db.query<{ open: string }>(
      `select count(*) as open from public.tasks where id = any($1::uuid[]) and status <> 'completed'`,
      [taskIds],
    );
    return Number(rows[0]!.open);
  });
  const { rows } = await db.query<{
    due_to_completed: string;
    due_to_job: string;
    job_to_completed: string;
    correct: boolean;
  }>(
    `select extract(epoch from t.completed_at - t.due_date) * 1000 as due_to_completed,
            extract(epoch from j.created_at - t.due_date) * 1000 as due_to_job,
            extract(epoch from j.completed_at - j.created_at) * 1000 as job_to_completed,
            t.automation_output = jsonb_build_object('result', r.name) as correct
     from public.tasks as t
     join public.jobs as j on j.id = t.job_id
     join public.restaurants as r on r.id = t.restaurant_id
     where t.id = any($1::uuid[])`,
    [taskIds],
  );
  const wrong = rows.filter((r) => !r.correct).length;
  if (rows.length !== TASKS || wrong > 0)
    throw new BenchFailure(`automated: ${rows.length} tasks with jobs, ${wrong} wrong outputs`);
  return {
    ms,
    dueToCompleted: rows.map((r) => Number(r.due_to_completed)),
    dueToJob: rows.map((r) => Number(r.due_to_job)),
    jobToCompleted: rows.map((r) => Number(r.job_to_completed)),
  };
}

interface PlainRound {
  ms: number;
  createdToCompleted: number[];
}

/** 1,000 pending one-step echo jobs of the same workflow, run to completion. */
async function plainRound(
  t: WorkflowTarget,
  db: pg.Client,
  f: Fixture,
  tag: string,
  options: Record<string, unknown>,
): Promise<PlainRound> {
  const { rows: inserted } = await db.query<{ ids: string[] }>(
    `with j as (
       insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries)
       select $1, $2, $3, $4, jsonb_build_object('payload', 'plain ' || $6::text || ' ' || g), 3
       from generate_series(1, $5::int) as g
       returning id, organisation_id, user_id, workflow_version
     ), e as (
       insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
       select organisation_id, id, user_id, 'created', 'pending', jsonb_build_object('workflow_version', workflow_version)
       from j
     )
     select array_agg(id) as ids from j`,
    [f.organisationId, f.workflowId, f.workflowVersion, f.userId, TASKS, tag],
  );
  const ids = inserted[0]!.ids;
  await db.query('analyze public.jobs');
  const ms = await drain(
    t,
    `bench-plain-${tag}`,
    async () => {
      const { rows } = await db.query<{ open: string }>(
        `select count(*) as open from public.jobs where id = any($1::uuid[]) and status <> 'completed'`,
        [ids],
      );
      return Number(rows[0]!.open);
    },
    options,
  );
  const { rows } = await db.query<{ ms: string }>(
    `select extract(epoch from completed_at - created_at) * 1000 as ms
     from public.jobs where id = any($1::uuid[])`,
    [ids],
  );
  return { ms, createdToCompleted: rows.map((r) => Number(r.ms)) };
}

const rate = (n: number, ms: number) => `${((n / ms) * 1000).toFixed(0).padStart(6)} /s`;
const line = (label: string, s: Summary, perSecond?: string) =>
  `  ${label.padEnd(56)}${fmt(s.median)}${fmt(s.p95)}${perSecond ? `  ${perSecond}` : ''}`;
const median = (values: number[]) => summarise(values).median;

export async function automatedBench(t: WorkflowTarget): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    const absent = await missing(db);
    if (absent) {
      console.log(`\nautomated steps: skipped (${absent})`);
      return;
    }
    const f = await createAutomatedFixture(t, db);
    const automated: AutomatedRound[] = [];
    const plainOn: PlainRound[] = [];
    const plainOff: PlainRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = `${round}-${Date.now().toString(36)}`;
      automated.push(await automatedRound(t, db, f, tag));
      plainOn.push(await plainRound(t, db, f, `${tag}-on`, {}));
      plainOff.push(await plainRound(t, db, f, `${tag}-off`, { automated_steps: false }));
      const [a, on, off] = [automated.at(-1)!, plainOn.at(-1)!, plainOff.at(-1)!];
      console.log(
        `  round ${round}: automated ${a.ms.toFixed(0)} ms, plain ${on.ms.toFixed(0)} ms, plain without asks ${off.ms.toFixed(0)} ms`,
      );
    }
    const all = <T>(rounds: T[], pick: (r: T) => number[]) => rounds.flatMap(pick);
    const wall = (rounds: { ms: number }[]) => median(rounds.map((r) => r.ms));
    console.log(
      `\nAutomated steps: ${ROUNDS} rounds of ${TASKS} due at once, one orchestrator invocation at a time (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    console.log(`  ${''.padEnd(56)}${'p50'.padStart(11)}${'p95'.padStart(11)}  throughput`);
    console.log(
      line(
        'automated step: due → task completed',
        summarise(all(automated, (r) => r.dueToCompleted)),
        rate(TASKS, wall(automated)),
      ),
    );
    console.log(
      line('  due → job created (resolve + start)', summarise(all(automated, (r) => r.dueToJob))),
    );
    console.log(
      line('  job created → job completed', summarise(all(automated, (r) => r.jobToCompleted))),
    );
    console.log(
      line(
        'plain 1-step job: created → completed',
        summarise(all(plainOn, (r) => r.createdToCompleted)),
        rate(TASKS, wall(plainOn)),
      ),
    );
    console.log(
      line(
        '  same, automated_steps off (no due asks)',
        summarise(all(plainOff, (r) => r.createdToCompleted)),
        rate(TASKS, wall(plainOff)),
      ),
    );
    console.log(
      `  (throughput: ${TASKS} over the median round's wall time, first invoke → last completed)`,
    );
  } finally {
    await db.end().catch(() => undefined);
  }
}
