// Flow sequence runs, the TypeScript half (docs/projects-contract.md, "Runs"). SQL keeps the
// state and applies each transition once under the run's lock (20261122006300_flow_runs.sql);
// this module makes the decisions SQL cannot, with the domain's rules:
//
//   a flow's job ended ──▶ trigger: run flow `evaluating`
//   evaluateFlowRuns:  flow_run_evaluations ──▶ decideEvaluation (assertions, __error,
//                      decideAfterFlow, the next flow's inputs) ──▶ advance_flow_run
//   flow-run-action:   flow_run_context ──▶ nextFlowStart ──▶ flow_run_action
//
// The orchestrator calls evaluateFlowRuns after a finish that ended a flow's job, and once at
// the start of every run (a crash between a job's end and its evaluation loses nothing: the
// run flow stays `evaluating` until some orchestrator decides it). Two orchestrators may
// decide the same run flow; advance_flow_run applies one decision and answers the other
// applied: false. No Deno APIs: the orchestrator, its standalone worker and flow-run-action
// share it.
import { evaluateAssertions, type AssertionResult } from './domain/flows/assertions.ts';
import {
  applyInputEdits,
  maskedInput,
  maskResolved,
  redactSecrets,
  resolveFlowInputs,
  type FlowInputResolution,
  type Resolved,
  type ResolveProblem,
} from './domain/flows/resolve.ts';
import { decideAfterFlow, inputProblemsError } from './domain/flows/run-state.ts';
import type {
  Flow,
  ResolvedValue,
  RunFlowErrorCode,
  RunFlowStatus,
  RunMode,
  RunStatus,
} from './domain/flows/schemas.ts';
import { workflowInputsOf } from './domain/flows/validate-sequence.ts';

/** A flow as the run's snapshot holds it (the sequence's flow and its workflow's name). */
export type RunFlowSnapshot = Flow & { workflow_name?: string | null };

/** What flow_run_context answers, and every evaluation carries (private.flow_run_bundle). */
export interface FlowRunBundle {
  run: {
    id: string;
    organisation_id: string;
    sequence_id: string;
    mode: RunMode;
    status: RunStatus;
    flows: RunFlowSnapshot[];
    current_flow_id: string | null;
    /** Masked. */
    parameters: Record<string, ResolvedValue>;
    variables: Record<string, ResolvedValue>;
    created_by: string | null;
  };
  /** The real values (service role only): name → value, and the strings jobs redact. */
  secrets: {
    parameters: Record<string, unknown>;
    variables: Record<string, unknown>;
    redact: string[];
  } | null;
  /** Flow id → the output of its latest passed attempt. */
  outputs: Record<string, unknown>;
  /** Workflow id → its current version's declared inputs (definition.inputs), name, status. */
  workflows: Record<
    string,
    { id: string; name: string; status: string; version: number; inputs?: unknown }
  >;
  /** The current flow's latest attempt, with its real input (a re-run "as last time"). */
  current: {
    id: string;
    flow_id: string;
    attempt: number;
    status: RunFlowStatus;
    job_id: string | null;
    inputs: Record<string, ResolvedValue>;
    output: unknown;
    error: { code?: string; message?: string } | null;
    input_data: Record<string, unknown> | null;
  } | null;
}

/** One run flow waiting for a decision, as flow_run_evaluations answers it. */
export interface FlowRunEvaluation extends FlowRunBundle {
  run_flow: {
    id: string;
    run_id: string;
    flow_id: string;
    attempt: number;
    /** The job's final_result (masked). */
    output: unknown;
    /** The job's own { code, message } when it failed or was cancelled. */
    error: { code?: string; message?: string } | null;
    /** null: the job is gone (deleted with its workflow). */
    job_status: string | null;
  };
}

/** A flow's start, as start_flow_run's `first`, advance_flow_run and flow_run_action take it. */
export interface FlowStart {
  kind: 'start_next';
  flow_id: string;
  workflow_id: string;
  /** Masked. */
  inputs: Record<string, ResolvedValue>;
  /** Real: what the job runs with (private.job_run_context). */
  input_data: Record<string, unknown>;
  /** What jobs.input_data records. */
  input_data_masked: Record<string, unknown>;
}

export type NextStart =
  | { ok: true; next: FlowStart | { kind: 'complete' } }
  | { ok: false; flow_id: string; problems: ResolveProblem[] };

export type RunError = { flow_id: string; code: string; message: string };

/** advance_flow_run's p_decision. */
export interface FlowRunDecision {
  flow_status: 'passed' | 'failed';
  assertions: AssertionResult[];
  error: { code: RunFlowErrorCode; message: string } | null;
  next:
    | FlowStart
    | { kind: 'pause' }
    | { kind: 'complete' }
    /** error: the run's, when it names another flow than the one evaluated. */
    | { kind: 'fail'; error?: RunError };
}

