// The executor protocol and the queue's step shapes (docs/workflows-contract.md, "Executor
// protocol" and "Orchestrator"): what the orchestrator sends an `execute-*` function and how
// it reads the answer, what claim_workflow_steps hands the orchestrator and what
// finish_workflow_steps takes back. The executor side (executor.ts) and the orchestrator side
// (workflow-orchestrator/) both read these from here. No Deno or npm imports: vitest loads it.
//
//   one call   POST { job_id, organisation_id, user_id, step_id, attempt, input, config }
//              → 200 { output, usage? } | non-2xx { error: { code, message, retryable? }, usage? }
//   a batch    POST { calls: [call, …] } (same executor, at most MAX_BATCH_CALLS)
//              → 200 { results: [{ output, usage? } | { error, usage? }, …] } in call order;
//              a non-2xx answer or no answer is the failure of every call in it
import type { MissingInput } from './domain/json-path/unmatched-path.ts';
import type { BranchTaken } from './domain/workflow-branches/branch-taken.ts';

export interface ExecutorCall {
  job_id: string;
  /**
   * The job's organisation: whose files (Storage) and connections (allowed hosts) apply. The
   * orchestrator always sends it; a direct call without it gets neither.
   */
  organisation_id?: string;
  /**
   * The job's user (`jobs.user_id`): whom an executor that acts in the product (execute-crm)
   * acts as (docs/automation-contract.md, "Executor calls carry the job's user"). The
   * orchestrator always sends it; executors that do not act as anyone ignore it.
   */
  user_id?: string;
  step_id: string;
  attempt: number;
  /** The step's input, mapped by the orchestrator from the context document. */
  input: unknown;
  /** The transformer's config with the step's config merged over it. */
  config: Record<string, unknown>;
}

export type Usage = Record<string, number>;

export interface ExecutorResult {
  output: unknown;
  usage?: Usage;
}

export interface StepError {
  code: string;
  message: string;
  retryable: boolean;
}

/** One call's answer: its result, or its failure (with what it used before failing). */
export type ExecutorAnswer = ExecutorResult | { error: StepError; usage?: Usage };

export interface ExecutorBatch {
  calls: ExecutorCall[];
}

export interface ExecutorBatchAnswer {
  results: ExecutorAnswer[];
}

/**
 * Most calls in one batch: a claim's largest batch of one executor's steps fits in one
 * request (claim_workflow_steps takes at most 1,000), and a bad request cannot make an
 * executor start an unbounded number of calls at once.
 */
export const MAX_BATCH_CALLS = 1000;

/**
 * Most characters of calls' JSON in one batch the orchestrator sends: an executor reads a
 * whole batch into memory, so steps with large inputs (audio as base64, up to 20 MiB each) go
 * in requests of their own, as before batches, while small ones (an echo call is ~100
 * characters) still share one.
 */
export const MAX_BATCH_JSON = 1024 * 1024;

/**
 * Splits items, in order, into batches of at most `maxCount` items and `maxSize` in total
 * (`size` of each); an item larger than `maxSize` makes a batch of its own.
 */
export function batches<T>(
  items: readonly T[],
  size: (item: T) => number,
  maxCount: number,
  maxSize: number,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length >= maxCount || (current.length > 0 && total + n > maxSize)) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The contract's default when a failure says nothing: 408, 429 and 5xx are retryable. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A call from a request body, or why it is not one. */
export function parseCall(body: unknown): ExecutorCall | string {
  if (!isRecord(body)) return 'The body must be a JSON object';
  const { job_id, organisation_id, user_id, step_id, attempt, input, config } = body;
  if (typeof job_id !== 'string' || !job_id) return 'job_id must be a non-empty string';
  if (organisation_id !== undefined && (typeof organisation_id !== 'string' || !organisation_id))
    return 'organisation_id must be a non-empty string';
  if (user_id !== undefined && (typeof user_id !== 'string' || !user_id))
    return 'user_id must be a non-empty string';
  if (typeof step_id !== 'string' || !step_id) return 'step_id must be a non-empty string';
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1)
    return 'attempt must be a positive integer';
  if (!('input' in body)) return 'input is required';
  if (config !== undefined && config !== null && !isRecord(config))
    return 'config must be an object';
  return {
    job_id,
    ...(organisation_id === undefined ? {} : { organisation_id }),
    ...(user_id === undefined ? {} : { user_id }),
    step_id,
    attempt,
    input,
    config: isRecord(config) ? config : {},
  };
}

