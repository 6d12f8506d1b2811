import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { InstanceTask, SequenceInstance } from '../../api/queries';
import { TaskStepActions } from '../task-step-actions';

// "Edit sequence" on a sequence task's card (issue 13 §3): the sequence card's dialogs,
// opened from the task, on the instance as the server has it now.

const names = ['Send demo confirmation', 'Prepare demo materials', 'Reminder call'];
const task = (order: number, status: string): InstanceTask => ({
  id: `40000000-0000-4000-8000-00000000000${order}`,
  name: names[order - 1]!,
  type: 'call',
  status,
  due_date: null,
  sequence_step_order: order,
  completed_at: status === 'completed' ? '2026-11-26T10:00:00Z' : null,
  skipped_at: null,
  cancelled_at: null,
  assigned_to: null,
  sequence_delay_value: 2,
  sequence_delay_unit: 'hours',
});

const INSTANCE_ID = '50000000-0000-4000-8000-000000000001';
let instance: SequenceInstance;
const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  instance = {
    id: INSTANCE_ID,
    organisation_id: testOrganisation.id,
    restaurant_id: '20000000-0000-4000-8000-000000000003',
    sequence_template_id: null,
    name: 'Demo Follow-up – Spice Route – 2026-11-26',
    status: 'active',
    current_step_order: 2,
    total_steps: 3,
    assigned_to: null,
    started_at: '2026-11-26T09:00:00Z',
    paused_at: null,
    resume_at: null,
    resumed_at: null,
    completed_at: null,
    cancelled_at: null,
    exit_reason: null,
    is_modified: false,
    updated_at: '2026-11-26T10:00:00Z',
    tasks: [task(1, 'completed'), task(2, 'active'), task(3, 'pending')],
  };
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/sequence_instances') return postgrestResponse(instance);
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      return postgrestResponse({ task: null, next_task: null, instance: null, warnings: [] });
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

const slotTask = (order: number, status: string, instanceStatus = 'active') => ({
  id: task(order, status).id,
  name: names[order - 1]!,
  status,
  sequence_step_order: order,
  sequence_instance: { id: INSTANCE_ID, status: instanceStatus },
});

function renderActions(t: ReturnType<typeof slotTask>) {
  const user = userEvent.setup();
  const onChanged = vi.fn();
  renderWithProviders(<TaskStepActions task={t} onChanged={onChanged} />);
  return { user, onChanged };
}

const rpcBody = (name: string) => {
  const call = fetchMock.mock.calls.find(([input]) => String(input).includes(`/rpc/${name}`));
  return call ? (JSON.parse(String(call[1]?.body)) as unknown) : undefined;
};

describe('TaskStepActions', () => {
  it('adds a step right after the current task’s step', async () => {
    const { user, onChanged } = renderActions(slotTask(2, 'active'));
    await user.click(
      screen.getByRole('button', { name: 'Edit the sequence of Prepare demo materials' }),
    );
    const choices = screen.getByRole('dialog', { name: 'Edit this sequence' });
    await within(choices).findByRole('button', { name: 'Add a step after this one' });
    // The current step has no delay left to change.
    expect(
      within(choices).queryByRole('button', { name: 'Change this step’s delay' }),
    ).not.toBeInTheDocument();
    await user.click(within(choices).getByRole('button', { name: 'Add a step after this one' }));

    const add = await screen.findByRole('dialog', { name: 'Add a step' });
    expect(within(add).getByRole('combobox', { name: /Position/ })).toHaveDisplayValue(
      'After step 2: Prepare demo materials',
    );
    await user.type(within(add).getByRole('textbox', { name: /Name/ }), 'Send pricing');
    await user.click(within(add).getByRole('button', { name: 'Add step' }));
    await waitFor(() => expect(rpcBody('insert_sequence_task')).toMatchObject({ p_position: 3 }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('changes a pending task’s delay, starting from its current one', async () => {
    const { user } = renderActions(slotTask(3, 'pending'));
    await user.click(screen.getByRole('button', { name: 'Edit the sequence of Reminder call' }));
    await user.click(await screen.findByRole('button', { name: 'Change this step’s delay' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change the delay' });
    expect(within(dialog).getByRole('spinbutton', { name: /^Delay/ })).toHaveValue(2);
    expect(within(dialog).getByRole('combobox', { name: /Delay unit/ })).toHaveDisplayValue(
      'hours',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Change delay' }));
    await waitFor(() =>
      expect(rpcBody('update_sequence_task_delay')).toEqual({
        p_task_id: task(3, 'pending').id,
        p_delay_value: 2,
        p_delay_unit: 'hours',
      }),
    );
  });

  it('deletes the task’s step after saying what happens', async () => {
    const { user } = renderActions(slotTask(2, 'active'));
    await user.click(
      screen.getByRole('button', { name: 'Edit the sequence of Prepare demo materials' }),
    );
    await user.click(await screen.findByRole('button', { name: 'Delete this step' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete step 2?' });
    expect(confirm).toHaveTextContent('step 3 (Reminder call) becomes active now, due in 2 hours');
    await user.click(within(confirm).getByRole('button', { name: 'Delete step' }));
    await waitFor(() =>
      expect(rpcBody('delete_sequence_task')).toEqual({ p_task_id: task(2, 'active').id }),
    );
  });

  it('says so when the step moved on since the list loaded', async () => {
    instance = {
      ...instance,
      tasks: [task(1, 'completed'), task(2, 'completed'), task(3, 'active')],
    };
    const { user } = renderActions(slotTask(2, 'active'));
    await user.click(
      screen.getByRole('button', { name: 'Edit the sequence of Prepare demo materials' }),
    );
    expect(
      await screen.findByText(/This step is no longer open in a running sequence/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete this step' })).not.toBeInTheDocument();
  });

  it.each([
    ['a finished task', slotTask(1, 'completed')],
    ['a task of an ended sequence', slotTask(3, 'cancelled', 'cancelled')],
  ])('offers nothing for %s', (_, t) => {
    renderActions(t);
    expect(screen.queryByRole('button', { name: /Edit the sequence/ })).not.toBeInTheDocument();
  });
});
