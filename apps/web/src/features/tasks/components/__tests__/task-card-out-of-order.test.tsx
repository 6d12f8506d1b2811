import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TaskSequenceSlotContext } from '@/lib/task-card-slots';
import { taskItem } from '@/testing/task-fixtures';
import { renderWithProviders } from '@/testing/test-utils';
import type { TaskListItem } from '../../api/queries';
import { TaskCard } from '../task-card';

// Seed 001, decision 3 (issue 13 §3): completing a step ahead of the current one asks first
// ("Steps 2–3 are still open; complete step 4 anyway?") instead of warning after.

const instance = (current: number, status = 'active') => ({
  id: '50000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up – Spice Route – 2026-11-26',
  status,
  total_steps: 5,
  current_step_order: current,
});

function renderCard(task: TaskListItem) {
  const user = userEvent.setup();
  const onComplete = vi.fn();
  renderWithProviders(
    <TaskCard
      task={task}
      timeZone="Europe/London"
      now={new Date('2026-11-27T09:00:00Z')}
      onComplete={onComplete}
      onSkip={vi.fn()}
    />,
  );
  return { user, onComplete };
}

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
    const { user, onComplete } = renderCard(step(4, 'pending', 2));
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));

    const ask = screen.getByRole('alertdialog', { name: 'Complete this step out of order?' });
    expect(ask).toHaveTextContent('Steps 2–3 are still open; complete step 4 anyway?');
    expect(onComplete).not.toHaveBeenCalled();
    await user.click(within(ask).getByRole('button', { name: 'Complete step 4' }));
    expect(onComplete).toHaveBeenCalledTimes(1);
    expect(onComplete.mock.calls[0]?.[0]).toMatchObject({ sequence_step_order: 4 });
  });

  it('"Not yet" completes nothing', async () => {
    const { user, onComplete } = renderCard(step(3, 'pending', 2));
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));
    const ask = screen.getByRole('alertdialog');
    expect(ask).toHaveTextContent('Step 2 is still open; complete step 3 anyway?');
    await user.click(within(ask).getByRole('button', { name: 'Not yet' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onComplete).not.toHaveBeenCalled();
  });

  it.each([
    ['the current step', step(2, 'active', 2)],
    ['a task outside any sequence', taskItem({ name: 'Conduct demo' })],
  ])('does not ask for %s', async (_, task) => {
    const { user, onComplete } = renderCard(task);
    await user.click(screen.getByRole('button', { name: 'Complete Conduct demo' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(onComplete).toHaveBeenCalledTimes(1);
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
