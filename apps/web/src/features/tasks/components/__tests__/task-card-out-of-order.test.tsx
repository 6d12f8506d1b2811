import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TaskSequenceSlotContext } from '@/lib/task-card-slots';
import { taskItem } from '@/testing/task-fixtures';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { TaskListItem } from '../../api/queries';
import { useTaskActions } from '../../hooks/use-task-actions';
import { TaskCard } from '../task-card';

// Seed 001, decision 3 (issue 13 §3): completing a step ahead of the current one asks first
// ("Steps 2–3 are still open; complete step 4 anyway?") instead of warning after. Asked by
// useTaskActions().onComplete, so the card's button and the `c` shortcut both ask.

const instance = (current: number, status = 'active') => ({
  id: '50000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up – Spice Route – 2026-11-26',
  status,
  total_steps: 5,
  current_step_order: current,
});

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/rpc/complete_task') {
      return postgrestResponse({
        task: { id: 't', name: 'Conduct demo', status: 'completed' },
        next_task: null,
        instance: null,
        warnings: [],
      });
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function ActionsCard({ task }: { task: TaskListItem }) {
  const actions = useTaskActions({ timeZone: 'Europe/London' });
  return (
    <TaskCard
      task={task}
      timeZone="Europe/London"
      now={new Date('2026-11-27T09:00:00Z')}
      onComplete={actions.onComplete}
      onSkip={actions.onSkip}
    />
  );
}

function renderCard(task: TaskListItem) {
  const user = userEvent.setup();
  renderWithProviders(<ActionsCard task={task} />);
  return { user };
}

const completeCalls = () =>
  fetchMock.mock.calls.filter(([input]) => String(input).includes('/rpc/complete_task'));

const step = (order: number, status: string, current: number, instanceStatus = 'active') =>
  taskItem({
    name: 'Conduct demo',
    type: 'internal_activity',
    status,
    due_date: status === 'active' ? '2026-11-27T15:00:00Z' : null,
    sequence_instance_id: '50000000-0000-4000-8000-000000000001',
    sequence_step_order: order,
    sequence_instance: instance(current, instanceStatus),
  });

describe('completing a sequence step out of order', () => {
  it('asks first, naming the open steps, and completes only when confirmed', async () => {
    const { user } = renderCard(step(4, 'pending', 2));
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));

    const ask = screen.getByRole('alertdialog', { name: 'Complete this step out of order?' });
    expect(ask).toHaveTextContent('Steps 2–3 are still open; complete step 4 anyway?');
    expect(completeCalls()).toHaveLength(0);
    await user.click(within(ask).getByRole('button', { name: 'Complete step 4' }));
    await waitFor(() => expect(completeCalls()).toHaveLength(1));
    expect(JSON.parse(String(completeCalls()[0]?.[1]?.body))).toMatchObject({
      p_task_id: step(4, 'pending', 2).id,
    });
  });

  it('"Not yet" (or Escape) completes nothing', async () => {
    const { user } = renderCard(step(3, 'pending', 2));
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));
    const ask = screen.getByRole('alertdialog');
    expect(ask).toHaveTextContent('Step 2 is still open; complete step 3 anyway?');
    await user.click(within(ask).getByRole('button', { name: 'Not yet' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(completeCalls()).toHaveLength(0);
  });

  it.each([
    ['the current step', step(2, 'active', 2)],
    ['a task outside any sequence', taskItem({ name: 'Conduct demo', type: 'email' })],
  ])('does not ask for %s', async (_, task) => {
    const { user } = renderCard(task);
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(completeCalls()).toHaveLength(1));
  });
});

describe('the app’s sequence slot on a task card', () => {
  it('is shown for a sequence task only, given the task', () => {
    const slot = vi.fn((task: { name: string }) => <button type="button">Edit {task.name}</button>);
    renderWithProviders(
      <TaskSequenceSlotContext value={slot}>
        <TaskCard
          task={step(3, 'pending', 2)}
          timeZone="Europe/London"
          now={new Date('2026-11-27T09:00:00Z')}
          onComplete={vi.fn()}
          onSkip={vi.fn()}
        />
        <TaskCard
          task={taskItem({ id: '40000000-0000-4000-8000-000000000009', name: 'Lone task' })}
          timeZone="Europe/London"
          now={new Date('2026-11-27T09:00:00Z')}
          onComplete={vi.fn()}
          onSkip={vi.fn()}
        />
      </TaskSequenceSlotContext>,
    );
    expect(screen.getByRole('button', { name: 'Edit Conduct demo' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit Lone task' })).not.toBeInTheDocument();
    expect(slot).toHaveBeenCalledWith(expect.objectContaining({ sequence_step_order: 3 }));
  });
});
