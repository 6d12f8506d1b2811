// Wakes the orchestrator right after a job becomes runnable (start, retry), so a job does
// not wait for the next cron tick. Fire and forget: the caller's response never waits for
// it, and a failed kick costs only that wait (cron picks the job up anyway).
//
// A kicked run loops claim → run → finish until the queue is empty, so one run in flight
// serves every job started meanwhile. Each isolate therefore keeps at most a few kicks in
// flight and folds the rest into one more kick when one ends (that run sees any job that
// committed after the others last looked), rather than one orchestrator request per start
// under load.

type EdgeRuntimeGlobal = { EdgeRuntime?: { waitUntil?: (promise: Promise<unknown>) => void } };

const MAX_IN_FLIGHT = 4;
let inFlight = 0;
let owed: string | null = null;

function log(message: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level: 'warn', message, ...fields }));
}

async function send(url: string, key: string, reason: string): Promise<void> {
  try {
    const res = await fetch(`${url}/functions/v1/workflow-orchestrator`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, apikey: key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ source: 'kick', budget_ms: 5000 }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok) {
      log('kick: the orchestrator answered with an error', {
        reason,
        status: res.status,
        body: text.slice(0, 500),
      });
    }
  } catch (err) {
    log('kick failed', { reason, error: String(err) });
  }
}

export function kickOrchestrator(reason: string): void {
  const url = Deno.env.get('SUPABASE_URL');
  const key = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!url || !key) {
    log('kick: SUPABASE_URL or SUPABASE_SERVICE_ROLE_KEY is not set', { reason });
    return;
  }
  if (inFlight >= MAX_IN_FLIGHT) {
    owed = reason;
    return;
  }
  inFlight++;
  const kick = send(url, key, reason).finally(() => {
    inFlight--;
    if (owed !== null) {
      const next = owed;
      owed = null;
      kickOrchestrator(next);
    }
  });
  // On hosted Supabase the worker may be torn down once the response is sent unless the
  // runtime is told about background work; elsewhere (Deno, the native stack) the promise
  // simply runs on.
  const runtime = (globalThis as EdgeRuntimeGlobal).EdgeRuntime;
  if (typeof runtime?.waitUntil === 'function') runtime.waitUntil(kick);
}
