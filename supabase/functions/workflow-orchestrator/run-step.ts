// Claimed steps, from the claim to the results handed back to finish_workflow_steps
// (docs/workflows-contract.md, "Orchestrator"). Never throws: every failure becomes a result,
// so one bad step cannot take its batch down with it.
//
//   context  = { job_input, <step>: { output } for every step run so far, config, variables }
//              (variables: a flow run's resolved project variables and API hosts, from the claim)
//   input    = step.input_map over the context (paths that match nothing are recorded)
//   call     = POST /functions/v1/<transformer.target_function> with the service key: the
//              steps of one claim for the same executor, timeout and organisation go in one request,
//              { calls: [{ job_id, step_id, attempt, input, config }, …] }, each answered on
//              its own; cut off at transformer.timeout_ms
//   output   = the executor's output, reshaped by step.output_map when there is one
//   next     = chooseNext(step, output): next_step, or the first branch whose `when`
//              matches the output, else the default (workflow-branches.ts); sent with the
//              result, which finish_workflow_steps accepts only if the step allows it
//   the end  (next is null; the claim's last_step says it may be): final_result = the
//              workflow's output_map over the context including this output
//   recorded = every result with the claim's `redact` strings (a flow run's secrets) replaced
//              by ••••: the step runs with the real values, nothing written back holds them
import {
  buildWorkflowContext,
  JsonPathError,
  mapInputs,
  type MissingInput,
} from '../_shared/domain/json-path.ts';
import {
  batches,
  isRecord,
  MAX_BATCH_JSON,
  readAnswer,
  type CallOutcome,
  type ClaimedStep,
  type ExecutorCall,
  type StepError,
  type StepResult,
} from '../_shared/executor-protocol.ts';
import { redactSecrets } from '../_shared/domain/flows/resolve.ts';
import {
  chooseNext,
  type NextStepChoice,
  type StepSuccession,
} from '../_shared/domain/workflow-branches.ts';

export interface ExecutorTarget {
  /** `${SUPABASE_URL}/functions/v1` */
  functionsUrl: string;
  serviceRoleKey: string;
}

const asPathMap = (value: unknown, where: string): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || Object.values(value).some((path) => typeof path !== 'string'))
    throw new JsonPathError(`${where} must map names to JSONPath strings`);
  return value as Record<string, string>;
};

/**
 * A step's config (its transformer's under the step's own) and its input mapped over the
 * context, exactly as a claimed step gets them. Exported for test-step, which runs one step
 * on a sample the same way. Throws JsonPathError on a malformed map.
 */
export function mapStepInput(
  step: { input_map?: unknown; config?: unknown },
  transformerConfig: unknown,
  sample: { jobInput: unknown; stepOutputs: Record<string, unknown>; variables: unknown },
): { config: Record<string, unknown>; input: unknown; missing: MissingInput[] } {
  const config = {
    ...(isRecord(transformerConfig) ? transformerConfig : {}),
    ...(isRecord(step.config) ? step.config : {}),
  };
  const context = buildWorkflowContext({
    jobInput: sample.jobInput,
    stepOutputs: sample.stepOutputs,
    config,
    variables: sample.variables ?? {},
  });
  const mapped = mapInputs(asPathMap(step.input_map, 'input_map'), context);
  return { config, input: mapped.value, missing: mapped.missing };
}

/**
 * A step's executor output reshaped by its output_map (unchanged without one), as recorded.
 * Exported for test-step.
 */
export function mapStepOutput(
  step: { output_map?: unknown },
  stepId: string,
  output: unknown,
  sample: {
    jobInput: unknown;
    stepOutputs: Record<string, unknown>;
    config: unknown;
    variables: unknown;
  },
): { output: unknown; unmatched: MissingInput[] } {
  if (step.output_map === undefined || step.output_map === null) return { output, unmatched: [] };
  const raw = buildWorkflowContext({
    jobInput: sample.jobInput,
    stepOutputs: { ...sample.stepOutputs, [stepId]: output },
    config: sample.config,
    variables: sample.variables ?? {},
  });
  const mapped = mapInputs(asPathMap(step.output_map, 'output_map'), raw);
  return { output: mapped.value, unmatched: mapped.missing };
}

