import type { JobEvent } from '../api/queries';

export type StepSummary = {
  stepId: string;
  transformerId: string | null;
  status: 'succeeded' | 'failed' | 'running';
  attempts: number;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number | null;
};

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

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