export interface AdvanceAnswer {
  applied: boolean;
  run_status: RunStatus | null;
  job_id?: string;
  run_flow_id?: string;
}

/** The two calls evaluateFlowRuns makes (the orchestrator's Queue implements them). */
export interface FlowRunStore {
  flowRunEvaluations(limit: number): Promise<FlowRunEvaluation[]>;
  advanceFlowRun(runFlowId: string, decision: FlowRunDecision): Promise<AdvanceAnswer>;
}

/** The flow after `flowId` in the run, or null after the last. */
export function flowAfter(bundle: FlowRunBundle, flowId: string): RunFlowSnapshot | null {
  const flows = bundle.run.flows;
  const i = flows.findIndex((flow) => flow.id === flowId);
  return i >= 0 && i + 1 < flows.length ? flows[i + 1]! : null;
}

/** The run's parameters with their real values (the masked record, the real value over it). */
function realParameters(bundle: FlowRunBundle): Record<string, Resolved> {
  const real = bundle.secrets?.parameters ?? {};
  const out: Record<string, Resolved> = {};
  for (const [name, entry] of Object.entries(bundle.run.parameters)) {
    out[name] = Object.hasOwn(real, name) ? { ...entry, value: real[name] } : { ...entry };
  }
  return out;
}

/** The last attempt's inputs with their real values, for a re-run "as last time". */
function lastInputs(bundle: FlowRunBundle): Record<string, Resolved> | null {
  const current = bundle.current;
  if (!current || !current.input_data) return null;
  const out: Record<string, Resolved> = {};
  for (const [name, entry] of Object.entries(current.inputs)) {
    out[name] = Object.hasOwn(current.input_data, name)
      ? { ...entry, value: current.input_data[name] }
      : { ...entry };
  }
  return out;
}

/**
 * The start of a flow as a run records it: the real input for the job, the masked one for
 * jobs.input_data and the masked resolved values for the run flow. `redact` also catches a
 * secret that reached the input another way (an earlier output that held one).
 */
function startOf(
  bundle: FlowRunBundle,
  flow: RunFlowSnapshot,
  resolution: FlowInputResolution,
): NextStart {
  if (resolution.problems.length > 0)
    return { ok: false, flow_id: flow.id, problems: resolution.problems };
  const redact = bundle.secrets?.redact ?? [];
  return {
    ok: true,
    next: {
      kind: 'start_next',
      flow_id: flow.id,
      workflow_id: flow.workflow_id,
      inputs: redactSecrets(maskResolved(resolution.resolved), redact),
      input_data: resolution.input,
      input_data_masked: redactSecrets(maskedInput(resolution.input, resolution.resolved), redact),
    },
  };
}

/**
 * What a run starts next, resolved with the domain (the run's real parameters, the outputs of
 * earlier flows' latest passed attempts, the workflow's declared inputs):
 * - `{ after: flowId }`: the flow after flowId (continue, or the orchestrator after a pass),
 *   or `{ kind: 'complete' }` after the last;
 * - `{ rerun: flowId, edited? }`: flowId again, with the last attempt's inputs (or, when the
 *   bundle has none, resolved afresh) and the user's edits on top (source `edited`; a
 *   secret's mask sent back means "unchanged").
 * Problems name each input that does not resolve or does not fit the workflow.
 */
export function nextFlowStart(
  bundle: FlowRunBundle,
  which: { after: string } | { rerun: string; edited?: Record<string, unknown> },
): NextStart {
  const flow =
    'after' in which
      ? flowAfter(bundle, which.after)
      : (bundle.run.flows.find((f) => f.id === which.rerun) ?? null);
  if (!flow) {
    if ('after' in which && bundle.run.flows.some((f) => f.id === which.after))
      return { ok: true, next: { kind: 'complete' } };
    const flowId = 'after' in which ? which.after : which.rerun;
    return {
      ok: false,
      flow_id: flowId,
      problems: [
        { path: ['flows', flowId], code: 'missing', message: `${flowId} is not in this run` },
      ],
    };
  }
  const inputs = workflowInputsOf({ inputs: bundle.workflows[flow.workflow_id]?.inputs });
  const fresh = () => resolveFlowInputs(flow, inputs, realParameters(bundle), bundle.outputs);
  if ('after' in which) return startOf(bundle, flow, fresh());

  const last = bundle.current?.flow_id === flow.id ? lastInputs(bundle) : null;
  if (!last && !which.edited) return startOf(bundle, flow, fresh());
  let base = last;
  if (!base) {
    const resolved = fresh();
    base = resolved.resolved;
  }
  return startOf(bundle, flow, applyInputEdits(flow.id, inputs, base, which.edited ?? {}));
}

