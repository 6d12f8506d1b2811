import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { stackAuthOptions } from './auth/config.ts';
import { createAuthHandler } from './auth/server.ts';
import { createStorageHandler } from './storage/server.ts';
import { startCron, type FunctionJob, type SqlJob } from './cron.ts';
import { applyBootstrap, applyMigrations, applySeed, runSql } from './database.ts';
import { startFunctions } from './functions.ts';
import { startGateway } from './gateway.ts';
import { randomBytes } from 'node:crypto';
import { createApiKeys } from './auth/keys.ts';
import { functionsDir } from './paths.ts';
import { freePortList } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';
import type { Service } from './process.ts';

/** What `stack status` prints and what tests and the web app are pointed at. */
export interface StackInfo {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  dbUrl: string;
  jwtSecret: string;
  dir: string;
  ports: Ports;
  pids: Record<string, number>;
  startedAt: string;
}

export interface Ports {
  api: number;
  db: number;
  rest: number;
  restAdmin: number;
  functions: number;
}

/** Fixed ports for the dev stack, Supabase's own where it has them. */
export const DEV_PORTS: Ports = {
  api: 54321,
  db: 54322,
  rest: 54330,
  restAdmin: 54331,
  functions: 54332,
};

export async function freePorts(): Promise<Ports> {
  const [api, db, rest, restAdmin, functions] = await freePortList(5);
  return { api: api!, db: db!, rest: rest!, restAdmin: restAdmin!, functions: functions! };
}

/**
 * Runs `start` on free ports, and once more on new ones if it fails: a port found free can
 * be taken by another process (a parallel test, say) before our service binds it.
 */
export async function withFreshPortsOnce<T>(start: (ports: Ports) => Promise<T>): Promise<T> {
  try {
    return await start(await freePorts());
  } catch {
    return start(await freePorts());
  }
}

export interface StackOptions {
  dir: string;
  ports: Ports;
  reset?: boolean;
  watchFunctions?: boolean;
  /** Seconds between cron ticks for scheduled functions (Supabase Cron's role). */
  cronIntervalSeconds?: number;
  /**
   * Extra environment for the functions, over supabase/functions/.env: `pnpm test` points
   * GEMINI_BASE_URL at its fake Gemini server and sets the executors' host lists.
   */
  functionsEnv?: Record<string, string>;
  /**
   * A stack for `pnpm test` and `pnpm bench`, never `pnpm dev`: execute-echo's test hooks on
   * (ECHO_TEST_HOOKS=1: delay_ms, fail_times, …), and the job-start rate limits raised out of
   * reach, as suites and benches start thousands of jobs at once (a test of the limits sets
   * its own per user or organisation in private.rate_limit_overrides).
   */
  testing?: boolean;
  log?: (line: string) => void;
}

/** What `testing` does to the database: start limits no suite or bench reaches. */
const TESTING_SQL = `update private.rate_limit_policies set capacity = 1000000000, refill_per_second = 1000000000`;

export interface RunningStack {
  info: StackInfo;
  stop(): Promise<void>;
}

interface Secrets {
  jwtSecret: string;
  dbPassword: string;
  authenticatorPassword: string;
}

