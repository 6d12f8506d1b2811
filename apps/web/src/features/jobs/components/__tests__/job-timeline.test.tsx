import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../api/queries';
import { Timeline } from '../job-timeline';

const event = (id: number, overrides: Partial<JobEvent>): JobEvent => ({
  id,
  organisation_id: '00000000-0000-4000-8000-000000000001',
  job_id: '60000000-0000-4000-8000-000000000001',
  user_id: '10000000-0000-4000-8000-000000000001',
  event_type: 'created',
  step_id: null,
  transformer_id: null,
  attempt: null,
  from_status: null,
  to_status: null,
  duration_ms: null,
  message: null,
  data: {},
  created_at: '2026-11-22T09:00:00.000Z',
  ...overrides,
});

describe('Timeline', () => {
  it('says which input and output paths of a step matched nothing', () => {
    render(
      <Timeline
        events={[
          event(1, {}),
          event(2, {
            event_type: 'step_succeeded',
            step_id: 'enrich',
            attempt: 1,
            data: {
              input: { name: 'Ada' },
              output: {},
              missing_inputs: [{ key: 'x', path: '$.job_input.y' }],
              unmatched_outputs: [{ key: 'score', path: '$.output.rating' }],
            },
          }),
        ]}
      />,
    );
    const misses = screen.getByRole('list', {
      name: 'Paths that matched nothing in Step succeeded enrich',
    });
    const lines = within(misses)
      .getAllByRole('listitem')
      .map((line) => line.textContent);
    expect(lines).toEqual([
      'Input x got nothing: $.job_input.y matched nothing',
      'Output score got nothing: $.output.rating matched nothing',
    ]);
  });

  it('shows no such list when every path matched, or the data is not a list of paths', () => {
    render(
      <Timeline
        events={[
          event(1, { event_type: 'step_succeeded', step_id: 'a', data: { output: {} } }),
          event(2, { event_type: 'step_failed', step_id: 'b', data: { missing_inputs: 'oops' } }),
        ]}
      />,
    );
    expect(screen.queryByRole('list', { name: /matched nothing/ })).not.toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Timeline' })).toBeInTheDocument();
  });

  it('says which branch a step took and why, the default, or that it ended', () => {
    render(
      <Timeline
        events={[
          event(1, {
            event_type: 'step_succeeded',
            step_id: 'score',
            data: {
              output: { score: 90 },
              next_step: 'call',
              branch: { index: 0, label: 'high score', when: '@.score > 50' },
            },
          }),
          event(2, {
            event_type: 'step_succeeded',
            step_id: 'triage',
            data: { output: {}, next_step: 'summarise', branch: 'default' },
          }),
          event(3, {
            event_type: 'step_succeeded',
            step_id: 'filter',
            data: { output: {}, next_step: null, branch: { index: 1, when: '@.spam == true' } },
          }),
          event(4, {
            event_type: 'step_succeeded',
            step_id: 'check',
            data: { output: {}, next_step: null, branch: 'default' },
          }),
          event(5, { event_type: 'step_succeeded', step_id: 'last', data: { next_step: null } }),
        ]}
      />,
    );
    const items = screen.getAllByRole('listitem').map((item) => item.textContent ?? '');
    expect(items[0]).toContain('Next after score: took “high score” — @.score > 50 matched → call');
    expect(items[1]).toContain('Next after triage: no branch matched → default summarise');
    expect(items[2]).toContain('took “branch 2” — @.spam == true matched → ended');
    expect(items[3]).toContain('no branch matched → ended (no default)');
    expect(items[4]).toContain('Next after last: ended');
  });

  it('says nothing of the next step for a linear step going on, or events from before branches', () => {
    render(
      <Timeline
        events={[
          event(1, { event_type: 'step_succeeded', step_id: 'a', data: { next_step: 'b' } }),
          event(2, { event_type: 'step_succeeded', step_id: 'b', data: { output: 1 } }),
          event(3, { event_type: 'step_succeeded', step_id: 'c', data: { next_step: 7 } }),
        ]}
      />,
    );
    expect(screen.queryByText(/Next after/)).not.toBeInTheDocument();
  });
});
