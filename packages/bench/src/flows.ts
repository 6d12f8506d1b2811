// `pnpm bench flows`: how long a flow sequence run takes (issue 11, "Done when": a 5-flow
// sequence of echo workflows, run start → completed, p50/p95; aim p50 < 150 ms here).
// One organisation, five 1-step echo workflows that each declare an input `value`, a project
// with a hardcoded variable and no environment, and a sequence flow1 → … → flow5 in which each
// flow's `value` is the previous flow's output. Runs go one after another: each is started
// through `run-flow-sequence` as a signed-in member and polled every 2 ms over a direct
// connection until it is completed. Then where the time goes, from the runs' own rows: the
// start call, the first flow's job start → finish, and each hop between one flow ending and the
// next one starting (the trigger, the orchestrator's evaluation, advance_flow_run and the next
// claim). Prints figures; asserts nothing on time, but throws (exit 1) when a run does not
// complete.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { functionsDir } from '@forkflow/local-stack/paths';
import { signUpRep, type Api } from './fixture.ts';
import { fmt, summarise, type Summary } from './stats.ts';
import { BenchFailure } from './workflows.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const RUNS = env('BENCH_FLOW_RUNS', 50);
const WARMUP = env('BENCH_FLOW_WARMUP', 5);
const FLOWS = 5;
const POLL_MS = 2;
const TIMEOUT_MS = 30_000;
const TARGET_P50_MS = 150;

export interface FlowTarget extends Api {
  dbUrl: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One echo step; its result's `value` is its input's. */
const echoDefinition = (n: number) => ({
  description: `Bench flow ${n}`,
  inputs: [{ name: 'value', type: 'string', required: true }],
  start_step: 'echo',
  steps: {
    echo: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.value' },
      next_step: null,
    },
  },
  output_map: { value: '$.echo.output.echoed_data' },
});

/** What is missing for this section, or null when it can run. */
async function missing(db: pg.Client): Promise<string | null> {
  const functions = ['run-flow-sequence', 'workflow-orchestrator', 'execute-echo'].filter(
    (name) => !existsSync(join(functionsDir, name, 'index.ts')),
  );
  if (functions.length) return `no ${functions.map((f) => `supabase/functions/${f}`).join(', ')}`;
  const { rows } = await db.query<{ missing: string[] }>(
    `select array_remove(array[
       case when to_regclass('public.flow_sequence_runs') is null then 'public.flow_sequence_runs' end,
       case when to_regclass('public.flow_sequences') is null then 'public.flow_sequences' end,
       case when to_regproc('public.start_flow_run') is null then 'public.start_flow_run' end
     ], null) as missing`,
  );
  const absent = rows[0]!.missing;
  return absent.length ? `migrations not applied: no ${absent.join(', ')}` : null;
}

interface FlowFixture {
  accessToken: string;
  sequenceId: string;
}

async function createFlowFixture(api: Api, db: pg.Client): Promise<FlowFixture> {
  const { userId, accessToken } = await signUpRep(api);
  const { rows } = await db.query<{ id: string }>(
    `insert into public.organisations (name) values ('Bench Flows') returning id`,
  );
  const organisationId = rows[0]!.id;
  await db.query(
    `insert into public.organisation_members (organisation_id, user_id, role) values ($1, $2, 'owner')`,
    [organisationId, userId],
  );
  const stamp = Date.now().toString(36);
  const workflowIds: string[] = [];
  for (let n = 1; n <= FLOWS; n++) {
    const saved = await db.query<{ w: { id: string } }>(
      `select public.save_workflow($1, $2, null, $3, $4, null, $5::jsonb) as w`,
      [userId, organisationId, `bench-flow-${n}-${stamp}`, `Bench flow ${n}`, echoDefinition(n)],
    );
    workflowIds.push(saved.rows[0]!.w.id);
  }
  const project = await db.query<{ p: { id: string } }>(
    `select public.save_project($1, $2, null, $3, 'Bench flows', null, 'active', null, '{}'::jsonb, $4::jsonb, '{}'::uuid[]) as p`,
    [
      userId,
      organisationId,
      `bench-flows-${stamp}`,
      JSON.stringify([
        { name: 'greeting', type: 'string', required: true, source: 'hardcoded', value: 'hello' },
      ]),
    ],
  );
  const flows = workflowIds.map((workflowId, i) => ({
    id: `flow${i + 1}`,
    workflow_id: workflowId,
    mappings: {
      value:
        i === 0
          ? { source: 'sequence_parameter', parameter: 'greeting' }
          : { source: 'flow_output', flow_id: `flow${i}`, path: ['value'] },
    },
    assertions: [{ path: '$.value', operator: 'equals', expected: 'hello' }],
  }));
  const sequence = await db.query<{ s: { id: string } }>(
    `select public.save_flow_sequence($1, $2, null, 'Five echoes', null, $3::jsonb, $4::jsonb) as s`,
    [
      userId,
      project.rows[0]!.p.id,
      JSON.stringify([
        {
          name: 'greeting',
          type: 'string',
          required: true,
          source: 'project_variable',
          project_variable: 'greeting',
        },
      ]),
      JSON.stringify(flows),
    ],
  );
  return { accessToken, sequenceId: sequence.rows[0]!.s.id };
}

