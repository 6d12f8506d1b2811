import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { env } from './support/env.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  events,
  insertJobs,
  isFinal,
  ownerDb,
  runOrchestrator,
  saveWorkflow,
  sleep,
  waitForJob,
  type OrchestratorRun,
} from './support/orchestrator.ts';

// Several orchestrators at once, and one that dies mid-step. The ledger is the database's
// own history: every claim is one executor call (a worker runs the claimed step once), so
// one `claimed` and one `step_succeeded` event per (job, step) proves each step ran and was
// applied exactly once; the unique index on step_succeeded would refuse a second apply.

const JOBS = 2_000;
const ORCHESTRATORS = 4;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const denoBin = join(
  dirname(
    createRequire(join(repoRoot, 'packages/local-stack/package.json')).resolve('deno/package.json'),
  ),
  'deno',
);

const fx = createFixtures('orch-conc');
let owner: TestUser;
let organisationId: string;
let db: pg.Client;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const users = await fx.users('owner');
  owner = users.owner;
  organisationId = await fx.organisation(owner);
  db = await ownerDb();
  // The parallel orchestrators are the subject here, not the cap on one organisation's
  // running steps (default 100: a fourth invocation would find the organisation at its cap
  // and nothing to claim; the cap has its own tests in orchestrator-fairness.test.ts).
  await db.query('select public.set_organisation_queue_limit($1, 2000)', [organisationId]);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db?.end();
  await fx.cleanup();
});

