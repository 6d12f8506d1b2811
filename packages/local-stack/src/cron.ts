/**
 * Plays Supabase Cron (pg_cron + pg_net) locally: every interval it POSTs to a scheduled
 * function with the service role key, as the migration's cron job does on Supabase.
 * A tick is skipped while the previous call to the same function is still running.
 */
export interface CronJob {
  functionName: string;
  everySeconds: number;
}

export interface CronOptions {
  apiUrl: string;
  serviceRoleKey: string;
  jobs: CronJob[];
  onError?: (job: CronJob, error: unknown) => void;
}

export function startCron(options: CronOptions): { stop(): void } {
  const timers = options.jobs.map((job) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      fetch(`${options.apiUrl}/functions/v1/${job.functionName}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.serviceRoleKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ source: 'cron' }),
      })
        .then((res) => res.body?.cancel())
        .catch((err: unknown) => options.onError?.(job, err))
        .finally(() => (running = false));
    }, job.everySeconds * 1000);
  });
  return { stop: () => timers.forEach(clearInterval) };
}