/** Secrets live with the data, so a restarted stack keeps its keys and its database. */
function loadOrCreateSecrets(dir: string): Secrets {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const random = (): string => randomBytes(32).toString('base64url');
  const secrets: Secrets = {
    jwtSecret: random(),
    dbPassword: random(),
    authenticatorPassword: random(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Functions Supabase Cron calls on a schedule, when they exist in supabase/functions. */
function scheduledFunctions(everySeconds: number): FunctionJob[] {
  return ['workflow-orchestrator']
    .filter((name) => existsSync(join(functionsDir, name, 'index.ts')))
    .map((functionName) => ({ functionName, everySeconds }));
}

/**
 * SQL the migrations schedule with pg_cron where it exists (see `cron.schedule` calls in
 * supabase/migrations); each runs here only once its function exists.
 */
async function scheduledSql(pool: pg.Pool, everySeconds: number): Promise<SqlJob[]> {
  const candidates = [
    {
      name: 'resume-due-sequences',
      fn: 'public.resume_due_sequences()',
      sql: 'select public.resume_due_sequences()',
    },
    {
      // Daily on hosted Supabase; here at the ticker's interval, which costs one index probe
      // per table (the trash's partial indexes) when nothing is due.
      name: 'purge-trash',
      fn: 'public.purge_trash()',
      sql: 'select public.purge_trash()',
    },
    {
      // Every 30 s on hosted Supabase; here every tick, one batch of 1,000 expired jobs in
      // its own short transaction (an index probe per organisation when nothing is due).
      name: 'purge-expired-jobs',
      fn: 'public.purge_expired_jobs(integer)',
      sql: 'select public.purge_expired_jobs(1000)',
    },
  ];
  const jobs: SqlJob[] = [];
  for (const job of candidates) {
    const { rows } = await pool.query<{ present: boolean }>(
      'select to_regprocedure($1) is not null as present',
      [job.fn],
    );
    if (rows[0]?.present) jobs.push({ name: job.name, sql: job.sql, everySeconds });
  }
  return jobs;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  if (options.reset) rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(join(options.dir, 'logs'), { recursive: true });
  const secrets = loadOrCreateSecrets(options.dir);
  const { ports } = options;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const keys = createApiKeys(secrets.jwtSecret);
  const logFile = (name: string): string => join(options.dir, 'logs', `${name}.log`);

  const services: Service[] = [];
  let gateway: Server | undefined;
  let cron: { stop(): void } | undefined;
  let pool: pg.Pool | undefined;

  const stop = async (): Promise<void> => {
    cron?.stop();
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
    gateway?.closeAllConnections();
    await pool?.end().catch(() => undefined);
    // Reverse start order: Postgres last, with a fast shutdown (SIGINT) that still checkpoints.
    for (const service of [...services].reverse()) {
      await service.stop(service.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
    }
  };

  try {
    log('starting Postgres');
    const seedMarker = join(options.dir, 'seed-pending');
    const postgres = await startPostgres({
      dataDir: join(options.dir, 'db'),
      port: ports.db,
      password: secrets.dbPassword,
      logFile: logFile('postgres'),
      seedMarker,
    });
    services.push(postgres.service);
    const dbUrl = postgres.url;

    log('applying bootstrap and migrations');
    await applyBootstrap(dbUrl, secrets.authenticatorPassword);
    await applyMigrations(dbUrl);
    if (options.testing) await runSql(dbUrl, TESTING_SQL);
    // Seed a new database once. The marker outlives a start that fails half-way (a port
    // taken, say), so a retry still seeds the cluster initdb made.
    if (existsSync(seedMarker)) {
      log('loading seed.sql');
      await applySeed(dbUrl);
      rmSync(seedMarker);
    }

    log('starting PostgREST');
    services.push(
      await startPostgrest({
        configFile: join(options.dir, 'postgrest.conf'),
        logFile: logFile('postgrest'),
        dbPort: ports.db,
        authenticatorPassword: secrets.authenticatorPassword,
        jwtSecret: secrets.jwtSecret,
        port: ports.rest,
        adminPort: ports.restAdmin,
      }),
    );

    log('starting edge functions (Deno)');
    services.push(
      await startFunctions({
        port: ports.functions,
        logFile: logFile('functions'),
        watch: options.watchFunctions ?? false,
        env: {
          ...(options.testing ? { ECHO_TEST_HOOKS: '1' } : {}),
          ...options.functionsEnv,
          SUPABASE_URL: apiUrl,
          SUPABASE_ANON_KEY: keys.anonKey,
          SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
          SUPABASE_DB_URL: dbUrl,
          // The functions verify JWT signatures themselves (_shared/claims.ts).
          SUPABASE_JWT_SECRET: secrets.jwtSecret,
        },
      }),
    );

    pool = new pg.Pool({ connectionString: dbUrl, max: 5 });
    // An idle connection dropping (Postgres restarting) must not take the whole stack down.
    pool.on('error', (err) => log(`auth pool: ${err.message}`));
    // config.toml's [auth] settings; `testing` lifts the sign-in and sign-up rate limits.
    const auth = createAuthHandler({
      ...stackAuthOptions(options),
      pool,
      jwtSecret: secrets.jwtSecret,
      apiUrl,
    });
    gateway = await startGateway({
      port: ports.api,
      restPort: ports.rest,
      functionsPort: ports.functions,
      auth,
      // Object bytes beside the database, so a reset (rm -rf the dir) clears both.
      storage: createStorageHandler({
        pool,
        jwtSecret: secrets.jwtSecret,
        dataDir: join(options.dir, 'storage'),
      }),
      jwtSecret: secrets.jwtSecret,
    });

    const interval = options.cronIntervalSeconds ?? 5;
    cron = startCron({
      apiUrl,
      serviceRoleKey: keys.serviceRoleKey,
      functions: scheduledFunctions(interval),
      sql: await scheduledSql(pool, interval),
      pool,
      onError: (job, err) => log(`cron: ${job} failed: ${String(err)}`),
    });

    const info: StackInfo = {
      apiUrl,
      anonKey: keys.anonKey,
      serviceRoleKey: keys.serviceRoleKey,
      dbUrl,
      jwtSecret: secrets.jwtSecret,
      dir: options.dir,
      ports,
      pids: Object.fromEntries(services.map((s) => [s.name, s.child.pid ?? -1])),
      startedAt: new Date().toISOString(),
    };
    return { info, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
