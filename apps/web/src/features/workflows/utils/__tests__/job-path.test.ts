import type { WorkflowDefinition } from '@forkflow/domain/workflow-definition';
import { describe, expect, it } from 'vitest';
import { jobPath, type PathEvent } from '../job-path';

const definition: WorkflowDefinition = {
  start_step: 'check',
  steps: {
    check: {
      transformer_id: 'echo-transformer',
      next: [
        { when: '@.echoed_data.hot == true', step: 'call' },
        { when: '@.echoed_data.warm == true', step: 'call' },
      ],
      default: 'nurture',
    },
    call: { transformer_id: 'echo-transformer', next_step: null },
    nurture: { transformer_id: 'echo-transformer', next_step: null },
  },
};

const event = (event_type: string, step_id: string | null, data: unknown = {}): PathEvent => ({
  event_type,
  step_id,
  data,
});

describe('jobPath', () => {
  it('colours the steps that ran and follows the recorded branch', () => {
    const path = jobPath({
      definition,
      status: 'completed',
      currentStepId: null,
      events: [
        event('created', null),
        event('claimed', 'check'),
        event('step_succeeded', 'check', {
          next_step: 'call',
          branch: { index: 1, when: '@.echoed_data.warm == true' },
        }),
        event('claimed', 'call'),
        event('step_succeeded', 'call', { next_step: null }),
        event('completed', null),
      ],
    });
    expect(Object.fromEntries(path.statuses)).toEqual({
      check: 'succeeded',
      call: 'succeeded',
      nurture: 'not_run',
    });
    // Branch 1, not branch 0, though both lead to call: the event says which matched.
    expect([...path.edges]).toEqual(['check:branch:1', 'call:next']);
    expect(path.endReached).toBe(true);
  });

  it('follows the default when the event says so', () => {
    const path = jobPath({
      definition,
      status: 'running',
      currentStepId: 'nurture',
      events: [
        event('claimed', 'check'),
        event('step_succeeded', 'check', { next_step: 'nurture', branch: 'default' }),
        event('claimed', 'nurture'),
      ],
    });
    expect(Object.fromEntries(path.statuses)).toEqual({
      check: 'succeeded',
      call: 'not_run',
      nurture: 'running',
    });
    expect([...path.edges]).toEqual(['check:default']);
    expect(path.endReached).toBe(false);
  });

  it('infers the way from the next step that ran when the event does not record it', () => {
    const path = jobPath({
      definition,
      status: 'completed',
      currentStepId: null,
      events: [
        event('claimed', 'check'),
        event('step_succeeded', 'check', { output: {} }),
        event('claimed', 'nurture'),
        event('step_succeeded', 'nurture', {}),
      ],
    });
    expect([...path.edges]).toEqual(['check:default', 'nurture:next']);
  });

  it('marks a failed step, and a step waiting for its retry', () => {
    const waiting = jobPath({
      definition,
      status: 'awaiting_retry',
      currentStepId: 'check',
      events: [
        event('claimed', 'check'),
        event('step_failed', 'check'),
        event('retry_scheduled', 'check'),
      ],
    });
    expect(waiting.statuses.get('check')).toBe('waiting');
    const failed = jobPath({
      definition,
      status: 'failed',
      currentStepId: 'check',
      events: [event('claimed', 'check'), event('step_failed', 'check')],
    });
    expect(failed.statuses.get('check')).toBe('failed');
    expect(failed.edges.size).toBe(0);
  });

  it('shows a pending job’s first step as waiting', () => {
    const path = jobPath({
      definition,
      status: 'pending',
      currentStepId: 'check',
      events: [event('created', null)],
    });
    expect(path.statuses.get('check')).toBe('waiting');
  });
});
