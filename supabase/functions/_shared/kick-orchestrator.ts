// Wakes the orchestrator right after a job becomes runnable (start, retry), so a job does
// not wait for the next cron tick. Fire and forget: the caller's response never waits for
// it, and a failed kick costs only that wait (cron picks the job up anyway).

type EdgeRuntimeGlobal = { EdgeRuntime?: { waitUntil?: (promise: Promise<unknown>) => void } };

export function kickOrchestrator(reason: string): void {
  const url = Deno.env.get('SUPABASE_URL');
  const key = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!url || !key) {
    console.error(JSON.stringify({ level: 'error', message: 'kick: SUPABASE_URL or key not set' }));
    return;
  }
  const kick = fetch(`${url}/functions/v1/workflow-orchestrator`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${key}`,
      apikey: key,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ source: 'kick', budget_ms: 5000 }),
    signal: AbortSignal.timeout(60_000),
  })
    .then(async (res) => {
      const text = await res.text();
      if (!res.ok) {
        console.error(
          JSON.stringify({
            level: 'warn',
            message: 'kick: the orchestrator answered with an error',
            reason,
            status: res.status,
            body: text.slice(0, 500),
          }),
        );
      }
    })
    .catch((err: unknown) => {
      console.error(
        JSON.stringify({ level: 'warn', message: 'kick failed', reason, error: String(err) }),
      );
    });
  // On hosted Supabase the worker may be torn down once the response is sent unless the
  // runtime is told about background work; elsewhere (Deno, the native stack) the promise
  // simply runs on.
  const runtime = (globalThis as EdgeRuntimeGlobal).EdgeRuntime;
  if (typeof runtime?.waitUntil === 'function') runtime.waitUntil(kick);
}
