import type { BranchTaken } from '@forkflow/domain/workflow-branches';
import type { JobEvent } from '../api/queries';

/**
 * Where a step went next, as its step_succeeded event records it (finish_workflow_steps,
 * docs/workflow-manager/branches.md): the branch that matched, the default when none did,
 * or its next_step. `next` null: the workflow ended there.
 */
export type StepChoice = {
  next: string | null;
  taken: BranchTaken;
};

export type StepSummary = {
  stepId: string;
  transformerId: string | null;
  status: 'succeeded' | 'failed' | 'running';
  attempts: number;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number | null;
  /** Where the step's last success led; null before it succeeded or for an event without it. */
  choice: StepChoice | null;
};

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

const isBranchObject = (value: unknown): value is { index: number; when: string; label?: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>).index === 'number' &&
  typeof (value as Record<string, unknown>).when === 'string';

/**
 * The choice a step_succeeded event records (its data's next_step and branch), or null
 * for events from before branches (no next_step) and anything malformed.
 */
export function stepChoice(data: unknown): StepChoice | null {
  const next = field(data, 'next_step');
  if (next !== null && typeof next !== 'string') return null;
  const branch = field(data, 'branch');
  if (branch === undefined) return { next, taken: 'next_step' };
  if (branch === 'default') return { next, taken: 'default' };
  if (!isBranchObject(branch)) return null;
  const label = typeof branch.label === 'string' ? branch.label : undefined;
  return {
    next,
    taken: { index: branch.index, when: branch.when, ...(label !== undefined ? { label } : {}) },
  };
}

/**
 * The choice in words for the timeline: "took “high score” — @.score > 50 matched → call",
 * "no branch matched → default summarise", "→ ended". Null for a linear step that went on
 * to its next_step (nothing was chosen; the next event says where it went).
 */
export function describeChoice(choice: StepChoice): string | null {
  const to = choice.next === null ? 'ended' : choice.next;
  if (choice.taken === 'next_step') return choice.next === null ? 'ended' : null;
  if (choice.taken === 'default')
    return choice.next === null
      ? 'no branch matched → ended (no default)'
      : `no branch matched → default ${to}`;
  const name = choice.taken.label ?? `branch ${choice.taken.index + 1}`;
  return `took “${name}” — ${choice.taken.when} matched → ${to}`;
}

/**
 * One line per step, in the order the steps first ran, from the job's events: how many
 * attempts, the last input, the output (or the last error) and how long it took.
 */
export function summariseSteps(events: readonly JobEvent[], stepData: unknown): StepSummary[] {
  const steps = new Map<string, StepSummary>();
  for (const event of events) {
    if (!event.step_id) continue;
    let step = steps.get(event.step_id);
    if (!step) {
      step = {
        stepId: event.step_id,
        transformerId: event.transformer_id,
        status: 'running',
        attempts: 0,
        input: undefined,
        output: field(stepData, event.step_id),
        error: undefined,
        durationMs: null,
        choice: null,
      };
      steps.set(event.step_id, step);
    }
    step.transformerId ??= event.transformer_id;
    switch (event.event_type) {
      case 'claimed':
        step.attempts += 1;
        step.status = 'running';
        break;
      case 'step_succeeded':
        step.status = 'succeeded';
        step.input = field(event.data, 'input');
        step.output = field(event.data, 'output');
        step.error = undefined;
        step.durationMs = event.duration_ms;
        step.choice = stepChoice(event.data);
        break;
      case 'step_failed':
        step.status = 'failed';
        step.input = field(event.data, 'input');
        step.error = field(event.data, 'error') ?? event.message;
        step.durationMs = event.duration_ms;
        break;
    }
  }
  return [...steps.values()];
}
