import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { taskItem } from '@/testing/task-fixtures';
import type { TaskListItem } from '../../api/queries';
import { useTaskShortcuts } from '../../hooks/use-task-shortcuts';
import { RestaurantTasks } from '../restaurant-tasks';
import { TaskCard } from '../task-card';

// Undo, Reopen, Snooze, the call outcome and the skip reason (issue 13 §2), through the
// lists a rep uses, against a fake PostgREST.

const me = '10000000-0000-4000-8000-000000000002';
vi.mock('@/lib/auth', () => ({ useUser: () => ({ id: me, email: 'rep@forkflow.test' }) }));

const restaurantId = '20000000-0000-4000-8000-000000000003';
const call = taskItem({
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Call Mei back',
  type: 'call',
  due_date: '2026-11-27T09:00:00Z',
});
const email = taskItem({
  id: '40000000-0000-4000-8000-000000000002',
  name: 'Send the menu',
  type: 'email',
  due_date: '2026-11-27T12:00:00Z',
});
const visit = taskItem({
  id: '40000000-0000-4000-8000-000000000003',
  name: 'Drop by with samples',
  type: 'internal_activity',
  due_date: '2026-11-27T15:00:00Z',
});

const fetchMock = vi.fn<typeof fetch>();
let tasks: TaskListItem[] = [];
let rpc: (name: string, body: Record<string, unknown>) => Promise<Response>;
const rpcCalls: Array<[string, Record<string, unknown>]> = [];

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  new URL(input instanceof Request ? input.url : String(input));

/** What complete/skip/reopen answer: the task as it now is. */
const answer = (task: TaskListItem, patch: Partial<TaskListItem>, warnings: string[] = []) =>
  postgrestResponse({ task: { ...task, ...patch }, next_task: null, instance: null, warnings });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T10:30:00Z')); // Friday 10:30 in London
  tasks = [call, email, visit];
  rpcCalls.length = 0;
  rpc = async () => postgrestResponse({ message: 'not stubbed' }, { status: 500 });
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = urlOf(input);
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      const name = url.pathname.slice('/rest/v1/rpc/'.length);
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      rpcCalls.push([name, body]);
      return rpc(name, body);
    }
    if (url.pathname === '/rest/v1/tasks') return postgrestResponse(tasks);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
});

function renderRestaurantTasks() {
  const user = userEvent.setup();
  const onTasksChanged = vi.fn();
  renderWithProviders(
    <RestaurantTasks
      restaurantId={restaurantId}
      timeZone="Europe/London"
      onAddTask={vi.fn()}
      onTasksChanged={onTasksChanged}
    />,
  );
  return { user, onTasksChanged };
}

describe('completing a call', () => {
  it('asks how it went, sends the outcome, and the toast’s Undo reopens it', async () => {
    rpc = async (name) =>
      name === 'complete_task'
        ? answer(call, { status: 'completed', completed_at: '2026-11-27T10:30:00Z' })
        : answer(call, { status: 'active', completed_at: null });
    const { user, onTasksChanged } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Complete Call Mei back' }));

    const dialog = screen.getByRole('alertdialog', { name: 'How did the call go?' });
    expect(rpcCalls).toEqual([]);
    await user.keyboard('2');

    await waitFor(() =>
      expect(rpcCalls).toEqual([['complete_task', { p_task_id: call.id, p_outcome: 'voicemail' }]]),
    );
    expect(dialog).not.toBeInTheDocument();
    const toast = (await screen.findByText('Task completed')).closest('[role="status"]');
    await user.click(within(toast as HTMLElement).getByRole('button', { name: 'Undo' }));

    await waitFor(() => expect(rpcCalls[1]).toEqual(['reopen_task', { p_task_id: call.id }]));
    expect(await screen.findByText('Undone')).toBeInTheDocument();
    expect(
      within(screen.getByRole('article', { name: 'Call Mei back' })).getByRole('button', {
        name: 'Complete Call Mei back',
      }),
    ).toBeInTheDocument();
    expect(onTasksChanged).toHaveBeenCalledTimes(2);
  });

  it('Escape completes it without an outcome', async () => {
    rpc = async () => answer(call, { status: 'completed', completed_at: '2026-11-27T10:30:00Z' });
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Complete Call Mei back' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(rpcCalls).toEqual([['complete_task', { p_task_id: call.id }]]));
  });

  it('an Undo the server refuses says why, and the task stays done', async () => {
    const done = { status: 'completed', completed_at: '2026-11-27T10:30:00Z' } as const;
    rpc = async (name) => {
      if (name === 'complete_task') {
        tasks = [call, { ...email, ...done }, visit];
        return answer(email, done);
      }
      return postgrestResponse(
        {
          code: 'cannot_reopen',
          message: 'Step 1 cannot be reopened: step 2 has already been completed.',
          details: null,
          hint: null,
        },
        { status: 409 },
      );
    };
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Complete Send the menu' }));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Couldn’t undo')).toBeInTheDocument();
    expect(
      within(alert).getByText('Step 1 cannot be reopened: step 2 has already been completed.'),
    ).toBeInTheDocument();
    // Still done: listed under Done, no longer among the open tasks.
    expect(screen.getByRole('button', { name: 'Done (1)' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Complete Send the menu' }),
    ).not.toBeInTheDocument();
  });
});

