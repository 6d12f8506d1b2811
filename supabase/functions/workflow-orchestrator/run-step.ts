// One claimed step, from the claim to the result handed back to finish_workflow_steps
// (docs/workflows-contract.md, "Orchestrator"). Never throws: every failure becomes a
// result, so one bad step cannot take its batch down with it.
//
//   context  = { job_input, <step>: { output } for every step run so far, config, variables }
//   input    = step.input_map over the context (paths that match nothing are recorded)
//   call     = POST /functions/v1/<transformer.target_function> with the service key,
//              { job_id, step_id, attempt, input, config }, cut off at transformer.timeout_ms
//   output   = the executor's output, reshaped by step.output_map when there is one
//   last step: final_result = definition.output_map over the context including this output
import {
  buildWorkflowContext,
  JsonPathError,
  mapInputs,
  type MissingInput,
} from '../_shared/domain/json-path.ts';

/** A step as claim_workflow_steps returns it. */
export interface ClaimedStep {
  job_id: string;
  attempt: number;
  organisation_id: string;
  user_id: string;
  workflow_id: string;
  workflow_version: number;
  step_id: string | null;
  step: StepDefinition | null;
  definition: { start_step?: unknown; steps?: unknown; output_map?: unknown } | null;
  input_data: unknown;
  step_data: Record<string, unknown> | null;
  retry_count: number;
  max_retries: number;
  transformer: {
    id: string;
    type: string;
    config: Record<string, unknown> | null;
    target_function: string;
    timeout_ms: number;
  } | null;
}

interface StepDefinition {
  transformer_id?: unknown;
  input_map?: unknown;
  output_map?: unknown;
  next_step?: unknown;
  config?: unknown;
}

export interface StepError {
  code: string;
  message: string;
  retryable: boolean;
}

/** What finish_workflow_steps takes for one step. */
export type StepResult = {
  job_id: string;
  attempt: number;
  step_id: string | null;
  duration_ms: number;
  input?: unknown;
  usage?: unknown;
  missing_inputs?: MissingInput[];
  /** Keys of the step's or the workflow's output_map whose path matched nothing. */
  unmatched_outputs?: MissingInput[];
} & (
  | { outcome: 'succeeded'; output: unknown; next_step: string | null; final_result?: unknown }
  | { outcome: 'failed'; error: StepError }
);

export interface ExecutorTarget {
  /** `${SUPABASE_URL}/functions/v1` */
  functionsUrl: string;
  serviceRoleKey: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asPathMap = (value: unknown, where: string): Record<string, string> => {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || Object.values(value).some((path) => typeof path !== 'string'))
    throw new JsonPathError(`${where} must map names to JSONPath strings`);
  return value as Record<string, string>;
};

/** The contract's default when an executor's failure says nothing: 408, 429, 5xx retry. */
export const retryableStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500;

class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly usage?: unknown,
  ) {
    super(message);
  }
}

/** POSTs the executor protocol's request; resolves to { output, usage } or throws StepFailure. */
async function callExecutor(
  target: ExecutorTarget,
  claim: ClaimedStep,
  functionName: string,
  timeoutMs: number,
  input: unknown,
  config: Record<string, unknown>,
): Promise<{ output: unknown; usage?: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${target.functionsUrl}/${functionName}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${target.serviceRoleKey}`,
        apikey: target.serviceRoleKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        job_id: claim.job_id,
        step_id: claim.step_id,
        attempt: claim.attempt,
        input,
        config,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new StepFailure(
        'timeout',
        `${functionName} did not answer within ${timeoutMs} ms`,
        true,
      );
    throw new StepFailure('network_error', `${functionName}: ${String(err)}`, true);
  }

  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new StepFailure(
        'timeout',
        `${functionName} did not answer within ${timeoutMs} ms`,
        true,
      );
    body = undefined;
  }

  if (res.ok) {
    if (!isRecord(body) || !('output' in body))
      throw new StepFailure(
        'invalid_executor_response',
        `${functionName} answered ${res.status} without { output }`,
        true,
      );
    return { output: body.output, usage: body.usage };
  }

  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const retryable =
    typeof error.retryable === 'boolean' ? error.retryable : retryableStatus(res.status);
  throw new StepFailure(
    typeof error.code === 'string' ? error.code : `http_${res.status}`,
    typeof error.message === 'string' ? error.message : `${functionName} answered ${res.status}`,
    retryable,
    isRecord(body) ? body.usage : undefined,
  );
}

/** Runs one claimed step and returns its result for finish_workflow_steps. */
export async function runStep(target: ExecutorTarget, claim: ClaimedStep): Promise<StepResult> {
  const started = performance.now();
  const base = { job_id: claim.job_id, attempt: claim.attempt, step_id: claim.step_id };
  const elapsed = () => Math.round(performance.now() - started);
  let input: unknown;
  let missing: MissingInput[] | undefined;

  try {
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

    const config = {
      ...(isRecord(transformer.config) ? transformer.config : {}),
      ...(isRecord(step.config) ? step.config : {}),
    };
    const stepData = isRecord(claim.step_data) ? claim.step_data : {};
    const context = buildWorkflowContext({
      jobInput: claim.input_data,
      stepOutputs: stepData,
      config,
    });
    const mapped = mapInputs(asPathMap(step.input_map, 'input_map'), context);
    input = mapped.value;
    if (mapped.missing.length > 0) missing = mapped.missing;

    const result = await callExecutor(
      target,
      claim,
      transformer.target_function,
      transformer.timeout_ms,
      input,
      config,
    );

    let output = result.output;
    const unmatched: MissingInput[] = [];
    if (step.output_map !== undefined && step.output_map !== null) {
      const raw = buildWorkflowContext({
        jobInput: claim.input_data,
        stepOutputs: { ...stepData, [claim.step_id]: result.output },
        config,
      });
      const mapped = mapInputs(asPathMap(step.output_map, 'output_map'), raw);
      output = mapped.value;
      unmatched.push(...mapped.missing);
    }

    const nextStep = typeof step.next_step === 'string' ? step.next_step : null;
    let finalResult: unknown;
    if (nextStep === null) {
      const outputMap = claim.definition?.output_map;
      if (outputMap === undefined || outputMap === null) {
        // No output_map: the last step's output is the job's result.
        finalResult = output;
      } else {
        const finalContext = buildWorkflowContext({
          jobInput: claim.input_data,
          stepOutputs: { ...stepData, [claim.step_id]: output },
          config,
        });
        const mapped = mapInputs(asPathMap(outputMap, 'output_map'), finalContext);
        finalResult = mapped.value;
        unmatched.push(...mapped.missing);
      }
    }

    return {
      ...base,
      duration_ms: elapsed(),
      input,
      usage: result.usage,
      missing_inputs: missing,
      ...(unmatched.length > 0 ? { unmatched_outputs: unmatched } : {}),
      outcome: 'succeeded',
      output: output ?? null,
      next_step: nextStep,
      ...(nextStep === null ? { final_result: finalResult ?? null } : {}),
    };
  } catch (err) {
    let error: StepError;
    let usage: unknown;
    if (err instanceof StepFailure) {
      error = { code: err.code, message: err.message, retryable: err.retryable };
      usage = err.usage;
    } else if (err instanceof JsonPathError) {
      // The same paths will fail the same way on every attempt.
      error = { code: 'invalid_json_path', message: err.message, retryable: false };
    } else {
      error = { code: 'orchestrator_error', message: String(err), retryable: true };
    }
    return {
      ...base,
      duration_ms: elapsed(),
      input,
      usage,
      missing_inputs: missing,
      outcome: 'failed',
      error,
    };
  }
}
