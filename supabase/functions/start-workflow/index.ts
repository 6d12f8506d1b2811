// POST /functions/v1/start-workflow { workflow_id, input_data, organisation_id?, rerun_of? }
// (header Idempotency-Key optional) — starts a job as the caller (seed 003 iteration 2;
// docs/workflows-contract.md). The work is one RPC, public.start_workflow_job, run as the
// user so membership decides what they can start. 201 for a new job; 200 with the same
// body when the Idempotency-Key was already used for this workflow and input.
//
// A workflow that declares inputs (definition.inputs, issue 11) has input_data checked
// against them first, by the domain's validateWorkflowInput: 400 invalid_input with every bad
// field in `details`, nothing created; defaults are filled into the input_data stored.
//
//   read definition->inputs ──► validate + fill defaults ──► start_workflow_job RPC
//   (one PostgREST select, as      (pure, domain)              (as before; compares the
//    the user, under RLS)                                        filled input on a replay)
//
// The extra read is the price of the check: one indexed select of one row (by id, or by the
// (organisation_id, key) unique index). Measured on the test stack with the machine at load
// ~17 on 2 cores, 40 calls each: that select through the gateway p50 6-9 ms, p95 63 ms, where
// the whole start-workflow (read included) was p50 36 ms, p95 221 ms. It runs for workflows
// without inputs too, since only the definition tells; a replay costs the same read (and a
// second one, of the earlier job, only when the declared inputs changed since).
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { isUuid } from '../_shared/domain/ids.ts';
import {
  validateWorkflowInput,
  workflowInputsSchema,
  type WorkflowInput,
  type WorkflowInputError,
} from '../_shared/domain/workflow-inputs.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { annotate } from '../_shared/request-log.ts';
import { kickOrchestrator } from '../_shared/kick-orchestrator.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, idempotencyKey, readBody } from '../_shared/request.ts';
import { startWorkflowBodySchema } from '../_shared/workflow-inputs.ts';
import type { SupabaseClient } from 'npm:@supabase/supabase-js@2';

type Started = {
  job_id: string;
  status: string;
  created_at: string;
  replayed: boolean;
  workflow_id: string;
  workflow_version: number;
  rerun_of?: string | null;
};

type Input = Record<string, unknown>;

/**
 * The inputs the workflow the caller names declares, as the RPC will find it (by uuid or key,
 * in their organisations, or in `organisationId` only), with its organisation. Inputs are
 * undefined when no single workflow matches: the RPC then answers 404 or 400
 * ambiguous_workflow itself, as it always has.
 */
async function declaredInputs(
  client: SupabaseClient,
  workflow: string,
  organisationId: string | null,
): Promise<{ inputs: WorkflowInput[] | undefined; organisationId?: string }> {
  let query = client
    .from('workflows')
    .select('organisation_id, inputs:definition->inputs')
    .eq(isUuid(workflow) ? 'id' : 'key', workflow);
  if (organisationId) query = query.eq('organisation_id', organisationId);
  const { data, error } = await query.limit(2);
  if (error) throw httpErrorFromPostgrest(error);
  if (data.length !== 1) return { inputs: undefined };
  const row = data[0] as { inputs: unknown; organisation_id: string };
  const inputs = row.inputs;
  if (inputs === null || inputs === undefined) return { inputs: undefined };
  // save-workflow stored it validated; a definition written around it (SQL by hand) that no
  // longer parses declares nothing rather than refusing every start.
  const parsed = workflowInputsSchema.safeParse(inputs);
  return {
    inputs: parsed.success ? parsed.data : undefined,
    organisationId: row.organisation_id,
  };
}

function invalidInput(errors: WorkflowInputError[]): HttpError {
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  return new HttpError(
    400,
    'invalid_input',
    `input_data has ${count}: ${errors.map((error) => error.message).join('; ')}`,
    { details: errors },
  );
}

/**
 * The input an earlier request with this Idempotency-Key stored, when `sent` is part of it
 * (every field sent is there with the same value; the rest were defaults filled then).
 * Asked only when the normal path refuses a keyed request — the workflow's declared inputs
 * changed since the first call, so the check or its defaults differ — so a retry of a
 * request that started a job still answers with that job instead of 400 or 409.
 */
async function earlierInput(
  client: SupabaseClient,
  userId: string,
  key: string,
  sent: Input,
): Promise<Input | undefined> {
  const { data, error } = await client
    .from('jobs')
    .select('input_data')
    .eq('user_id', userId)
    .eq('idempotency_key', key)
    .maybeSingle();
  if (error || !data) return undefined;
  const stored = (data as { input_data: unknown }).input_data;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const earlier = stored as Input;
  return Object.entries(sent).every(
    ([name, value]) => Object.hasOwn(earlier, name) && sameJson(earlier[name], value),
  )
    ? earlier
    : undefined;
}

/** Equal as JSON values (object member order aside), as Postgres compares jsonb. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub: userId } = await requireUserClaims(req);
    const key = idempotencyKey(req);
    const body = await readBody(req, startWorkflowBodySchema, BODY_LIMITS.startWorkflow);
    const client = createUserClient(req);
    const organisationId = body.organisation_id ?? null;

    const start = async (input: Input) => {
      const { data, error, status } = await client.rpc('start_workflow_job', {
        p_workflow: body.workflow_id,
        p_input: input,
        p_idempotency_key: key,
        p_organisation_id: organisationId,
        // Checked by the RPC: a job the caller may read (404) of the same workflow (400).
        p_rerun_of: body.rerun_of ?? null,
      });
      return error
        ? { error: httpErrorFromPostgrest(error, status) }
        : { started: data as Started };
    };

    const declared = await declaredInputs(client, body.workflow_id, organisationId);
    // A file input must be a file of the workflow's organisation (issue 12 §4): the executor
    // would refuse another's with file_forbidden; saying so now creates no job.
    const checked = validateWorkflowInput(declared.inputs, body.input_data, {
      organisationId: declared.organisationId,
    });
    let outcome: { started: Started } | { error: HttpError };
    if (checked.ok) {
      outcome = await start(checked.input);
      // A conflict may be the first call's input with other defaults than today's.
      if ('error' in outcome && outcome.error.code === 'idempotency_conflict' && key) {
        const earlier = await earlierInput(client, userId, key, body.input_data);
        if (earlier) outcome = await start(earlier);
      }
    } else {
      // Past a failed check only as a replay: with the earlier job's own input, which the
      // RPC matches to that job (a new job from it only if that job vanished in between).
      const earlier = key ? await earlierInput(client, userId, key, body.input_data) : undefined;
      outcome = earlier ? await start(earlier) : { error: invalidInput(checked.errors) };
    }
    if ('error' in outcome) throw outcome.error;
    const started = outcome.started;
    annotate(req, { job_id: started.job_id, workflow_id: started.workflow_id });

    if (!started.replayed) kickOrchestrator('start-workflow');
    // A replay answers as the first call did (a job always starts pending); the job's
    // current state is for get-job.
    return json(
      started.replayed ? 200 : 201,
      {
        job_id: started.job_id,
        status: 'pending',
        created_at: started.created_at,
        workflow_id: started.workflow_id,
        workflow_version: started.workflow_version,
        rerun_of: started.rerun_of ?? null,
      },
      started.replayed ? { 'Idempotent-Replayed': 'true' } : {},
    );
  }),
);
