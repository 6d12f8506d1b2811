import type pg from 'pg';

/**
 * Plays Supabase Cron locally. On Supabase, pg_cron runs two kinds of job for us: HTTP calls
 * to scheduled functions (through pg_net, with the service role key) and plain SQL. The
 * native Postgres has neither extension, so this ticker does both. A tick is skipped while
 * the previous run of the same job is still going, as pg_cron does.
 */
export interface FunctionJob {
  functionName: string;
  everySeconds: number;
}

export interface SqlJob {
  /** The pg_cron job name the migrations use, for logs. */
  name: string;
  sql: string;
  everySeconds: number;
}

export interface CronOptions {
  apiUrl: string;
  serviceRoleKey: string;
  functions: FunctionJob[];
  sql: SqlJob[];
  pool: pg.Pool;
  onError?: (job: string, error: unknown) => void;
}

function every(
  seconds: number,
  run: () => Promise<unknown>,
  onError: (error: unknown) => void,
): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch(onError)
      .finally(() => (running = false));
  }, seconds * 1000);
}

export function startCron(options: CronOptions): { stop(): void } {
  const report = (job: string) => (error: unknown) => options.onError?.(job, error);
  const timers = [
    ...options.functions.map((job) =>
      every(
        job.everySeconds,
        async () => {
          const res = await fetch(`${options.apiUrl}/functions/v1/${job.functionName}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${options.serviceRoleKey}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ source: 'cron' }),
          });
          await res.body?.cancel();
        },
        report(job.functionName),
      ),
    ),
    ...options.sql.map((job) =>
      every(job.everySeconds, () => options.pool.query(job.sql), report(job.name)),
    ),
  ];
  return { stop: () => timers.forEach(clearInterval) };
}
