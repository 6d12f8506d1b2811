import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { TaskListItem } from '../../api/queries';
import { taskItem } from '@/testing/task-fixtures';
import { MyTasks } from '../my-tasks';

const me = '10000000-0000-4000-8000-000000000002';
vi.mock('@/lib/auth', () => ({ useUser: () => ({ id: me, email: 'rep@forkflow.test' }) }));

const instance = {
  id: '50000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up – Spice Route – 2026-11-24',
  status: 'active',
  total_steps: 5,
  current_step_order: 2,
};

const overdue = taskItem({
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Call Mei back',
  due_date: '2026-11-26T16:00:00Z',
  restaurant_id: '20000000-0000-4000-8000-000000000002',
  restaurant: { id: '20000000-0000-4000-8000-000000000002', name: 'The Golden Wok' },
});
const today = taskItem({
  id: '40000000-0000-4000-8000-000000000002',
  name: 'Prepare demo materials',
  type: 'internal_activity',
  due_date: '2026-11-27T15:00:00Z',
  sequence_instance_id: instance.id,
  sequence_step_order: 2,
  sequence_instance: instance,
});
const upcoming = taskItem({
  id: '40000000-0000-4000-8000-000000000003',
  name: 'Send pricing to Arjun',
  type: 'email',
  due_date: '2026-11-30T09:00:00Z',
  subject: 'Pricing for Spice Route',
  message: 'Hi Arjun, here is the pricing.',
  metadata: { render_warnings: [{ variable: 'contact_first_name', problem: 'empty' }] },
});
const later = taskItem({
  id: '40000000-0000-4000-8000-000000000004',
  name: 'Reminder call',
  status: 'pending',
  due_date: null,
  sequence_instance_id: instance.id,
  sequence_step_order: 3,
  sequence_instance: instance,
});

const fetchMock = vi.fn<typeof fetch>();
let tasks: TaskListItem[] = [];
let rpc: (name: string, body: unknown) => Promise<Response>;

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  new URL(input instanceof Request ? input.url : String(input));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T10:30:00Z')); // Friday 10:30 in London
  tasks = [overdue, today, upcoming, later];
  rpc = async () => postgrestResponse({ message: 'not stubbed' }, { status: 500 });
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = urlOf(input);
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      return rpc(url.pathname.slice('/rest/v1/rpc/'.length), JSON.parse(String(init?.body)));
    }
    if (url.pathname === '/rest/v1/tasks') return postgrestResponse(tasks);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
});

function renderMyTasks(route = '/tasks') {
  const user = userEvent.setup();
  const onTasksChanged = vi.fn();
  renderWithProviders(
    <MyTasks
      timeZone="Europe/London"
      assignees={[{ id: me, name: 'Remy Rep' }]}
      onAddTask={vi.fn()}
      onTasksChanged={onTasksChanged}
    />,
    { route },
  );
  return { user, onTasksChanged };
}

const section = (name: RegExp) => screen.getByRole('region', { name });
const taskRequests = () =>
  fetchMock.mock.calls
    .map(([input]) => urlOf(input))
    .filter((url) => url.pathname === '/rest/v1/tasks');