async function startRun(t: FlowTarget, f: FlowFixture): Promise<string> {
  const res = await fetch(`${t.apiUrl}/functions/v1/run-flow-sequence`, {
    method: 'POST',
    headers: {
      apikey: t.anonKey,
      authorization: `Bearer ${f.accessToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ sequence_id: f.sequenceId, mode: 'normal' }),
  });
  const text = await res.text();
  if (res.status !== 201)
    throw new BenchFailure(`run-flow-sequence answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { run_id: string }).run_id;
}

interface FlowResult {
  total: Summary;
  startCall: Summary;
  /** Server side, from the runs' rows. */
  createdToFinished: Summary;
  firstJob: Summary;
  hop: Summary;
}

export async function flowBench(t: FlowTarget): Promise<void> {
  const db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
  try {
    const why = await missing(db);
    if (why) throw new BenchFailure(`flow runs not there yet: ${why}`);
    const f = await createFlowFixture(t, db);
    // A shared machine's load moves these figures more than anything here: printed beside them.
    const load = () =>
      loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
    const loadBefore = load();

    const total: number[] = [];
    const startCall: number[] = [];
    const timed: string[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      const runId = await startRun(t, f);
      const answered = performance.now();
      for (;;) {
        const { rows } = await db.query<{ status: string; error: unknown }>({
          name: 'bench-run-status',
          text: 'select status, error from public.flow_sequence_runs where id = $1',
          values: [runId],
        });
        const status = rows[0]?.status;
        if (status === 'completed') break;
        if (status && status !== 'running')
          throw new BenchFailure(`run ${runId} ended ${status}: ${JSON.stringify(rows[0]?.error)}`);
        if (performance.now() - started > TIMEOUT_MS)
          throw new BenchFailure(
            `run ${runId} still ${status} ${TIMEOUT_MS / 1000} s after run-flow-sequence: does the orchestrator start the next flow?`,
          );
        await sleep(POLL_MS);
      }
      if (i >= WARMUP) {
        total.push(performance.now() - started);
        startCall.push(answered - started);
        timed.push(runId);
      }
    }

    // Each flow's job: created (by start_flow_run or advance_flow_run), started (claimed),
    // completed. A hop is one job's completion to the next flow's job being claimed.
    const server = await db.query<{
      created_to_finished: number[] | null;
      first_job: number[] | null;
      hop: number[] | null;
    }>(
      `with flow_jobs as (
         select rf.run_id, rf.flow_id, j.created_at, j.started_at, j.completed_at,
                lag(j.completed_at) over (partition by rf.run_id order by rf.position, rf.attempt) as previous_completed
         from public.flow_sequence_run_flows as rf
         join public.jobs as j on j.id = rf.job_id
         where rf.run_id = any ($1::uuid[])
       )
       select
         (select array_agg(extract(epoch from (r.finished_at - r.created_at)) * 1000)
            from public.flow_sequence_runs as r where r.id = any ($1::uuid[])) as created_to_finished,
         (select array_agg(extract(epoch from (completed_at - created_at)) * 1000)
            from flow_jobs where flow_id = 'flow1') as first_job,
         (select array_agg(extract(epoch from (started_at - previous_completed)) * 1000)
            from flow_jobs where previous_completed is not null) as hop`,
      [timed],
    );
    const loadAfter = load();
    const row = server.rows[0]!;
    const result: FlowResult = {
      total: summarise(total),
      startCall: summarise(startCall),
      createdToFinished: summarise((row.created_to_finished ?? []).map(Number)),
      firstJob: summarise((row.first_job ?? []).map(Number)),
      hop: summarise((row.hop ?? []).map(Number)),
    };

    const line = (label: string, s: Summary) =>
      `  ${label.padEnd(60)}${fmt(s.median)}${fmt(s.p95)}`;
    console.log(
      `\nflow sequence runs: ${FLOWS} echo flows, run-flow-sequence → completed, polled every ${POLL_MS} ms; ${RUNS} runs one after another after ${WARMUP} warm-up`,
    );
    console.log(`  load average before ${loadBefore}, after ${loadAfter}`);
    console.log(`  ${''.padEnd(60)}${'p50'.padStart(11)}${'p95'.padStart(11)}`);
    console.log(line('run-flow-sequence call to completed seen', result.total));
    console.log(
      `      ${'p50'.padEnd(56)}${result.total.median.toFixed(2)} ms  (aim < ${TARGET_P50_MS} ms) ${result.total.median < TARGET_P50_MS ? 'meets' : 'MISSES'}`,
    );
    console.log('where the time goes (server side, from the runs’ rows)');
    console.log(line('run-flow-sequence answers 201 (client side)', result.startCall));
    console.log(line('run created → finished', result.createdToFinished));
    console.log(line("flow 1's job created → completed", result.firstJob));
    console.log(line("a flow's job completed → the next flow's job claimed", result.hop));
  } finally {
    await db.end().catch(() => undefined);
  }
}
