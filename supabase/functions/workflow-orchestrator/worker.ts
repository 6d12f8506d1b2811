// The orchestrator as a standalone process, for operators who prefer a long-running worker
// to cron-invoked runs, and for the crash test (kill -9 mid-step; another orchestrator must
// pick the job up once the lease expires):
//
//   SUPABASE_URL=… SUPABASE_SERVICE_ROLE_KEY=… SUPABASE_DB_URL=… \
//     deno run -A --node-modules-dir=none supabase/functions/workflow-orchestrator/worker.ts \
//     [--worker=ID] [--lease-seconds=N] [--batch-size=N] [--concurrency=N]
//     [--executor-batch=N] [--idle-ms=N]
//     [--workflow=UUID[,UUID…]] [--once]
//
// It runs the same loop as the edge function, back to back, polling every idle-ms (default
// 100) while the queue is empty; --workflow limits it to those workflows' jobs. Prints one JSON line `{"msg":"worker ready"}` once connected.
import { log } from '../_shared/logger.ts';
import { runOrchestrator } from './orchestrator.ts';
import { parseOptions } from './options.ts';
import { queueFromEnv } from './queue.ts';

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const arg = Deno.args.find((a) => a === `--${name}` || a.startsWith(prefix));
  if (arg === undefined) return undefined;
  return arg === `--${name}` ? 'true' : arg.slice(prefix.length);
}
const num = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));

const supabaseUrl = Deno.env.get('SUPABASE_URL');
const serviceRoleKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
if (!supabaseUrl || !serviceRoleKey) {
  console.error('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY must be set');
  Deno.exit(2);
}
const queue = queueFromEnv((name) => Deno.env.get(name));
const target = { functionsUrl: `${supabaseUrl}/functions/v1`, serviceRoleKey };
const options = parseOptions({
  worker: flag('worker') ?? `worker:${crypto.randomUUID()}`,
  lease_seconds: num('lease-seconds'),
  batch_size: num('batch-size'),
  concurrency: num('concurrency'),
  executor_batch: num('executor-batch'),
  budget_ms: 60_000,
  workflow_ids: flag('workflow')?.split(','),
});
const idleMs = num('idle-ms') ?? 100;
const once = flag('once') !== undefined;

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => (stopping = true));
}

await queue.ready(); // connects, so "ready" means ready
log('info', 'worker ready', { worker: options.worker, queue: queue.kind });

while (!stopping) {
  const summary = await runOrchestrator(queue, target, options);
  if (once) break;
  if (summary.claimed === 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
}
Deno.exit(0);