/** One call's answer as the orchestrator reads it. */
export type CallOutcome =
  { ok: true; output: unknown; usage?: unknown } | { ok: false; error: StepError; usage?: unknown };

/**
 * How the orchestrator reads one answer: an HTTP response to a single call, or one entry of a
 * batch's `results` (status 200 with the entry's own `error` when it failed).
 */
export function readAnswer(status: number, body: unknown, functionName: string): CallOutcome {
  const usage = isRecord(body) ? body.usage : undefined;
  if (status >= 200 && status < 300 && isRecord(body) && 'output' in body)
    return { ok: true, output: body.output, usage };
  if (status >= 200 && status < 300 && !(isRecord(body) && isRecord(body.error)))
    return {
      ok: false,
      error: {
        code: 'invalid_executor_response',
        message: `${functionName} answered ${status} without { output }`,
        retryable: true,
      },
    };
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  return {
    ok: false,
    error: {
      code: typeof error.code === 'string' ? error.code : `http_${status}`,
      message:
        typeof error.message === 'string' ? error.message : `${functionName} answered ${status}`,
      // An entry of a 200 batch that names no `retryable` is judged like a 500: it may pass.
      retryable:
        typeof error.retryable === 'boolean'
          ? error.retryable
          : retryableStatus(status < 300 ? 500 : status),
    },
    usage,
  };
}

/**
 * The pinned definition's step as claim_workflow_steps hands it out, with what decides the
 * next step (next_step, or branches: next/default) for the worker to choose; unknown until
 * checked (run-step.ts), since a pinned version predates today's schema.
 */
export interface ClaimedStepDefinition {
  transformer_id?: unknown;
  input_map?: unknown;
  output_map?: unknown;
  config?: unknown;
  next_step?: unknown;
  next?: unknown;
  default?: unknown;
}

/** One step as claim_workflow_steps returns it. */
export interface ClaimedStep {
  job_id: string;
  attempt: number;
  organisation_id: string;
  user_id: string;
  workflow_id: string;
  workflow_version: number;
  step_id: string | null;
  step: ClaimedStepDefinition | null;
  /**
   * The step may end the job (a linear last step, or a branch/default to null): if the
   * chosen next step is null, a final_result is due.
   */
  last_step: boolean;
  /** The workflow's output_map; only on a step that may end the job, null when it has none. */
  output_map?: unknown;
  /** The job's input (a flow run's job: its real input, from private.job_run_context). */
  input_data: unknown;
  /** `$.variables` of the context: a flow run's resolved project variables and API hosts. */
  variables?: Record<string, unknown> | null;
  /**
   * Secret strings (a flow run's): replaced with •••• in everything recorded of the step
   * (input, output, final_result, error message). Empty for other jobs.
   */
  redact?: string[] | null;
  /** The flow sequence run flow the job runs; its end is evaluated (_shared/flow-runs.ts). */
  flow_run_flow_id?: string | null;
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

/**
 * What finish_workflow_steps takes for one step. A success names the next step the worker
 * chose (chooseNext; null: the job ends, with final_result) and, for a branching step, the
 * branch that chose it; SQL accepts it only if the pinned step allows it (else the job
 * fails invalid_branch).
 */
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
  | {
      outcome: 'succeeded';
      output: unknown;
      final_result?: unknown;
      next_step?: string | null;
      branch?: Exclude<BranchTaken, 'next_step'>;
    }
  | { outcome: 'failed'; error: StepError }
);
