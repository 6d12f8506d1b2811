import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { JobStartedBy, type JobOrigin } from '../job-started-by';
import { ME, WORKFLOW_ID } from './trigger-fixtures';

// "Started by" on the job page and list: a person, a trigger, a sequence step, a flow run.

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    if (url.includes('/workflow_triggers')) {
      return Promise.resolve(
        postgrestResponse([
          { id: 'trig-1', name: 'Demo done', kind: 'event', workflow_id: WORKFLOW_ID },
        ]),
      );
    }
    if (url.includes('/tasks')) {
      return Promise.resolve(
        postgrestResponse({
          id: 'task-1',
          name: 'Summarise the call',
          restaurant_id: 'rest-1',
          sequence_instance_id: 'inst-1',
          sequence_step_order: 4,
          restaurant: { name: 'Harbour Grill' },
        }),
      );
    }
    if (url.includes('/flow_sequence_run_flows')) {
      return Promise.resolve(postgrestResponse({ id: 'rf-1', run_id: 'run-1', position: 1 }));
    }
    return Promise.resolve(postgrestResponse([]));
  });
});
afterEach(() => vi.unstubAllGlobals());

const job = (overrides: Partial<JobOrigin> = {}): JobOrigin => ({
  user_id: ME,
  trigger_id: null,
  sequence_task_id: null,
  flow_run_flow_id: null,
  ...overrides,
});
const memberName = (id: string) => (id === ME ? 'Olive Owner' : undefined);

describe('JobStartedBy', () => {
  it('names the person for a job started by hand', () => {
    renderWithProviders(<JobStartedBy job={job()} memberName={memberName} />);
    expect(screen.getByText('Olive Owner')).toBeInTheDocument();
  });

  it('names the trigger and its kind, linking to the workflow’s triggers', async () => {
    renderWithProviders(
      <JobStartedBy job={job({ trigger_id: 'trig-1' })} memberName={memberName} />,
    );
    const link = await screen.findByRole('link', { name: 'Demo done' });
    expect(link).toHaveAttribute('href', `/workflows/${WORKFLOW_ID}#triggers`);
    expect(link.parentElement).toHaveTextContent('Trigger Demo done (app event) · as Olive Owner');
  });

  it('says a deleted trigger started it when the trigger is gone', async () => {
    renderWithProviders(
      <JobStartedBy job={job({ trigger_id: 'trig-gone' })} memberName={memberName} />,
    );
    expect(await screen.findByText(/A trigger since deleted/)).toBeInTheDocument();
  });

  it('links a sequence step to its restaurant’s sequence', async () => {
    renderWithProviders(
      <JobStartedBy job={job({ sequence_task_id: 'task-1' })} memberName={memberName} />,
    );
    const link = await screen.findByRole('link', {
      name: 'Step 4 “Summarise the call” of Harbour Grill',
    });
    expect(link).toHaveAttribute('href', '/restaurants/rest-1#sequence-inst-1');
  });

  it('links a flow run', async () => {
    renderWithProviders(
      <JobStartedBy job={job({ flow_run_flow_id: 'rf-1' })} memberName={memberName} />,
    );
    const link = await screen.findByRole('link', { name: 'Flow run' });
    expect(link).toHaveAttribute('href', '/flow-runs/run-1');
    expect(link.parentElement).toHaveTextContent('Flow run (flow 2) · as Olive Owner');
  });
});
