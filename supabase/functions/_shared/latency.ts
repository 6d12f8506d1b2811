// Response times into Postgres, for the per-function latency histograms (migration
// …_function_latency.sql; Prometheus via workflow-metrics, p50/p95 on the Monitoring page).
// On hosted Supabase each function runs in its own isolates, so only the database sees them
// all. Durations are buffered per isolate and sent together by one RPC a second at most,
// after the response has gone: a request never waits for it, and a busy executor (hundreds
// of calls a second) costs one small write a second, not one per call. Best effort: a
// failed write is logged and its durations dropped; an isolate that dies loses at most its
// last second.
import { log } from './logger.ts';

/** How long durations wait in the buffer; also the most a recorded call waits to show. */
const FLUSH_AFTER_MS = 1_000;
/** Sent at once when this many wait (record_function_durations takes 10 000 a call). */
const FLUSH_AT = 5_000;

type Env = { get(name: string): string | undefined };

let buffer = new Map<string, number[]>();
let buffered = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let sending: Promise<void> = Promise.resolve();

/** Deno's environment; absent under Node (unit tests of handlers), where nothing is sent. */
const denoEnv = (): Env | undefined => (globalThis as { Deno?: { env: Env } }).Deno?.env;

/** Supabase's edge runtime keeps an isolate alive for a promise passed to waitUntil. */
const waitUntil = (promise: Promise<unknown>): void =>
  (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime?.waitUntil(
    promise,
  );

export function recordDuration(functionName: string, durationMs: number): void {
  const env = denoEnv();
  if (!env?.get('SUPABASE_URL') || !env.get('SUPABASE_SERVICE_ROLE_KEY')) return;
  const list = buffer.get(functionName);
  const ms = Math.round(durationMs * 10) / 10;
  if (list) list.push(ms);
  else buffer.set(functionName, [ms]);
  buffered++;
  // A full buffer goes at once; a pending timer then sends what came after, if anything.
  if (buffered >= FLUSH_AT) waitUntil(flush(env));
  else if (timer === undefined) {
    let done!: () => void;
    waitUntil(new Promise<void>((resolve) => (done = resolve)));
    timer = setTimeout(() => {
      timer = undefined;
      void flush(env).finally(done);
    }, FLUSH_AFTER_MS);
  }
}

/** Sends what is buffered; one send at a time, so two never race on the same rows. */
function flush(env: Env): Promise<void> {
  if (buffered === 0) return sending;
  const samples = Object.fromEntries(buffer);
  buffer = new Map();
  buffered = 0;
  sending = sending.then(() => send(env, samples));
  return sending;
}

async function send(env: Env, samples: Record<string, number[]>): Promise<void> {
  const key = env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '';
  try {
    const res = await fetch(`${env.get('SUPABASE_URL')}/rest/v1/rpc/record_function_durations`, {
      method: 'POST',
      headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ p_samples: samples }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) await res.body?.cancel();
    else
      log('warn', 'durations not recorded', {
        status: res.status,
        error: (await res.text()).slice(0, 300),
      });
  } catch (err) {
    log('warn', 'durations not recorded', { error: String(err) });
  }
}
