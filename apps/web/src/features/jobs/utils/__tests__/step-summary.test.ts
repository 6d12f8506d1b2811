import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../api/queries';
import { stepChoice, summariseSteps } from '../step-summary';

const event = (id: number, overrides: Partial<JobEvent>): JobEvent => ({
  id,
  organisation_id: '00000000-0000-4000-8000-000000000001',
  job_id: '60000000-0000-4000-8000-000000000001',
  user_id: '10000000-0000-4000-8000-000000000001',
  event_type: 'claimed',
  step_id: 'score',
  transformer_id: 'echo-transformer',
  attempt: 1,
  from_status: null,
  to_status: null,
  duration_ms: null,
  message: null,
  data: {},
  created_at: '2026-11-22T09:00:00.000Z',
  ...overrides,
});

describe('stepChoice', () => {
  it('reads the branch, the default or next_step a step_succeeded event records', () => {
    expect(
      stepChoice({ next_step: 'call', branch: { index: 0, when: '@.a', label: 'A', extra: 1 } }),
    ).toEqual({ next: 'call', taken: { index: 0, when: '@.a', label: 'A' } });
    expect(stepChoice({ next_step: null, branch: 'default' })).toEqual({
      next: null,
      taken: 'default',
    });
    expect(stepChoice({ next_step: 'b' })).toEqual({ next: 'b', taken: 'next_step' });
  });

  it('is null for events from before branches and for malformed data', () => {
    expect(stepChoice({ output: 1 })).toBeNull();
    expect(stepChoice(null)).toBeNull();
    expect(stepChoice({ next_step: 3 })).toBeNull();
    expect(stepChoice({ next_step: 'x', branch: { index: '0', when: '@' } })).toBeNull();
  });
});

describe('summariseSteps', () => {
  it("keeps where a step's last success led; a retry's failure first does not change it", () => {
    const [score] = summariseSteps(
      [
        event(1, {}),
        event(2, { event_type: 'step_failed', data: { error: { code: 'x' } } }),
        event(3, { attempt: 2 }),
        event(4, {
          event_type: 'step_succeeded',
          attempt: 2,
          data: { output: {}, next_step: 'nurture', branch: 'default' },
        }),
      ],
      {},
    );
    expect(score).toMatchObject({
      attempts: 2,
      status: 'succeeded',
      choice: { next: 'nurture', taken: 'default' },
    });
  });
});
