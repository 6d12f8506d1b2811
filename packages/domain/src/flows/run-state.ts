import { cutText, type AssertionResult } from './assertions.ts';
import type { ResolveProblem } from './resolve.ts';
import type { RunFlowErrorCode, RunFlowStatus, RunMode, RunStatus } from './schemas.ts';

// The run state machine (issue 11; docs/projects-contract.md, "Runs"), as pure decisions:
//
//   flow's job ends ──▶ decideAfterFlow ──▶ passed: normal → next flow | completed
//                                                    debug  → paused
//                                           failed: normal → run failed
//                                                    debug  → paused (re-run or stop)
//   user clicks     ──▶ decideAction    ──▶ paused + continue (flow passed) → next | completed
//                                           paused + rerun → a new attempt of that flow
//                                           running/paused + stop → stopped
//
// These functions decide; SQL (advance_flow_run) applies a decision only from the state it
// was made in, so two finishes or two clicks advance a run once. Who loses gets run_changed.

export type FlowEnd = {
  job_status: 'completed' | 'failed' | 'cancelled';
  /** The job's final_result. */
  output: unknown;
  job_error?: { code?: string; message?: string } | null;
  /** evaluateAssertions over the output. */
  assertions: readonly AssertionResult[];
};

export type NextStep =
  | { kind: 'start_next'; flow_id: string }
  | { kind: 'pause' }
  | { kind: 'complete' }
  | { kind: 'fail' };

export type FlowDecision = {
  flow_status: 'passed' | 'failed';
  error: { code: RunFlowErrorCode; message: string } | null;
  next: NextStep;
};

/** The flow after `flowId` in the run's order, or null after the last. Throws if absent. */
export function nextFlowId(flowIds: readonly string[], flowId: string): string | null {
  const index = flowIds.indexOf(flowId);
  if (index < 0) throw new Error(`${flowId} is not a flow of this run (${flowIds.join(', ')})`);
  return flowIds[index + 1] ?? null;
}

/**
 * The message of an `__error` member at the top level of a flow's output (a workflow's way
 * to say it failed while its job completed), or null when there is none. The member's
 * presence is the signal, whatever its value: `{ "__error": null }` fails the flow too, as
 * the contract says "output with `__error`"; deeper `__error` members are data.
 */
export function outputError(output: unknown): string | null {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return null;
  if (!Object.hasOwn(output, '__error')) return null;
  const value = (output as Record<string, unknown>).__error;
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const message = (value as Record<string, unknown>).message;
    if (typeof message === 'string' && message.length > 0) return message;
  }
  const text = JSON.stringify(value) ?? String(value);
  return cutText(text, 500);
}

/** What happens when a flow's job ends: the flow passed or failed, and where the run goes. */
export function decideAfterFlow(
  run: { mode: RunMode; flowIds: readonly string[] },
  flowId: string,
  end: FlowEnd,
): FlowDecision {
  const next = nextFlowId(run.flowIds, flowId);
  const error = flowError(end);
  if (error !== null) {
    return {
      flow_status: 'failed',
      error,
      next: run.mode === 'debug' ? { kind: 'pause' } : { kind: 'fail' },
    };
  }
  return {
    flow_status: 'passed',
    error: null,
    next:
      run.mode === 'debug'
        ? { kind: 'pause' }
        : next === null
          ? { kind: 'complete' }
          : { kind: 'start_next', flow_id: next },
  };
}

function flowError(end: FlowEnd): { code: RunFlowErrorCode; message: string } | null {
  if (end.job_status === 'failed') {
    const { code, message } = end.job_error ?? {};
    const text = message ?? 'The job failed';
    return { code: 'job_failed', message: code ? `${code}: ${text}` : text };
  }
  if (end.job_status === 'cancelled') {
    return { code: 'job_cancelled', message: end.job_error?.message ?? 'The job was cancelled' };
  }
  const reported = outputError(end.output);
  if (reported !== null)
    return { code: 'output_error', message: `The output holds __error: ${reported}` };
  const failing = end.assertions.filter((a) => !a.passed);
  if (failing.length > 0) {
    const more =
      failing.length > 1
        ? ` (and ${failing.length - 1} more failed assertion${failing.length > 2 ? 's' : ''})`
        : '';
    return { code: 'assertion_failed', message: `${failing[0]!.message}${more}` };
  }
  return null;
}

/**
 * The error of a flow whose inputs do not resolve (resolveFlowInputs' problems), as recorded
 * on its run flow and the run: type_mismatch when that is all that is wrong, else
 * missing_input. Null when there is no problem.
 */
export function inputProblemsError(
  problems: readonly ResolveProblem[],
): { code: 'missing_input' | 'type_mismatch'; message: string } | null {
  if (problems.length === 0) return null;
  const code = problems.every((p) => p.code === 'type_mismatch')
    ? 'type_mismatch'
    : 'missing_input';
  return { code, message: problems.map((p) => p.message).join('; ') };
}

export type RunState = {
  status: RunStatus;
  mode: RunMode;
  flowIds: readonly string[];
  current_flow_id: string | null;
  /** The status of the current flow's latest attempt. */
  current_flow_status: RunFlowStatus | null;
};

export type RunAction = { action: 'continue' | 'rerun' | 'stop'; flow_id?: string };

export type ActionDecision =
  | { ok: true; kind: 'start_next' | 'complete' | 'rerun' | 'stop'; flow_id?: string }
  | { ok: false; code: 'run_changed' | 'not_allowed'; message: string };

/**
 * Whether a user's click applies to the run as it is now. `flow_id` is the flow the user saw
 * as current: another one means the run moved on (a teammate, another tab) → run_changed, so
 * a stale page never continues past a flow its user has not seen. Likewise continue or rerun
 * on a run that is running again or has ended (someone acted first). An action the state
 * never allows (continue after a failed flow, stop on an ended run) → not_allowed.
 */
export function decideAction(state: RunState, action: RunAction): ActionDecision {
  const changed = (message: string): ActionDecision => ({
    ok: false,
    code: 'run_changed',
    message,
  });
  const refused = (message: string): ActionDecision => ({
    ok: false,
    code: 'not_allowed',
    message,
  });

  if (action.flow_id !== undefined && action.flow_id !== state.current_flow_id) {
    return changed(
      `The run is at ${state.current_flow_id ?? 'no flow'}, not ${action.flow_id}; reload to see where it is`,
    );
  }
  if (state.status === 'completed' || state.status === 'failed' || state.status === 'stopped') {
    // Continue and rerun are offered only on a paused run, so a page asking for them on an
    // ended one is stale; a second stop is simply too late.
    return action.action === 'stop'
      ? refused(`The run has already ended (${state.status})`)
      : changed(`The run has ended (${state.status}) since; reload to see how`);
  }
  if (action.action === 'stop') return { ok: true, kind: 'stop' };

  if (state.status === 'running') {
    return changed(
      'The run is running again (someone else acted first); reload to see where it is',
    );
  }
  // Paused from here on.
  if (state.current_flow_id === null) return refused('The run is paused at no flow');
  if (action.action === 'rerun') return { ok: true, kind: 'rerun', flow_id: state.current_flow_id };

  if (state.current_flow_status !== 'passed') {
    return refused(
      `${state.current_flow_id} ${state.current_flow_status === 'failed' ? 'failed' : `is ${state.current_flow_status ?? 'not run'}`}: re-run it or stop the run`,
    );
  }
  const next = nextFlowId(state.flowIds, state.current_flow_id);
  return next === null
    ? { ok: true, kind: 'complete' }
    : { ok: true, kind: 'start_next', flow_id: next };
}
