import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { env } from './env.ts';

/**
 * Helpers for the orchestrator and monitoring tests. Workflows are saved through
 * `public.save_workflow` (the SQL checks included) as the database owner; jobs are inserted
 * as the owner too, "manually" as seed 003 iteration 5 puts it, many in one statement, so a
 * test controls exactly what is in the queue. Outcomes are polled for: under `pnpm test` the
 * stack's cron runs the orchestrator every second alongside the test's own invocations.
 */

export interface JobRow {
  id: string;
  status: string;
  current_step_id: string | null;
  step_data: Record<string, unknown>;
  final_result: unknown;
  error_message: string | null;
  error_code: string | null;
  retry_count: number;
  max_retries: number;
  next_retry_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  last_updated_at: string;
  attempt: number;
  locked_by: string | null;
}

export interface EventRow {
  id: string;
  event_type: string;
  step_id: string | null;
  transformer_id: string | null;
  attempt: number | null;
  from_status: string | null;
  to_status: string | null;
  duration_ms: number | null;
  message: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export async function ownerDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env.dbUrl });
  await client.connect();
  return client;
}

/** Saves a workflow (version 1) as `userId`, an admin of the organisation. */
export async function saveWorkflow(
  db: pg.Client,
  options: {
    organisationId: string;
    userId: string;
    key: string;
    definition: unknown;
    retryPolicy?: Record<string, unknown>;
  },
): Promise<{ id: string; version: number }> {
  const { rows } = await db.query<{ w: { id: string; version: number } }>(
    `select public.save_workflow($1, $2, null, $3, $4, null, $5::jsonb, $6::jsonb) as w`,
    [
      options.userId,
      options.organisationId,
      options.key,
      options.key,
      JSON.stringify(options.definition),
      JSON.stringify(options.retryPolicy ?? {}),
    ],
  );
  return rows[0]!.w;
}

/**
 * Inserts a workflow and its version 1 directly, skipping every check save_workflow makes:
 * how a broken definition could still reach the queue (an operator's hand edit).
 */
export async function insertRawWorkflow(
  db: pg.Client,
  options: { organisationId: string; userId: string; key: string; definition: unknown },
): Promise<{ id: string; version: number }> {
  const { rows } = await db.query<{ id: string }>(
    `with w as (
       insert into public.workflows (organisation_id, key, name, definition, created_by, updated_by)
       values ($1, $3, $3, $4::jsonb, $2, $2) returning id
     ), v as (
       insert into public.workflow_versions (organisation_id, workflow_id, version, definition, retry_policy, created_by)
       select $1, w.id, 1, $4::jsonb, '{}'::jsonb, $2 from w
     )
     select id from w`,
    [options.organisationId, options.userId, options.key, JSON.stringify(options.definition)],
  );
  return { id: rows[0]!.id, version: 1 };
}

/** Inserts pending jobs (one per input) with their `created` events; returns their ids in order. */
export async function insertJobs(
  db: pg.Client,
  options: {
    organisationId: string;
    userId: string;
    workflow: { id: string; version: number };
    inputs: unknown[];
    maxRetries?: number;
  },
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `with input as (
       select value, ordinality from jsonb_array_elements($5::jsonb) with ordinality
     ), j as (
       insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries)
       select $1, $3, $4, $2, input.value, $6 from input order by input.ordinality
       returning id, organisation_id, user_id
     ), e as (
       insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status)
       select organisation_id, id, user_id, 'created', 'pending' from j
     )
     select id from j`,
    [
      options.organisationId,
      options.userId,
      options.workflow.id,
      options.workflow.version,
      JSON.stringify(options.inputs),
      options.maxRetries ?? 3,
    ],
  );
  // insert … select keeps the select's order for the returned rows in practice; the tests
  // that care about which input became which job read input_data back instead.
  return rows.map((r) => r.id);
}

export interface OrchestratorRun {
  worker: string;
  claimed: number;
  succeeded: number;
  failed: number;
  lost: number;
  duration_ms: number;
}

export async function invokeOrchestrator(
  body: Record<string, unknown> = {},
  key: string = env.serviceRoleKey,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${env.url}/functions/v1/workflow-orchestrator`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

export async function runOrchestrator(
  body: Record<string, unknown> = {},
): Promise<OrchestratorRun> {
  const res = await invokeOrchestrator(body);
  if (res.status !== 200)
    throw new Error(`orchestrator answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as OrchestratorRun;
}

export async function job(db: pg.Client, id: string): Promise<JobRow> {
  const { rows } = await db.query<JobRow>(`select * from public.jobs where id = $1`, [id]);
  if (!rows[0]) throw new Error(`no job ${id}`);
  return rows[0];
}

export async function events(db: pg.Client, jobId: string): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `select * from public.job_events where job_id = $1 order by id`,
    [jobId],
  );
  return rows;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `done` holds for the job, invoking the orchestrator between polls (cron does
 * too under `pnpm test`; a stack started by hand ticks only every 5 s).
 */
export async function waitForJob(
  db: pg.Client,
  id: string,
  done: (job: JobRow) => boolean,
  options: { timeoutMs?: number; invoke?: boolean; everyMs?: number } = {},
): Promise<JobRow> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const row = await job(db, id);
    if (done(row)) return row;
    if (Date.now() > deadline)
      throw new Error(`job ${id} is still ${row.status} (${JSON.stringify(row)})`);
    if (options.invoke ?? true) await runOrchestrator({ budget_ms: 2_000 });
    await sleep(options.everyMs ?? 100);
  }
}

export const isFinal = (j: JobRow) => ['completed', 'failed', 'cancelled'].includes(j.status);

export const echoStep = (extra: Record<string, unknown> = {}) => ({
  transformer_id: 'echo-transformer',
  input_map: { data: '$.job_input.payload' },
  next_step: null,
  ...extra,
});

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const denoBin = join(
  dirname(
    createRequire(join(repoRoot, 'packages/local-stack/package.json')).resolve('deno/package.json'),
  ),
  'deno',
);

export interface Worker {
  child: ChildProcess;
  /** Every JSON line the worker printed on stdout so far, parsed. */
  lines: Record<string, unknown>[];
  /** SIGTERM, then waits for it to exit (it finishes the steps it holds first). */
  stop(): Promise<void>;
}

/**
 * Starts the standalone orchestrator (workflow-orchestrator/worker.ts) on only these
 * workflows' jobs, so it disturbs no other test; resolves once it is connected.
 */
export function startWorker(options: {
  worker: string;
  workflowIds: string[];
  leaseSeconds?: number;
  idleMs?: number;
}): Promise<Worker> {
  const child = spawn(
    denoBin,
    [
      'run',
      '-A',
      '--no-lock',
      '--node-modules-dir=none',
      join(repoRoot, 'supabase/functions/workflow-orchestrator/worker.ts'),
      `--worker=${options.worker}`,
      `--lease-seconds=${options.leaseSeconds ?? 30}`,
      `--workflow=${options.workflowIds.join(',')}`,
      `--idle-ms=${options.idleMs ?? 10}`,
    ],
    {
      env: {
        ...process.env,
        SUPABASE_URL: env.url,
        SUPABASE_SERVICE_ROLE_KEY: env.serviceRoleKey,
        SUPABASE_DB_URL: env.dbUrl,
        DENO_NO_UPDATE_CHECK: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start: ${stderr}`));
    }, 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.trim()) continue;
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          lines.push({ unparsed: line });
        }
        if (line.includes('"worker ready"')) {
          clearTimeout(timer);
          resolve({ child, lines, stop });
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${stderr}`));
    });
  });
}