class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** A step ready for its executor call: its input mapped, what finishing it needs kept. */
interface Prepared {
  claim: ClaimedStep & { step_id: string };
  started: number;
  functionName: string;
  timeoutMs: number;
  call: ExecutorCall;
  /** The call as JSON, measured to keep a batch's body bounded. */
  json: string;
  stepData: Record<string, unknown>;
  missing?: MissingInput[];
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** A thrown failure as a step error. */
function errorOf(err: unknown): StepError {
  if (err instanceof StepFailure)
    return { code: err.code, message: err.message, retryable: err.retryable };
  // The same paths will fail the same way on every attempt.
  if (err instanceof JsonPathError)
    return { code: 'invalid_json_path', message: err.message, retryable: false };
  return { code: 'orchestrator_error', message: String(err), retryable: true };
}

function failed(
  claim: ClaimedStep,
  started: number,
  error: StepError,
  extra: { input?: unknown; usage?: unknown; missing_inputs?: MissingInput[] } = {},
): StepResult {
  return {
    job_id: claim.job_id,
    attempt: claim.attempt,
    step_id: claim.step_id,
    duration_ms: elapsed(started),
    ...extra,
    outcome: 'failed',
    error,
  };
}

/** Maps a step's input; throws StepFailure or JsonPathError when the step cannot run. */
function prepare(claim: ClaimedStep, started: number): Prepared {
  const step = claim.step;
  if (!claim.step_id || !isRecord(step))
    throw new StepFailure(
      'invalid_definition',
      claim.step_id
        ? `step "${claim.step_id}" is not in version ${claim.workflow_version} of the workflow`
        : `version ${claim.workflow_version} of the workflow has no valid start_step`,
      false,
    );
  const transformer = claim.transformer;
  if (!transformer)
    throw new StepFailure(
      'transformer_not_found',
      `transformer "${String(step.transformer_id)}" does not exist or is not visible to the organisation`,
      false,
    );
  const stepData = isRecord(claim.step_data) ? claim.step_data : {};
  const { config, ...mapped } = mapStepInput(step, transformer.config, {
    jobInput: claim.input_data,
    stepOutputs: stepData,
    variables: claim.variables,
  });
  const call: ExecutorCall = {
    job_id: claim.job_id,
    organisation_id: claim.organisation_id,
    user_id: claim.user_id,
    step_id: claim.step_id,
    attempt: claim.attempt,
    input: mapped.input,
    config,
  };
  return {
    claim: claim as Prepared['claim'],
    started,
    functionName: transformer.target_function,
    timeoutMs: transformer.timeout_ms,
    call,
    json: JSON.stringify(call),
    stepData,
    ...(mapped.missing.length > 0 ? { missing: mapped.missing } : {}),
  };
}

const isTarget = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';

/**
 * The step's next step from its output. The pinned step was validated when it was saved,
 * but it is read here as unknown: a shape that cannot be followed fails the step, not the
 * batch. Failures are invalid_branch and not retried (they would fail the same way).
 */
function choose(step: NonNullable<ClaimedStep['step']>, output: unknown): NextStepChoice {
  const { next, next_step: nextStep, default: fallback } = step;
  const branches =
    next === undefined || next === null
      ? []
      : Array.isArray(next) &&
          next.every((b) => isRecord(b) && typeof b.when === 'string' && isTarget(b.step))
        ? (next as StepSuccession['next'])
        : undefined;
  if (
    branches === undefined ||
    !(fallback === undefined || isTarget(fallback)) ||
    !(nextStep === undefined || isTarget(nextStep))
  )
    throw new StepFailure(
      'invalid_branch',
      "the step's next_step, next or default is not a step id, null or a list of { when, step }",
      false,
    );
  const succession: StepSuccession = {
    ...(nextStep !== undefined ? { next_step: nextStep } : {}),
    ...(next !== undefined ? { next: branches } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
  try {
    return chooseNext(succession, output);
  } catch (err) {
    throw new StepFailure('invalid_branch', (err as Error).message, false);
  }
}

/** The step's result from its executor's answer: output_map, next step, final_result at the end. */
function complete(p: Prepared, answer: CallOutcome): StepResult {
  const { claim, call } = p;
  const extra = { input: call.input, usage: answer.usage, missing_inputs: p.missing };
  if (!answer.ok) return failed(claim, p.started, answer.error, extra);
  try {
    const step = claim.step!;
    let output = answer.output;
    const unmatched: MissingInput[] = [];
    if (step.output_map !== undefined && step.output_map !== null) {
      const mapped = mapStepOutput(step, claim.step_id, answer.output, {
        jobInput: claim.input_data,
        stepOutputs: p.stepData,
        config: call.config,
        variables: claim.variables,
      });
      output = mapped.output;
      unmatched.push(...mapped.unmatched);
    }
    // Branches read the output as recorded: JSON, where a key an output_map left undefined
    // (its path matched nothing) is absent, not a member with no value.
    const recorded =
      step.output_map != null && (step.next !== undefined || step.default !== undefined)
        ? (JSON.parse(JSON.stringify(output ?? null)) as unknown)
        : output;
    const choice = choose(step, recorded ?? null);
    const ends = choice.next === null;
    let finalResult: unknown;
    if (ends) {
      const outputMap = claim.output_map;
      if (outputMap === undefined || outputMap === null) {
        // No output_map: the last step's output is the job's result.
        finalResult = output;
      } else {
        const finalContext = buildWorkflowContext({
          jobInput: claim.input_data,
          stepOutputs: { ...p.stepData, [claim.step_id]: output },
          config: call.config,
          variables: claim.variables ?? {},
        });
        const mapped = mapInputs(asPathMap(outputMap, 'output_map'), finalContext);
        finalResult = mapped.value;
        unmatched.push(...mapped.missing);
      }
    }
    return {
      job_id: claim.job_id,
      attempt: claim.attempt,
      step_id: claim.step_id,
      duration_ms: elapsed(p.started),
      ...extra,
      ...(unmatched.length > 0 ? { unmatched_outputs: unmatched } : {}),
      outcome: 'succeeded',
      output: output ?? null,
      ...(ends ? { final_result: finalResult ?? null } : {}),
      next_step: choice.next,
      ...(choice.taken !== 'next_step' ? { branch: choice.taken } : {}),
    };
  } catch (err) {
    return failed(claim, p.started, errorOf(err), extra);
  }
}

const timedOut = (err: unknown): boolean => {
  const name = (err as Error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
};

/**
 * One request to an executor for `steps` (same function, timeout and organisation): the
 * single form for one step, the batch form for more. Resolves to one answer per step, in order; a request
 * that fails as a whole (no answer, a timeout, a non-2xx batch) fails each of its steps alike.
 */
async function callExecutor(target: ExecutorTarget, steps: Prepared[]): Promise<CallOutcome[]> {
  const { functionName, timeoutMs } = steps[0]!;
  const whole = (error: StepError): CallOutcome[] => steps.map(() => ({ ok: false, error }));
  const batch = steps.length > 1;
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(`${target.functionsUrl}/${functionName}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${target.serviceRoleKey}`,
        apikey: target.serviceRoleKey,
        'Content-Type': 'application/json',
      },
      body: batch ? `{"calls":[${steps.map((s) => s.json).join(',')}]}` : steps[0]!.json,
      signal: AbortSignal.timeout(timeoutMs),
    });
    try {
      body = await res.json();
    } catch (err) {
      if (timedOut(err)) throw err;
      body = undefined;
    }
  } catch (err) {
    if (timedOut(err))
      return whole({
        code: 'timeout',
        message: `${functionName} did not answer within ${timeoutMs} ms`,
        retryable: true,
      });
    return whole({
      code: 'network_error',
      message: `${functionName}: ${String(err)}`,
      retryable: true,
    });
  }
  if (!batch) return [readAnswer(res.status, body, functionName)];
  const results =
    res.ok && isRecord(body) && Array.isArray(body.results) ? body.results : undefined;
  if (!results) {
    // A refused batch (401, 403, 400 …) fails every call with the batch's own error.
    const answer = readAnswer(res.ok ? 502 : res.status, res.ok ? undefined : body, functionName);
    if (!res.ok && !answer.ok) return whole(answer.error);
    return whole({
      code: 'invalid_executor_response',
      message: `${functionName} answered ${res.status} without { results } to a batch`,
      retryable: true,
    });
  }
  return steps.map((_, i) =>
    i < results.length
      ? readAnswer(200, results[i], functionName)
      : {
          ok: false,
          error: {
            code: 'invalid_executor_response',
            message: `${functionName} answered ${results.length} results to ${steps.length} calls`,
            retryable: true,
          },
        },
  );
}

export interface Finished {
  claim: ClaimedStep;
  result: StepResult;
}

// What a result records besides its ids, outcome and error.
const DATA_FIELDS = [
  'input',
  'output',
  'final_result',
  'usage',
  'missing_inputs',
  'unmatched_outputs',
] as const;
const pickData = (result: StepResult): Record<string, unknown> => {
  const data: Record<string, unknown> = {};
  for (const field of DATA_FIELDS)
    if (field in result) data[field] = (result as Record<string, unknown>)[field];
  return data;
};

/**
 * The result as it may be recorded: a flow run's secret strings (the claim's `redact`)
 * replaced by •••• wherever they occur (input, output, final_result, error message, the
 * paths of unmatched mappings). The job ran with the real values; job_events, step_data and
 * final_result never hold them. Other jobs' results pass untouched.
 */
export function redacted(finished: Finished): Finished {
  const secrets = finished.claim.redact;
  if (!secrets || secrets.length === 0) return finished;
  // Only the data: the ids, the outcome and the error's code and retryable flag must reach
  // finish_workflow_steps as they are (a secret that happened to occur in "failed" or a
  // step id must not lose the result).
  const r = finished.result;
  const result = { ...r, ...redactSecrets(pickData(r), secrets) } as StepResult;
  if (r.outcome === 'failed' && result.outcome === 'failed')
    result.error = { ...r.error, message: redactSecrets(r.error.message, secrets) };
  return { claim: finished.claim, result };
}

/**
 * Runs claimed steps: those that cannot run fail at once, the others go to their executors,
 * at most `maxPerCall` steps and MAX_BATCH_JSON characters of calls (or one larger call) per
 * request. One promise per request (and one for the steps
 * that failed before any call), each resolving to its steps' results; none rejects.
 */
export function runSteps(
  target: ExecutorTarget,
  claims: readonly ClaimedStep[],
  maxPerCall: number,
): Promise<Finished[]>[] {
  const started = performance.now();
  const early: Finished[] = [];
  const groups = new Map<string, Prepared[]>();
  for (const claim of claims) {
    try {
      const p = prepare(claim, started);
      // One organisation per request: a result waits for the slowest step of its request,
      // so another tenant's sleeping steps must not hold it (issue 10 §2: the quiet
      // tenant's job, claimed fairly beside 99 of a flood's 5 s steps, finished with them).
      const key = `${p.functionName}\n${p.timeoutMs}\n${claim.organisation_id}`;
      const group = groups.get(key);
      if (group) group.push(p);
      else groups.set(key, [p]);
    } catch (err) {
      early.push({ claim, result: failed(claim, started, errorOf(err)) });
    }
  }
  const requests: Promise<Finished[]>[] = early.length
    ? [Promise.resolve(early.map(redacted))]
    : [];
  const send = (steps: Prepared[]): void => {
    requests.push(
      callExecutor(target, steps).then(
        (answers) =>
          steps.map((p, j) => redacted({ claim: p.claim, result: complete(p, answers[j]!) })),
        // Not expected (callExecutor answers every failure), but never lose a step.
        (err: unknown) =>
          steps.map((p) =>
            redacted({ claim: p.claim, result: failed(p.claim, p.started, errorOf(err)) }),
          ),
      ),
    );
  };
  for (const group of groups.values())
    for (const steps of batches(group, (p) => p.json.length, maxPerCall, MAX_BATCH_JSON))
      send(steps);
  return requests;
}
