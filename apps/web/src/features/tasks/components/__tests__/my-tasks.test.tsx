import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { TaskListItem } from '../../api/queries';
import { taskItem } from '@/testing/task-fixtures';
import { dayKey } from '../../utils/dates';
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
let countsOverride: Record<string, number> | undefined;

type PageBody = {
  p_section: string;
  p_now: string;
  p_time_zone: string;
  p_after_at?: string;
  p_after_id?: string;
  p_through_at?: string;
  p_through_id?: string;
  p_limit: number;
};

// A stand-in for my_tasks_page and my_task_counts over `tasks` (their SQL is tested in
// supabase/tests/my-tasks-paging.test.ts): the same sections and keyset order.
function sectionOf(task: TaskListItem, now: string, timeZone: string): string {
  if (!task.due_date) return 'no_due_date';
  if (task.due_date < now) return 'overdue';
  return dayKey(task.due_date, timeZone) === dayKey(now, timeZone) ? 'today' : 'upcoming';
}
const sortKey = (task: TaskListItem, section: string) =>
  `${section === 'no_due_date' ? task.created_at : (task.due_date ?? '')}|${task.id}`;

function fakePage(body: PageBody): TaskListItem[] {
  const rows = tasks
    .filter(
      (task) =>
        body.p_section === 'all' ||
        sectionOf(task, body.p_now, body.p_time_zone) === body.p_section,
    )
    .sort((a, b) => (sortKey(a, body.p_section) < sortKey(b, body.p_section) ? -1 : 1));
  const after = body.p_after_at ? `${body.p_after_at}|${body.p_after_id}` : null;
  const through = body.p_through_at ? `${body.p_through_at}|${body.p_through_id}` : null;
  return rows
    .filter((task) => !after || sortKey(task, body.p_section) > after)
    .filter((task) => !through || sortKey(task, body.p_section) <= through)
    .slice(0, body.p_limit);
}

function fakeCounts(body: PageBody) {
  const counts: Record<string, number> = {
    overdue: 0,
    today: 0,
    upcoming: 0,
    no_due_date: 0,
    total: tasks.length,
    cap: 1000,
  };
  for (const task of tasks) counts[sectionOf(task, body.p_now, body.p_time_zone)]! += 1;
  return { ...counts, ...countsOverride };
}

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  new URL(input instanceof Request ? input.url : String(input));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T10:30:00Z')); // Friday 10:30 in London
  tasks = [overdue, today, upcoming, later];
  countsOverride = undefined;
  rpc = async () => postgrestResponse({ message: 'not stubbed' }, { status: 500 });
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = urlOf(input);
    if (url.pathname === '/rest/v1/rpc/my_tasks_page') {
      return postgrestResponse(fakePage(JSON.parse(String(init?.body)) as PageBody));
    }
    if (url.pathname === '/rest/v1/rpc/my_task_counts') {
      return postgrestResponse(fakeCounts(JSON.parse(String(init?.body)) as PageBody));
    }
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      return rpc(url.pathname.slice('/rest/v1/rpc/'.length), JSON.parse(String(init?.body)));
    }
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
/** The task names of a section's cards, in order. */
const cardNames = (region: HTMLElement) =>
  within(region)
    .getAllByRole('article')
    .map(
      (card) => document.getElementById(card.getAttribute('aria-labelledby') ?? '')?.textContent,
    );

