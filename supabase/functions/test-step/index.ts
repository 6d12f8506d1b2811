// POST /functions/v1/test-step { organisation_id, step_id?, step, sample: { job_input?,
//   steps?: { <step id>: output }, variables? } } — runs one step's executor on a sample, as
// an owner or admin, from the step editor (issue 12 §9). No job is created and nothing is
// recorded: the answer is the step's mapped input and its output, or the executor's error.
//
//   take_test_step_token ──► transformer ──► mapStepInput ──► executor ──► mapStepOutput
//   (as the user: 404, 403,   (as the user,    (the orchestrator's     (service key,   (the step's
//    429 like a job start)     under RLS)       own, run-step.ts)       organisation)   output_map)
//
// 200 { input, output, missing_inputs?, unmatched_outputs? } when the step succeeded;
// 200 { input, error: { code, message, retryable } } when it ran and failed (the test worked:
// this is what a job would record); 4xx { error: { code, message } } when the request itself
// is refused (bad body, unknown transformer, not allowed, rate limited).
import { z } from 'npm:zod@^4.1.0';
import { requireUserClaims } from '../_shared/claims.ts';
import { createUserClient } from '../_shared/clients.ts';
import { UUID_PATTERN } from '../_shared/domain/ids.ts';
import { JsonPathError } from '../_shared/domain/json-path.ts';
import { isRecord, readAnswer } from '../_shared/executor-protocol.ts';
import { handle, HttpError, json } from '../_shared/http.ts';
import { httpErrorFromPostgrest } from '../_shared/postgrest-errors.ts';
import { BODY_LIMITS, readBody } from '../_shared/request.ts';
import { mapStepInput, mapStepOutput } from '../workflow-orchestrator/run-step.ts';

const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

const testStepBodySchema = z.object(
  {
    organisation_id: z.string().regex(UUID_PATTERN, 'must be a UUID'),
    /** The step's id in its workflow, for output_maps that read `$.<id>.output`. */
    step_id: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, 'must be a step id')
      .optional(),
    step: z.looseObject(
      {
        transformer_id: z.string({ error: 'step.transformer_id is required' }).min(1).max(100),
        input_map: z.unknown().optional(),
        output_map: z.unknown().optional(),
        config: jsonObject.optional(),
      },
      { error: 'step must be a step definition: { transformer_id, input_map?, config? }' },
    ),
    sample: z
      .object(
        {
          job_input: z.unknown().optional(),
          steps: jsonObject.optional(),
          variables: jsonObject.optional(),
        },
        { error: 'sample must be an object: { job_input?, steps?, variables? }' },
      )
      .optional(),
  },
  { error: 'The body must be a JSON object: { organisation_id, step, sample }' },
);

// The longest a test waits for its executor: below the edge runtime's request limit, so a
// slow executor answers as a timeout here rather than a dropped request.
const MAX_TEST_MS = 120_000;

type Transformer = {
  id: string;
  config: unknown;
  target_function: string;
  timeout_ms: number;
};

Deno.serve(
  handle(async (req) => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
    const { sub: userId } = await requireUserClaims(req);
    const body = await readBody(req, testStepBodySchema, BODY_LIMITS.testStep);
    const client = createUserClient(req);

    const allowed = await client.rpc('take_test_step_token', {
      p_organisation_id: body.organisation_id,
    });
    if (allowed.error) throw httpErrorFromPostgrest(allowed.error, allowed.status);

    // As the user: a built-in or the organisation's own, retired or not (a step that uses a
    // retired transformer still runs, so it can still be tested).
    const { data, error } = await client
      .from('transformers')
      .select('id, config, target_function, timeout_ms')
      .eq('id', body.step.transformer_id)
      .or(`organisation_id.is.null,organisation_id.eq.${body.organisation_id}`)
      .limit(1);
    if (error) throw httpErrorFromPostgrest(error);
    const transformer = (data as Transformer[])[0];
    if (!transformer)
      throw new HttpError(
        400,
        'transformer_not_found',
        `transformer ${body.step.transformer_id} does not exist or is not available to this organisation`,
      );

    const stepId = body.step_id ?? 'step';
    const sample = {
      jobInput: body.sample?.job_input ?? {},
      stepOutputs: body.sample?.steps ?? {},
      variables: body.sample?.variables ?? {},
    };
    let mapped: ReturnType<typeof mapStepInput>;
    try {
      mapped = mapStepInput(body.step, transformer.config, sample);
    } catch (err) {
      if (err instanceof JsonPathError) throw new HttpError(400, 'invalid_json_path', err.message);
      throw err;
    }
    const missing = mapped.missing.length > 0 ? { missing_inputs: mapped.missing } : {};

    const serviceKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY') ?? '';
    const timeoutMs = Math.min(transformer.timeout_ms, MAX_TEST_MS);
    let res: Response;
    let answered: unknown;
    try {
      res = await fetch(
        `${Deno.env.get('SUPABASE_URL')}/functions/v1/${transformer.target_function}`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${serviceKey}`,
            apikey: serviceKey,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            // Not a job: a fresh id, so an executor's per-job state (test hooks) starts clean.
            job_id: crypto.randomUUID(),
            organisation_id: body.organisation_id,
            // The caller, as a job's user: a CRM step acts as them (their own RLS), as in a run.
            user_id: userId,
            step_id: stepId,
            attempt: 1,
            input: mapped.input,
            config: mapped.config,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      answered = await res.json().catch(() => undefined);
    } catch (err) {
      const timedOut = (err as Error)?.name === 'TimeoutError';
      return json(200, {
        input: mapped.input,
        ...missing,
        error: {
          code: timedOut ? 'timeout' : 'network_error',
          message: timedOut
            ? `${transformer.target_function} did not answer within ${timeoutMs} ms`
            : `${transformer.target_function}: ${String(err)}`,
          retryable: true,
        },
      });
    }
    const answer = readAnswer(res.status, answered, transformer.target_function);
    if (!answer.ok) return json(200, { input: mapped.input, ...missing, error: answer.error });
    let output: ReturnType<typeof mapStepOutput>;
    try {
      output = mapStepOutput(body.step, stepId, answer.output, {
        ...sample,
        config: mapped.config,
      });
    } catch (err) {
      if (err instanceof JsonPathError) throw new HttpError(400, 'invalid_json_path', err.message);
      throw err;
    }
    return json(200, {
      input: mapped.input,
      output: output.output ?? null,
      ...(isRecord(answered) && answered.usage ? { usage: answered.usage } : {}),
      ...missing,
      ...(output.unmatched.length > 0 ? { unmatched_outputs: output.unmatched } : {}),
    });
  }),
);
