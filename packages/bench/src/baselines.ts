// The two floors the workflow engine's throughput is read against, both on the stack's own
// Postgres server but in a throwaway database (created here, dropped after), so nothing they
// create is ever seen by `supabase db advisors`, type generation or the app's schemas.
import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** The installed graphile-worker's version, for the printed label. */
export function graphileWorkerVersion(): string {
  const main = createRequire(import.meta.url).resolve('graphile-worker');
  const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Jobs done per second in one timed round. */
export interface Round {
  jobs: number;
  ms: number;
  perSecond: number;
}

export const round = (jobs: number, ms: number): Round => ({
  jobs,
  ms,
  perSecond: (jobs * 1000) / ms,
});

/** A throughput measurement run round by round, so rounds of several can be interleaved. */
export interface RoundRunner {
  round(jobs: number): Promise<Round>;
  close(): Promise<void>;
}

/** Only warnings and errors: graphile-worker's info lines would time the console, not the queue. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`graphile-worker: ${message}`);
});

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Runs `body` against a new database on the same server as `serverUrl` (which must be a
 * superuser's, as the stack's `SUPABASE_DB_URL` is), and drops it afterwards whatever happens.
 */
export async function withThrowawayDatabase<T>(
  serverUrl: string,
  body: (url: string) => Promise<T>,
): Promise<T> {
  const name = `bench_throwaway_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    try {
      return await body(databaseUrl(serverUrl, name));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Pools we end and await ourselves: those graphile-worker makes from a connection string are
 * ended without waiting, and an idle client of one then crashes the process with an
 * unhandled error when the throwaway database is dropped.
 */
function quietPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * graphile-worker with its defaults (no local queue, no batched completion) at `concurrency`,
 * a no-op task. Per round: the jobs are added in one `addJobs` call while no worker runs,
 * then the clock starts with `run()` and stops at the last job's `job:success`, so worker
 * start-up (pool connections, LISTEN) is inside the figure, as an orchestrator's is.
 */
export async function graphileWorker(url: string, concurrency: number): Promise<RoundRunner> {
  const utilsPool = quietPool(url, 2);
  await runMigrations({ pgPool: utilsPool, logger: quietLogger });
  const utils = await makeWorkerUtils({ pgPool: utilsPool, logger: quietLogger });
  let rounds = 0;
  return {
    async round(jobs) {
      const r = rounds++;
      await utils.addJobs(
        Array.from({ length: jobs }, (_, i) => ({ identifier: 'noop', payload: { r, i } })),
      );
      let done = 0;
      let failed = 0;
      let finish!: () => void;
      const allDone = new Promise<void>((resolve) => (finish = resolve));
      const timeout = setTimeout(finish, 120_000);
      const started = performance.now();
      // graphile-worker's default pool size, 10.
      const pgPool = quietPool(url, 10);
      const runner = await run({
        pgPool,
        concurrency,
        noHandleSignals: true,
        logger: quietLogger,
        taskList: { noop: async () => undefined },
      });
      runner.events.on('job:success', () => {
        if (++done === jobs) finish();
      });
      runner.events.on('job:error', () => void failed++);
      await allDone;
      const ms = performance.now() - started;
      clearTimeout(timeout);
      await runner.stop();
      await pgPool.end();
      if (done < jobs)
        throw new Error(
          `graphile-worker completed ${done} of ${jobs} no-op jobs in 120 s (${failed} failed)`,
        );
      return round(jobs, ms);
    },
    close: async () => {
      await utils.release();
      await utilsPool.end();
    },
  };
}

/**
 * The plain-SQL floor: one connection, each statement claims one due job with
 * `for update skip locked` and completes it, until none is left.
 */
export async function sqlClaimAndComplete(url: string): Promise<RoundRunner> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`
    create table bench_queue (
      id bigint generated always as identity primary key,
      status text not null default 'pending' check (status in ('pending', 'completed')),
      payload jsonb not null,
      available_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index bench_queue_due on bench_queue (available_at, id) where status = 'pending';
  `);
  let rounds = 0;
  return {
    async round(jobs) {
      await db.query(
        `insert into bench_queue (payload) select jsonb_build_object('r', $1::int, 'i', g) from generate_series(1, $2::int) g`,
        [rounds++, jobs],
      );
      await db.query('analyze bench_queue');
      let done = 0;
      const started = performance.now();
      for (;;) {
        const { rowCount } = await db.query({
          name: 'claim-and-complete',
          text: `with j as (
                   select id from bench_queue
                   where status = 'pending' and available_at <= now()
                   order by available_at, id
                   for update skip locked
                   limit 1
                 )
                 update bench_queue q set status = 'completed', completed_at = now()
                 from j where q.id = j.id
                 returning q.id, q.payload`,
        });
        if (!rowCount) break;
        done++;
      }
      const ms = performance.now() - started;
      if (done !== jobs) throw new Error(`the SQL floor completed ${done} of ${jobs} jobs`);
      return round(jobs, ms);
    },
    close: () => db.end(),
  };
}