describe('orchestrators in parallel', () => {
  it(`${ORCHESTRATORS} invocations at once run ${JOBS} two-step jobs, each step exactly once`, async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'parallel',
      definition: {
        start_step: 'one',
        steps: {
          one: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.payload' },
            next_step: 'two',
          },
          two: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.one.output.echoed_data' },
          },
        },
        output_map: { result: '$.two.output.echoed_data' },
      },
    });
    const ids = await insertJobs(db, {
      organisationId,
      userId: owner.id,
      workflow,
      inputs: Array.from({ length: JOBS }, (_, i) => ({ payload: i })),
    });

    const started = Date.now();
    const runs: OrchestratorRun[] = await Promise.all(
      Array.from({ length: ORCHESTRATORS }, () =>
        runOrchestrator({ budget_ms: 60_000, batch_size: 100 }),
      ),
    );
    // Cron's runs may have taken part too; wait for whatever they hold.
    const deadline = Date.now() + 60_000;
    let open = JOBS;
    while (open > 0 && Date.now() < deadline) {
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int as n from public.jobs
           where workflow_id = $1 and status not in ('completed', 'failed', 'cancelled')`,
        [workflow.id],
      );
      open = rows[0]!.n;
      if (open > 0) await sleep(200);
    }
    const elapsed = Date.now() - started;
    console.log(
      `${JOBS} two-step jobs (${2 * JOBS} steps) with ${ORCHESTRATORS} orchestrators: ` +
        `${elapsed} ms, ${Math.round((2 * JOBS * 1000) / elapsed)} steps/s; runs ` +
        JSON.stringify(runs.map((r) => [r.claimed, r.succeeded, r.lost])),
    );

    const { rows: statuses } = await db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from public.jobs where workflow_id = $1 group by status`,
      [workflow.id],
    );
    expect(statuses).toEqual([{ status: 'completed', n: JOBS }]);

    // The ledger: per (job, step) one claim and one success; per job one completion.
    const { rows: ledger } = await db.query<{
      claims: number;
      successes: number;
      failures: number;
      completions: number;
      n: number;
    }>(
      `with per_step as (
           select e.job_id, e.step_id,
             count(*) filter (where e.event_type = 'claimed')::int as claims,
             count(*) filter (where e.event_type = 'step_succeeded')::int as successes,
             count(*) filter (where e.event_type = 'step_failed')::int as failures,
             count(*) filter (where e.event_type = 'completed')::int as completions
           from public.job_events as e
           join public.jobs as j on j.id = e.job_id
           where j.workflow_id = $1 and e.step_id is not null
           group by e.job_id, e.step_id
         )
         select claims, successes, failures, completions, count(*)::int as n
         from per_step group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
      [workflow.id],
    );
    expect(ledger).toEqual([
      { claims: 1, successes: 1, failures: 0, completions: 0, n: JOBS },
      { claims: 1, successes: 1, failures: 0, completions: 1, n: JOBS },
    ]);

    const { rows: results } = await db.query<{ bad: number }>(
      `select count(*)::int as bad from public.jobs
         where workflow_id = $1
           and (final_result is distinct from jsonb_build_object('result', input_data -> 'payload')
                or step_data -> 'one' -> 'echoed_data' is distinct from input_data -> 'payload'
                or attempt <> 2 or locked_by is not null)`,
      [workflow.id],
    );
    expect(results[0]!.bad).toBe(0);
    // Every invocation found work: the queue was shared, not drained by the first.
    expect(runs.every((r) => r.claimed > 0)).toBe(true);
    expect(runs.reduce((sum, r) => sum + r.lost, 0)).toBe(0);
    expect(ids).toHaveLength(JOBS);
  }, 180_000);
});

describe('an orchestrator killed mid-step', () => {
  /** Starts the standalone worker; resolves once it has connected. */
  function startWorker(
    worker: string,
    leaseSeconds: number,
    workflowId: string,
  ): Promise<ChildProcess> {
    const child = spawn(
      denoBin,
      [
        'run',
        '-A',
        '--no-lock',
        '--node-modules-dir=none',
        join(repoRoot, 'supabase/functions/workflow-orchestrator/worker.ts'),
        `--worker=${worker}`,
        `--lease-seconds=${leaseSeconds}`,
        // Only this test's workflow: a worker killed holding other tests' jobs would
        // disturb them.
        `--workflow=${workflowId}`,
        '--idle-ms=10',
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
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr}`)), 90_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"worker ready"')) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}: ${stderr}`));
      });
    });
  }

  it('its job is picked up after the lease expires and its step applied exactly once', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'crash',
      definition: {
        start_step: 'slow',
        steps: {
          slow: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.payload', delay_ms: '$.job_input.delay_ms' },
          },
        },
        output_map: { result: '$.slow.output.echoed_data' },
      },
    });
    const worker = `crash-test:${Date.now()}`;
    const child = await startWorker(worker, 2, workflow.id);

    // The worker polls every 10 ms, cron every second: the worker almost always claims
    // first. If another orchestrator got there first, that job proves nothing: try again.
    let jobId: string | undefined;
    let payload = '';
    for (let round = 0; round < 5 && !jobId; round++) {
      const [id] = await insertJobs(db, {
        organisationId,
        userId: owner.id,
        workflow,
        inputs: [{ payload: `crash ${round}`, delay_ms: 3_000 }],
      });
      let claimedBy: unknown;
      while (claimedBy === undefined) {
        const claim = (await events(db, id!)).find((e) => e.event_type === 'claimed');
        claimedBy = claim?.data.worker;
        if (claimedBy === undefined) await sleep(10);
      }
      if (claimedBy === worker) {
        jobId = id;
        payload = `crash ${round}`;
      } else await waitForJob(db, id!, isFinal, { invoke: false });
    }
    expect(jobId).toBeDefined();

    // Mid-step: the executor is sleeping its 3 s.
    await sleep(500);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const done = await waitForJob(db, jobId!, isFinal, { timeoutMs: 30_000, everyMs: 250 });
    expect(done).toMatchObject({ status: 'completed', final_result: { result: payload } });
    const history = await events(db, jobId!);
    const claims = history.filter((e) => e.event_type === 'claimed');
    expect(claims[0]!.data).toEqual({ worker });
    expect(claims[1]!.data).toMatchObject({ lease_expired_from: worker });
    expect(claims[1]!.from_status).toBe('running');
    // The lease runs from the first claim's now() (its transaction's start); an event's
    // created_at is clock_timestamp(), a few ms into its statement, more under load (1 996 ms
    // seen on a loaded machine). The second claim cannot come before the lease's 2 s.
    expect(
      claims[1]!.created_at.getTime() - claims[0]!.created_at.getTime(),
    ).toBeGreaterThanOrEqual(1_900);
    const successes = history.filter((e) => e.event_type === 'step_succeeded');
    expect(successes).toHaveLength(1);
    expect(successes[0]!.attempt).toBe(claims.at(-1)!.attempt);
  }, 120_000);
});