const JOB_ENDS = ['completed', 'failed', 'cancelled'] as const;
type JobEnd = (typeof JOB_ENDS)[number];

/** The decision about one evaluating run flow (pure: assertions, __error, the next inputs). */
export function decideEvaluation(evaluation: FlowRunEvaluation): FlowRunDecision {
  const { run, run_flow: runFlow } = evaluation;
  const flow = run.flows.find((f) => f.id === runFlow.flow_id);
  // A job deleted under the run (its workflow purged) counts as failed.
  const jobStatus: JobEnd = (JOB_ENDS as readonly string[]).includes(runFlow.job_status ?? '')
    ? (runFlow.job_status as JobEnd)
    : 'failed';
  const assertions =
    jobStatus === 'completed' ? evaluateAssertions(flow?.assertions ?? [], runFlow.output) : [];
  const decided = decideAfterFlow(
    { mode: run.mode, flowIds: run.flows.map((f) => f.id) },
    runFlow.flow_id,
    {
      job_status: jobStatus,
      output: runFlow.output,
      job_error:
        runFlow.error ?? (runFlow.job_status === null ? { message: 'the job is gone' } : null),
      assertions,
    },
  );
  const base = { flow_status: decided.flow_status, assertions, error: decided.error };
  if (decided.next.kind !== 'start_next') return { ...base, next: decided.next };

  // This flow's output is the latest passed one for the next flow's mappings.
  const bundle: FlowRunBundle = {
    ...evaluation,
    outputs: { ...evaluation.outputs, [runFlow.flow_id]: runFlow.output },
  };
  const start = nextFlowStart(bundle, { after: runFlow.flow_id });
  if (start.ok) return { ...base, next: start.next };
  // The next flow's inputs do not resolve: the run fails there, naming each input.
  const error = inputProblemsError(start.problems) ?? {
    code: 'missing_input',
    message: `${start.flow_id} did not resolve`,
  };
  return { ...base, next: { kind: 'fail', error: { flow_id: start.flow_id, ...error } } };
}

/**
 * decideEvaluation, or, when it throws (a run whose snapshot it cannot read: the same on every
 * attempt), the flow failed with the reason and the run failed there, rather than a run flow
 * handed out for evaluation for ever.
 */
function decideSafely(evaluation: FlowRunEvaluation): FlowRunDecision {
  try {
    return decideEvaluation(evaluation);
  } catch (err) {
    const error = {
      code: 'job_failed' as const,
      message: `The run could not evaluate ${evaluation.run_flow.flow_id}: ${String(err).slice(0, 500)}`,
    };
    return {
      flow_status: 'failed',
      assertions: [],
      error,
      next: { kind: 'fail', error: { flow_id: evaluation.run_flow.flow_id, ...error } },
    };
  }
}

export interface EvaluationSummary {
  evaluated: number;
  applied: number;
  /** Jobs the advances started (the orchestrator claims again when > 0). */
  started: number;
  errors: number;
}

/** Most run flows decided per call (each decision is one advance_flow_run round trip). */
export const EVALUATION_BATCH = 100;

/**
 * Decides every run flow waiting for a decision and applies each decision, until none is
 * left (or a round applies nothing: another orchestrator holds the rest). An error in one
 * (a bug, a database error) is logged through `onError` and leaves that run flow evaluating
 * for the next orchestrator run; it never stops the others.
 */
export async function evaluateFlowRuns(
  store: FlowRunStore,
  onError: (message: string, detail: Record<string, unknown>) => void = () => undefined,
): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { evaluated: 0, applied: 0, started: 0, errors: 0 };
  const failedIds = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const due = (await store.flowRunEvaluations(EVALUATION_BATCH)).filter(
      (e) => !failedIds.has(e.run_flow.id),
    );
    if (due.length === 0) break;
    let progress = 0;
    for (const evaluation of due) {
      summary.evaluated++;
      try {
        const answer = await store.advanceFlowRun(evaluation.run_flow.id, decideSafely(evaluation));
        if (answer.applied) {
          summary.applied++;
          progress++;
          if (answer.job_id) summary.started++;
        }
      } catch (err) {
        summary.errors++;
        failedIds.add(evaluation.run_flow.id);
        onError('flow run evaluation failed', {
          run_flow_id: evaluation.run_flow.id,
          run_id: evaluation.run_flow.run_id,
          error: String(err),
        });
      }
    }
    if (progress === 0 || due.length < EVALUATION_BATCH) break;
  }
  return summary;
}