describe('MyTasks', () => {
  it("groups the rep's open tasks by due date, as days fall in the organisation's time zone", async () => {
    renderMyTasks();
    expect(screen.getByRole('status', { name: 'Loading tasks' })).toBeInTheDocument();

    await screen.findByRole('heading', { name: 'Call Mei back' });
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Overdue1',
      'Today1',
      'Upcoming1',
      'No due date1',
    ]);
    expect(within(section(/^Overdue/)).getByText('Thu 26 Nov 16:00')).toBeInTheDocument();
    expect(
      within(section(/^Today/)).getByRole('heading', { name: 'Prepare demo materials' }),
    ).toBeInTheDocument();
    expect(within(section(/^Today/)).getByText('15:00')).toBeInTheDocument();
    expect(within(section(/^Upcoming/)).getByText('Mon 30 Nov 09:00')).toBeInTheDocument();
    expect(
      within(section(/^No due date/)).getByText('Due date set when the step before is done'),
    ).toBeInTheDocument();

    // Scoped to the organisation and, by default, to the rep's own open tasks.
    const url = taskRequests()[0]!;
    expect(url.searchParams.get('organisation_id')).toBe(`eq.${testOrganisation.id}`);
    expect(url.searchParams.get('assigned_to')).toBe(`eq.${me}`);
    expect(url.searchParams.get('status')).toBe('eq.active');
  });

  it('shows "Step 2 of 5" on a sequence task, linking to that sequence on the restaurant page', async () => {
    renderMyTasks();
    const badge = await screen.findByRole('link', { name: 'Step 2 of 5' });
    expect(badge).toHaveAttribute(
      'href',
      `/restaurants/${today.restaurant_id}#sequence-${instance.id}`,
    );
    expect(screen.getByRole('link', { name: 'Step 3 of 5' })).toBeInTheDocument();
  });

  it('completes a task at once on screen, and puts it back with the reason when the server refuses', async () => {
    let refuse: (response: Response) => void = () => undefined;
    rpc = () => new Promise((resolve) => (refuse = resolve));
    const { user, onTasksChanged } = renderMyTasks();
    await screen.findByRole('heading', { name: 'Call Mei back' });

    await user.click(screen.getByRole('button', { name: 'Complete Call Mei back' }));
    // A call asks how it went; Escape completes it without an outcome.
    await user.keyboard('{Escape}');

    const card = screen.getByRole('article', { name: 'Call Mei back' });
    expect(within(card).getByText('Completed')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: /Complete/ })).not.toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith(
      expect.stringContaining('/rest/v1/rpc/complete_task'),
      expect.objectContaining({ body: JSON.stringify({ p_task_id: overdue.id }) }),
    );

    refuse(
      postgrestResponse(
        { code: '42501', message: 'permission denied', details: null, hint: null },
        { status: 403 },
      ),
    );

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Couldn’t complete the task')).toBeInTheDocument();
    expect(
      within(alert).getByText("You don't have permission to do that in this organisation."),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('article', { name: 'Call Mei back' })).getByRole('button', {
        name: 'Complete Call Mei back',
      }),
    ).toBeInTheDocument();
    expect(onTasksChanged).toHaveBeenCalled();
  });

  it("says what comes next, and passes on the RPC's warnings", async () => {
    rpc = async (name) => {
      expect(name).toBe('complete_task');
      tasks = [overdue, { ...later, status: 'active', due_date: '2026-11-28T10:00:00Z' }, upcoming];
      return postgrestResponse({
        task: { ...today, status: 'completed', completed_at: '2026-11-27T10:30:00Z' },
        next_task: {
          ...later,
          name: 'Follow-up call',
          status: 'active',
          due_date: '2026-11-28T10:00:00Z',
        },
        instance,
        warnings: ['step 2 was completed ahead of step 1, which stays active'],
      });
    };
    const { user } = renderMyTasks();
    await screen.findByRole('heading', { name: 'Prepare demo materials' });

    await user.click(screen.getByRole('button', { name: 'Complete Prepare demo materials' }));

    expect(
      await screen.findByText('Next: Step 3 — Follow-up call, due Sat 28 Nov 10:00'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Step 2 was completed ahead of step 1, which stays active.'),
    ).toBeInTheDocument();
    // The list refetches: the next step is now in Upcoming.
    await waitFor(() =>
      expect(
        within(section(/^Upcoming/)).getByRole('heading', { name: 'Reminder call' }),
      ).toBeInTheDocument(),
    );
  });

  it('copies the rendered message and warns about placeholders that were empty', async () => {
    const { user } = renderMyTasks();
    const card = await screen.findByRole('article', { name: 'Send pricing to Arjun' });

    expect(within(card).getByRole('note')).toHaveTextContent(
      '{contact_first_name} is empty for this restaurant, so it was left out.',
    );
    await user.click(within(card).getByRole('button', { name: 'Copy message' }));
    // user-event stands in for the system clipboard.
    expect(await navigator.clipboard.readText()).toBe(
      'Pricing for Spice Route\n\nHi Arjun, here is the pricing.',
    );
    expect(within(card).getByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('moves with j/k and completes with c', async () => {
    const bodies: unknown[] = [];
    rpc = async (_name, body) => {
      bodies.push(body);
      return postgrestResponse({ task: { ...today, status: 'completed' }, warnings: [] });
    };
    const { user } = renderMyTasks();
    await screen.findByRole('heading', { name: 'Call Mei back' });

    await user.keyboard('jj');
    expect(screen.getByRole('article', { name: 'Prepare demo materials' })).toHaveAttribute(
      'data-current',
      'true',
    );
    await user.keyboard('k');
    expect(screen.getByRole('article', { name: 'Call Mei back' })).toHaveAttribute(
      'data-current',
      'true',
    );
    await user.keyboard('c');
    await user.keyboard('{Escape}'); // the call's outcome: none
    await waitFor(() => expect(bodies).toEqual([{ p_task_id: overdue.id }]));
  });

  it('keeps filters in the URL and asks the server for them', async () => {
    const { user } = renderMyTasks('/tasks?status=completed&assignee=anyone');
    await screen.findByRole('region', { name: /^Completed/ });
    const url = taskRequests()[0]!;
    expect(url.searchParams.get('status')).toBe('eq.completed');
    expect(url.searchParams.has('assigned_to')).toBe(false);
    expect(url.searchParams.get('order')).toMatch(/^completed_at\.desc/);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Email');
    await waitFor(() => expect(taskRequests().at(-1)?.searchParams.get('type')).toBe('eq.email'));
  });

  it('says when there is nothing to do', async () => {
    tasks = [];
    renderMyTasks();
    expect(
      await screen.findByRole('heading', { name: "You're all caught up" }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a task' })).toBeInTheDocument();
  });
});