/** The bodies sent to an RPC, in order. */
const rpcBodies = (name: string) =>
  fetchMock.mock.calls
    .filter(([input]) => urlOf(input).pathname === `/rest/v1/rpc/${name}`)
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>);

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

    // Scoped to the organisation and, by default, to the rep's own open tasks: one page per
    // section, cut at the same minute in the organisation's zone, and one call for the counts.
    const pages = rpcBodies('my_tasks_page');
    expect(pages.map((body) => body.p_section)).toEqual([
      'overdue',
      'today',
      'upcoming',
      'no_due_date',
    ]);
    for (const body of [...pages, ...rpcBodies('my_task_counts')]) {
      expect(body).toMatchObject({
        p_organisation_id: testOrganisation.id,
        p_assignee: me,
        p_status: 'active',
        p_now: '2026-11-27T10:30:00.000Z',
        p_time_zone: 'Europe/London',
      });
    }
    expect(rpcBodies('my_task_counts')).toHaveLength(1);
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
    // Closed tasks are one list, newest first (the server's order for section 'all').
    expect(rpcBodies('my_tasks_page')).toEqual([
      expect.objectContaining({ p_status: 'completed', p_assignee: 'anyone', p_section: 'all' }),
    ]);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Email');
    await waitFor(() =>
      expect(rpcBodies('my_tasks_page').at(-1)).toMatchObject({ p_type: 'email' }),
    );
    expect(rpcBodies('my_task_counts').at(-1)).toMatchObject({
      p_status: 'completed',
      p_type: 'email',
    });
  });

  it('a snooze from a card refreshes the page’s sequences as complete and skip do', async () => {
    rpc = async (name, body) =>
      name === 'snooze_task'
        ? postgrestResponse({ ...upcoming, due_date: (body as { p_due_date: string }).p_due_date })
        : postgrestResponse({ message: 'not stubbed' }, { status: 500 });
    const { user, onTasksChanged } = renderMyTasks();
    await user.click(await screen.findByRole('button', { name: 'Snooze Send pricing to Arjun' }));
    const dialog = screen.getByRole('dialog', { name: 'Snooze “Send pricing to Arjun”' });
    await user.click(within(dialog).getByRole('button', { name: /Tomorrow 9:00/ }));

    await waitFor(() => expect(onTasksChanged).toHaveBeenCalled());
    expect(rpcBodies('snooze_task')).toHaveLength(1);
  });

  it('says when there is nothing to do', async () => {
    tasks = [];
    renderMyTasks();
    expect(
      await screen.findByRole('heading', { name: "You're all caught up" }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a task' })).toBeInTheDocument();
  });
  it('searches restaurants as you type and filters by the one picked', async () => {
    const zed = { id: '20000000-0000-4000-8000-000000000099', name: 'Zed’s Diner' };
    const searches: unknown[] = [];
    rpc = async (name, body) => {
      if (name !== 'search_task_filter_restaurants') return postgrestResponse([]);
      searches.push(body);
      return postgrestResponse([zed]);
    };
    const { user } = renderMyTasks();
    await screen.findByRole('heading', { name: 'Call Mei back' });

    await user.click(screen.getByRole('button', { name: /^Restaurant All restaurants/ }));
    await user.type(screen.getByRole('combobox', { name: 'Search restaurant' }), 'zed');
    // The server searches the prefix, 20 at a time, in this organisation.
    await waitFor(() =>
      expect(searches).toContainEqual({
        p_organisation_id: testOrganisation.id,
        p_search: 'zed',
        p_limit: 20,
      }),
    );
    await user.click(await screen.findByRole('option', { name: 'Zed’s Diner' }));

    await waitFor(() =>
      expect(rpcBodies('my_tasks_page').at(-1)).toMatchObject({ p_restaurant_id: zed.id }),
    );
    expect(rpcBodies('my_task_counts').at(-1)).toMatchObject({ p_restaurant_id: zed.id });
    expect(screen.getByRole('button', { name: /^Restaurant Zed’s Diner/ })).toBeInTheDocument();
  });

  it("names the URL's restaurant and sequence even when no search has listed them", async () => {
    const restaurantId = '20000000-0000-4000-8000-000000000099';
    fetchMock.mockImplementation(async (input, init) => {
      const url = urlOf(input);
      if (url.pathname === '/rest/v1/restaurants')
        return postgrestResponse([{ name: 'Zed’s Diner' }]);
      if (url.pathname === '/rest/v1/sequence_instances') return postgrestResponse([]);
      if (url.pathname === '/rest/v1/rpc/my_tasks_page') {
        return postgrestResponse(fakePage(JSON.parse(String(init?.body)) as PageBody));
      }
      if (url.pathname === '/rest/v1/rpc/my_task_counts') {
        return postgrestResponse(fakeCounts(JSON.parse(String(init?.body)) as PageBody));
      }
      return postgrestResponse([]);
    });
    renderMyTasks(`/tasks?restaurant=${restaurantId}&instance=${instance.id}`);
    expect(
      await screen.findByRole('button', { name: /^Restaurant Zed’s Diner/ }),
    ).toBeInTheDocument();
    // A sequence that is gone (or not running) still reads as a filter, in words.
    expect(
      await screen.findByRole('button', { name: /^Sequence This sequence/ }),
    ).toBeInTheDocument();
    expect(
      fetchMock.mock.calls.some(
        ([input]) => urlOf(input).searchParams.get('id') === `eq.${restaurantId}`,
      ),
    ).toBe(true);
  });

  // A hundred cards or more render slowly in jsdom on a loaded machine: these get 30 s.
  describe('past one page', { timeout: 30_000 }, () => {
    // 120 overdue tasks, the last five sharing a due time (the id orders them).
    const many = Array.from({ length: 120 }, (_, i) =>
      taskItem({
        id: `41000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `Overdue task ${i + 1}`,
        type: 'email',
        due_date: new Date(Date.parse('2026-11-20T09:00:00Z') + Math.min(i, 115) * 60_000)
          .toISOString()
          .replace('.000Z', 'Z'),
      }),
    );

    it('loads each section 50 at a time, with its count, and loads more after the last row', async () => {
      tasks = [...many, today];
      const { user } = renderMyTasks();
      const overdueSection = await screen.findByRole('region', { name: /^Overdue/ });
      expect(within(overdueSection).getAllByRole('article')).toHaveLength(50);
      expect(within(overdueSection).getByRole('heading', { level: 2 })).toHaveTextContent(
        'Overdue120',
      );
      expect(within(overdueSection).getByText('Showing 50 of 120')).toBeInTheDocument();
      // A section that fits in one page has no Load more.
      expect(
        within(section(/^Today/)).queryByRole('button', { name: /Load more/ }),
      ).not.toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Load more overdue tasks' }));
      await waitFor(() =>
        expect(within(section(/^Overdue/)).getAllByRole('article')).toHaveLength(100),
      );
      // The next page starts after the 50th row's (due date, id).
      expect(rpcBodies('my_tasks_page').at(-1)).toMatchObject({
        p_section: 'overdue',
        p_after_at: many[49]!.due_date,
        p_after_id: many[49]!.id,
        p_limit: 50,
      });
      // The first page keeps its rows (seeded as its closed range): it is not fetched again.
      expect(
        rpcBodies('my_tasks_page').filter((b) => b.p_section === 'overdue' && !b.p_after_at),
      ).toHaveLength(1);

      await user.click(screen.getByRole('button', { name: 'Load more overdue tasks' }));
      await waitFor(() =>
        expect(within(section(/^Overdue/)).getAllByRole('article')).toHaveLength(120),
      );
      expect(
        within(section(/^Overdue/)).queryByRole('button', { name: /Load more/ }),
      ).not.toBeInTheDocument();
      expect(cardNames(section(/^Overdue/))).toEqual(many.map((task) => task.name));
    });

    it('completes a task of a later page at once, and the lists refetch in their ranges', async () => {
      tasks = many.slice(0, 60);
      let answer: (response: Response) => void = () => undefined;
      rpc = () => new Promise((resolve) => (answer = resolve));
      const { user } = renderMyTasks();
      await screen.findByRole('button', { name: 'Load more overdue tasks' });
      await user.click(screen.getByRole('button', { name: 'Load more overdue tasks' }));
      const card = await screen.findByRole('article', { name: 'Overdue task 55' });

      await user.click(within(card).getByRole('button', { name: 'Complete Overdue task 55' }));
      expect(within(card).getByText('Completed')).toBeInTheDocument();

      tasks = many.slice(0, 60).filter((task) => task.name !== 'Overdue task 55');
      answer(
        postgrestResponse({
          task: { ...many[54]!, status: 'completed', completed_at: '2026-11-27T10:30:00Z' },
          warnings: [],
        }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('article', { name: 'Overdue task 55' })).not.toBeInTheDocument(),
      );
      // The first page refetched within its range (through its last row), never past it.
      const refetches = rpcBodies('my_tasks_page').filter(
        (b) => b.p_section === 'overdue' && b.p_through_id === many[49]!.id,
      );
      expect(refetches.length).toBeGreaterThan(0);
      const names = cardNames(section(/^Overdue/));
      expect(names).toHaveLength(59);
      expect(new Set(names).size).toBe(59);
    });

    it('says "1,000+" past what the server counts', async () => {
      tasks = [...many];
      countsOverride = { overdue: 1001, total: 1001 };
      renderMyTasks();
      const overdueSection = await screen.findByRole('region', { name: /^Overdue/ });
      await waitFor(() =>
        expect(within(overdueSection).getByText('Showing 50 of 1,000+')).toBeInTheDocument(),
      );
      expect(within(overdueSection).getByRole('heading', { level: 2 })).toHaveTextContent(
        'Overdue1,000+',
      );
    });
  });
});
