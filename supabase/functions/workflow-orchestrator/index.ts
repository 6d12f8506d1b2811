// POST /functions/v1/workflow-orchestrator — runs due workflow steps until the queue is empty
// or the time budget is spent (docs/workflows-contract.md, "Orchestrator"). Called by cron
// every few seconds and kicked by start-workflow; service role only.
//
// Each run also starts the jobs of automated sequence tasks that are due
// (_shared/automated-steps.ts), so a step that came due runs within one cron interval.
//
// Body (optional): { budget_ms?, batch_size?, concurrency?, executor_batch?, lease_seconds?,
// worker?, log_steps?, workflow_ids?, automated_steps? }. Answers { worker, claimed, succeeded,
// failed, lost, automated_started, automated_needs_attention, duration_ms }.
import { handle, HttpError, json } from '../_shared/http.ts';
import { requireServiceRole } from '../_shared/claims.ts';
import { readCapped } from '../_shared/read-capped.ts';
import { runOrchestrator } from './orchestrator.ts';
import { OptionsError, parseOptions } from './options.ts';
import { queueFromEnv } from './queue.ts';

// Module scope: the connection pool stays warm across invocations of this isolate.
const queue = queueFromEnv((name) => Deno.env.get(name));
const target = {
  functionsUrl: `${Deno.env.get('SUPABASE_URL')}/functions/v1`,
  serviceRoleKey: Deno.env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '',
};

Deno.serve(
  handle(async (req) => {
    await requireServiceRole(req);
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    // Options and a few workflow ids: 64 KiB leaves room and no more.
    const maxBytes = 64 * 1024;
    const text = new TextDecoder().decode(
      await readCapped(
        req,
        maxBytes,
        () => new HttpError(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes`),
      ),
    );
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new HttpError(400, 'invalid_request', 'The body must be JSON');
    }
    let options;
    try {
      options = parseOptions(body);
    } catch (err) {
      if (err instanceof OptionsError) throw new HttpError(400, 'invalid_request', err.message);
      throw err;
    }
    return json(200, await runOrchestrator(queue, target, options));
  }),
);
