// POST /functions/v1/workflow-webhook/<trigger id> — a signed delivery from another system
// starts the trigger's workflow (issue 14 §3; docs/automation-contract.md "Webhooks";
// docs/automation/webhooks.md). No user JWT (config.toml: verify_jwt = false): the trigger's
// secret is the credential.
//
//   trigger id ──webhook_delivery_target──▶ null: 404 (unknown, disabled, archived: alike)
//   Idempotency-Key (400) · body ≤ 1 MiB (413)
//   Forkflow-Signature over "<t>.<raw body>" with the secret, |now − t| ≤ 300 s ──▶ 401
//   body is JSON (400)
//   deliver_workflow_webhook ──▶ replay | 429 (the trigger's bucket) | firing + job ──▶ 202
//
// Nothing is written before the signature holds: a bad one leaves no firing, no job and no
// spent token (strangers cannot use up a trigger's rate limit). Two service-role calls per
// delivery: the secret must reach this function to check the HMAC, and the firing must not
// happen before it is checked.
import { createServiceClient } from '../_shared/clients.ts';
import { isUuid } from '../_shared/domain/ids.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { findUnstorable, jsonDepthExceeds } from '../_shared/jsonb-text.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { readCapped } from '../_shared/read-capped.ts';
import { annotate } from '../_shared/request-log.ts';
import { MAX_BODY_DEPTH } from '../_shared/request.ts';
import { verifySignature } from './signature.ts';

/** The contract's limit; a larger payload belongs in Storage, the delivery carrying its path. */
const MAX_BODY_BYTES = 1024 * 1024;

type Target = { trigger_id: string; organisation_id: string; workflow_id: string; secret: string };
type Fired = {
  firing_id?: string;
  job_id?: string | null;
  replayed?: boolean;
  status?: string;
  error?: { code?: string; message?: string } | null;
};

/** fire_workflow_trigger's reasons that mean the trigger cannot fire at all (…009400). */
const GONE = new Set(['trigger_disabled', 'workflow_not_found', 'workflow_archived']);

const notFound = () => new HttpError(404, 'not_found', 'No such webhook');

function triggerIdOf(req: Request): string {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean);
  const at = parts.lastIndexOf('workflow-webhook');
  const id = at >= 0 ? parts[at + 1] : undefined;
  if (!id || !isUuid(id) || parts.length > at + 2) throw notFound();
  return id.toLowerCase();
}

function parseJson(raw: Uint8Array): unknown {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new HttpError(400, 'invalid_input', 'The body must be JSON (UTF-8)');
  }
  if (jsonDepthExceeds(body, MAX_BODY_DEPTH))
    throw new HttpError(
      400,
      'invalid_input',
      `The body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels`,
    );
  if (findUnstorable(body))
    throw new HttpError(
      400,
      'invalid_input',
      'The body contains U+0000 or a lone surrogate, which cannot be stored',
    );
  return body;
}

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const triggerId = triggerIdOf(req);
    annotate(req, { trigger_id: triggerId });
    const service = createServiceClient();

    const looked = await service.rpc('webhook_delivery_target', { p_trigger_id: triggerId });
    if (looked.error) throw httpErrorFromPostgrest(looked.error, looked.status);
    const target = looked.data as Target | null;
    if (!target) throw notFound();

    const key = req.headers.get('Idempotency-Key');
    if (key === null || key.length < 1 || key.length > 200)
      throw new HttpError(
        400,
        'invalid_input',
        'Idempotency-Key is required: 1 to 200 characters naming this delivery',
      );
    const raw = await readCapped(
      req,
      MAX_BODY_BYTES,
      () =>
        new HttpError(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`),
    );
    const signed = await verifySignature(
      target.secret,
      req.headers.get('Forkflow-Signature'),
      raw,
      Math.floor(Date.now() / 1000),
    );
    if (!signed)
      throw new HttpError(
        401,
        'invalid_signature',
        'Forkflow-Signature is missing, malformed, too old or not made with this webhook’s secret',
      );
    const body = parseJson(raw);

    const fired = await service.rpc('deliver_workflow_webhook', {
      p_trigger_id: triggerId,
      p_idempotency_key: key,
      p_body: body,
    });
    if (fired.error) {
      const error = httpErrorFromPostgrest(fired.error, fired.status);
      // Deleted since the look-up: the same answer as an unknown id.
      throw error.status === 404 ? notFound() : error;
    }
    const result = fired.data as Fired;
    annotate(req, { job_id: result.job_id ?? null, organisation_id: target.organisation_id });
    if (!result.job_id) {
      // Disabled, archived or trashed since the look-up: as unknown. A firing that could not
      // start for another reason (the trigger's run-as member left) says why.
      const reason = result.error?.code ?? '';
      if (GONE.has(reason)) throw notFound();
      throw new HttpError(
        409,
        'not_started',
        result.error?.message ?? 'The trigger fired but could not start its workflow',
      );
    }
    if (!result.replayed) kickOrchestrator('workflow-webhook');
    return json(202, { job_id: result.job_id, replayed: result.replayed === true });
  }),
);
