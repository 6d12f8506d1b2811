import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganisationContext } from '@/lib/organisation';
import { createTestQueryClient, postgrestResponse, testOrganisation } from '@/testing/test-utils';
import { taskItem } from '@/testing/task-fixtures';
import { useCompleteTask } from '../complete-task';
import { taskQueries, type TaskListItem } from '../queries';
import { useSkipTask } from '../skip-task';

const orgId = testOrganisation.id;
const me = '10000000-0000-4000-8000-000000000002';
const restaurantId = '20000000-0000-4000-8000-000000000003';
const step1 = taskItem({
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Send demo confirmation',
  sequence_instance_id: '50000000-0000-4000-8000-000000000001',
  sequence_step_order: 1,
});
const other = taskItem({ id: '40000000-0000-4000-8000-000000000009', name: 'Call Mei back' });
// A page of My tasks (any section, any page: each is an array under the lists' key).
const myPage = {
  query: { status: 'active', assignee: me },
  section: 'today',
  asOf: '2026-11-27T10:30:00.000Z',
  timeZone: 'Europe/London',
  after: null,
  through: null,
} as const;

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const queryClient = createTestQueryClient();
  const myKey = taskQueries.page(orgId, myPage).queryKey;
  const restaurantKey = taskQueries.forRestaurant(orgId, restaurantId).queryKey;
  queryClient.setQueryData(myKey, [step1, other]);
  queryClient.setQueryData(restaurantKey, [step1]);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <OrganisationContext value={testOrganisation}>{children}</OrganisationContext>
    </QueryClientProvider>
  );
  return {
    queryClient,
    wrapper,
    mine: () => queryClient.getQueryData<TaskListItem[]>(myKey),
    restaurant: () => queryClient.getQueryData<TaskListItem[]>(restaurantKey),
  };
}

/** A fetch that answers only when the test says so. */
function deferredFetch() {
  let answer: (response: Response) => void = () => undefined;
  fetchMock.mockImplementationOnce(() => new Promise<Response>((resolve) => (answer = resolve)));
  return (response: Response) => answer(response);
}

describe('completing a task', () => {
  it('shows it completed everywhere at once and rolls back when the server refuses', async () => {
    const { wrapper, mine, restaurant } = setup();
    const respond = deferredFetch();
    const { result } = renderHook(() => useCompleteTask({ organisationId: orgId }), { wrapper });

    act(() => result.current.mutate({ taskId: step1.id }));

    await waitFor(() => expect(mine()?.[0]?.status).toBe('completed'));
    expect(mine()?.[0]?.completed_at).not.toBeNull();
    expect(mine()?.[1]).toEqual(other);
    expect(restaurant()?.[0]?.status).toBe('completed');

    respond(
      postgrestResponse(
        {
          code: '22023',
          message: 'this task was cancelled with its sequence, so it cannot be completed',
          details: null,
          hint: null,
        },
        { status: 400 },
      ),
    );

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe(
      'this task was cancelled with its sequence, so it cannot be completed',
    );
    expect(mine()).toEqual([step1, other]);
    expect(restaurant()).toEqual([step1]);
  });

  it('calls complete_task with the task id and returns the next step and warnings', async () => {
    const { wrapper, queryClient } = setup();
    const next = {
      ...step1,
      id: '40000000-0000-4000-8000-000000000002',
      name: 'Prepare demo materials',
      sequence_step_order: 2,
      due_date: '2026-11-28T09:00:00Z',
    };
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.pathname.endsWith('/rpc/complete_task')) {
        return postgrestResponse({
          task: { ...step1, status: 'completed', completed_at: '2026-11-27T10:31:00Z' },
          next_task: next,
          instance: {
            id: step1.sequence_instance_id,
            name: 'Demo Follow-up',
            status: 'active',
            total_steps: 7,
            current_step_order: 2,
          },
          warnings: [],
        });
      }
      // The refetch after settling.
      return postgrestResponse([]);
    });
    const { result } = renderHook(() => useCompleteTask({ organisationId: orgId }), { wrapper });

    act(() => result.current.mutate({ taskId: step1.id }));

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.next_task?.name).toBe('Prepare demo materials');
    expect(result.current.data?.warnings).toEqual([]);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(new URL(String(url)).pathname).toBe('/rest/v1/rpc/complete_task');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ p_task_id: step1.id });
    // The next step has just become active: every task list is stale now.
    const myKey = taskQueries.page(orgId, myPage).queryKey;
    expect(queryClient.getQueryState(myKey)?.isInvalidated).toBe(true);
    // Until then the list says what the server said about the task.
    expect(queryClient.getQueryData<TaskListItem[]>(myKey)?.[0]?.completed_at).toBe(
      '2026-11-27T10:31:00Z',
    );
  });
});

describe('skipping a task', () => {
  it('shows it skipped at once and puts it back on a network failure', async () => {
    const { wrapper, mine } = setup();
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockResolvedValue(postgrestResponse([step1, other]));
    const { result } = renderHook(() => useSkipTask({ organisationId: orgId }), { wrapper });

    act(() => result.current.mutate({ taskId: other.id }));

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe(
      "Can't reach the server. Check your connection and try again.",
    );
    expect(mine()?.[1]?.status).toBe('active');
    expect(mine()?.[1]?.skipped_at).toBeNull();
    expect(new URL(String(fetchMock.mock.calls[0]?.[0])).pathname).toBe('/rest/v1/rpc/skip_task');
  });
});