describe('focus after completing', () => {
  it('moves to the next open task in the list', async () => {
    rpc = async () => answer(email, { status: 'completed', completed_at: '2026-11-27T10:30:00Z' });
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Complete Send the menu' }));
    await waitFor(() =>
      expect(screen.getByRole('article', { name: 'Drop by with samples' })).toHaveFocus(),
    );
  });
});

describe('skipping', () => {
  it('asks an optional reason and sends it', async () => {
    rpc = async () => answer(visit, { status: 'skipped', skipped_at: '2026-11-27T10:30:00Z' });
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Skip Drop by with samples' }));

    const dialog = screen.getByRole('dialog', { name: 'Skip “Drop by with samples”?' });
    await user.type(
      within(dialog).getByLabelText('Reason (optional)'),
      'Closed for renovation{Enter}',
    );
    await waitFor(() =>
      expect(rpcCalls).toEqual([
        ['skip_task', { p_task_id: visit.id, p_reason: 'Closed for renovation' }],
      ]),
    );
  });

  it('Escape cancels the skip', async () => {
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Skip Drop by with samples' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(rpcCalls).toEqual([]);
    expect(
      within(screen.getByRole('article', { name: 'Drop by with samples' })).getByRole('button', {
        name: 'Skip Drop by with samples',
      }),
    ).toBeInTheDocument();
  });
});

describe('a done task', () => {
  it('shows its outcome or reason and a Reopen that calls reopen_task', async () => {
    tasks = [
      {
        ...call,
        status: 'completed',
        completed_at: '2026-11-27T09:10:00Z',
        metadata: { call_outcome: 'no_answer' },
      },
      {
        ...visit,
        status: 'skipped',
        skipped_at: '2026-11-27T09:20:00Z',
        metadata: { skip_reason: 'Owner away' },
      },
    ];
    rpc = async () => answer(call, { status: 'active', completed_at: null, metadata: {} });
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: /^Done/ }));

    expect(screen.getByText('Call outcome: No answer')).toBeInTheDocument();
    expect(screen.getByText('Skipped because: Owner away')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reopen Call Mei back' }));
    await waitFor(() => expect(rpcCalls).toEqual([['reopen_task', { p_task_id: call.id }]]));
    expect(await screen.findByText('Task reopened')).toBeInTheDocument();
  });
});

describe('snoozing', () => {
  it('a preset snoozes to 9:00 tomorrow on the organisation’s clock', async () => {
    rpc = async (_name, body) => postgrestResponse({ ...email, due_date: body.p_due_date });
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Snooze Send the menu' }));

    const dialog = screen.getByRole('dialog', { name: 'Snooze “Send the menu”' });
    expect(within(dialog).getByText('Times in Europe/London.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: /Tomorrow 9:00/ }));

    await waitFor(() =>
      expect(rpcCalls).toEqual([
        ['snooze_task', { p_task_id: email.id, p_due_date: '2026-11-28T09:00:00.000Z' }],
      ]),
    );
    expect(
      await screen.findByText('Send the menu is now due Sat 28 Nov 09:00.'),
    ).toBeInTheDocument();
  });

  it('a picked time in the past is refused before asking the server', async () => {
    const { user } = renderRestaurantTasks();
    await user.click(await screen.findByRole('button', { name: 'Snooze Send the menu' }));
    const field = screen.getByLabelText('Or pick a date and time');
    await user.clear(field);
    await user.type(field, '2026-11-26T09:00');
    await user.click(screen.getByRole('button', { name: 'Snooze' }));
    expect(screen.getByText('Pick a time in the future.')).toBeInTheDocument();
    expect(rpcCalls).toEqual([]);
  });

  it('z snoozes the task the keyboard is on', async () => {
    const user = userEvent.setup();
    function Shortcuts() {
      useTaskShortcuts({ enabled: true, onMove: vi.fn(), onComplete: vi.fn(), onSkip: vi.fn() });
      return null;
    }
    renderWithProviders(
      <>
        <Shortcuts />
        {[call, email].map((task) => (
          <TaskCard
            key={task.id}
            task={task}
            timeZone="Europe/London"
            now={new Date()}
            onComplete={vi.fn()}
            onSkip={vi.fn()}
          />
        ))}
      </>,
    );
    screen.getByRole('article', { name: 'Send the menu' }).focus();
    await user.keyboard('z');
    expect(screen.getByRole('dialog', { name: 'Snooze “Send the menu”' })).toBeInTheDocument();
  });
});
