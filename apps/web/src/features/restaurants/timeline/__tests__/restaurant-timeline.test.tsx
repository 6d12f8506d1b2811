import { screen, waitFor, within } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { RestaurantTimeline } from '../restaurant-timeline';
import { TIMELINE_PAGE_SIZE, type TimelineEntry } from '../timeline-queries';

const restaurantId = '20000000-0000-4000-8000-000000000001';
const restaurant = {
  id: restaurantId,
  organisation_id: testOrganisation.id,
  name: 'Harbour Bistro',
  updated_at: '2026-11-02T10:00:00Z',
};

let nextId = 1000;
const entry = (overrides: Partial<TimelineEntry>): TimelineEntry => ({
  id: (nextId -= 1),
  kind: 'stage_changed',
  created_at: '2026-11-02T09:00:00.5+00:00',
  actor_id: 'rep-1',
  actor_name: 'Remy Rep',
  from_value: null,
  to_value: null,
  task_id: null,
  sequence_instance_id: null,
  details: {},
  ...overrides,
});

const fetchMock = vi.fn<typeof fetch>();
let pages: TimelineEntry[][] = [];

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/restaurants')) return postgrestResponse(restaurant);
    if (url.pathname.endsWith('/rpc/restaurant_timeline')) {
      const body = JSON.parse(String(init?.body)) as { p_before?: string };
      return postgrestResponse((body.p_before ? pages[1] : pages[0]) ?? []);
    }
    return postgrestResponse({ message: 'unexpected' }, { status: 500 });
  });
  vi.stubGlobal('fetch', fetchMock);
});

const renderTimeline = () =>
  renderWithProviders(
    <RestaurantTimeline
      restaurantId={restaurantId}
      reps={[
        { id: 'rep-1', name: 'Remy Rep', email: 'rep@forkflow.test' },
        { id: 'rep-2', name: 'Olivia Owner', email: 'owner@forkflow.test' },
      ]}
    />,
  );

const timelineBodies = () =>
  fetchMock.mock.calls
    .filter(([input]) => String(input).includes('/rpc/restaurant_timeline'))
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>);

describe('RestaurantTimeline', () => {
  it('says in words what happened, who did it, newest first', async () => {
    pages = [
      [
        entry({
          kind: 'sequence_exited',
          details: { name: 'Demo Follow-up', reason: 'restaurant moved to won' },
        }),
        entry({ kind: 'stage_changed', from_value: 'proposal', to_value: 'won' }),
        entry({
          kind: 'task_completed',
          details: { name: 'Intro call', call_outcome: 'voicemail' },
        }),
        entry({
          kind: 'task_skipped',
          actor_name: 'Olivia Owner',
          details: { name: 'Send menu', skip_reason: 'Closed for the season' },
        }),
        entry({ kind: 'rep_changed', from_value: null, to_value: 'rep-2' }),
        entry({
          kind: 'sequence_resumed',
          actor_id: null,
          actor_name: null,
          details: { name: 'Demo Follow-up' },
        }),
      ],
    ];
    renderTimeline();

    const list = await screen.findByRole('list', { name: 'Activity, newest first' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('p')?.textContent)).toEqual([
      'Sequence “Demo Follow-up” ended by the stage change',
      'Stage: Proposal → Won',
      'Completed “Intro call”',
      'Skipped “Send menu”',
      'Rep: nobody → Olivia Owner',
      'Resumed sequence “Demo Follow-up”',
    ]);
    expect(items[2]).toHaveTextContent('Call: left a voicemail');
    expect(items[3]).toHaveTextContent('Reason: Closed for the season');
    expect(items[3]).toHaveTextContent('Olivia Owner ·');
    expect(items[0]).toHaveTextContent('restaurant moved to won');
    // No actor: the scheduler resumed it.
    expect(items[5]).toHaveTextContent('Automatically ·');
    expect(timelineBodies()[0]).toEqual({
      p_restaurant_id: restaurantId,
      p_limit: TIMELINE_PAGE_SIZE,
    });
  });

  it('shows older activity from the last entry’s time and id (keyset)', async () => {
    const first = Array.from({ length: TIMELINE_PAGE_SIZE }, (_, i) =>
      entry({
        to_value: 'contacted',
        from_value: 'new',
        created_at: `2026-11-02T09:00:${String(59 - i).padStart(2, '0')}+00:00`,
      }),
    );
    pages = [first, [entry({ kind: 'notes_changed', to_value: 'Prefers calls after 3pm' })]];
    const user = userEvent.setup();
    renderTimeline();

    await user.click(await screen.findByRole('button', { name: 'Show older activity' }));
    expect(await screen.findByText('Prefers calls after 3pm')).toBeInTheDocument();
    const last = first.at(-1)!;
    expect(timelineBodies()[1]).toEqual({
      p_restaurant_id: restaurantId,
      p_limit: TIMELINE_PAGE_SIZE,
      p_before: last.created_at,
      p_before_id: last.id,
    });
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Show older activity' })).not.toBeInTheDocument(),
    );
  });

  it('refetches once a change made elsewhere on the page is saved', async () => {
    pages = [[]];
    const user = userEvent.setup();
    let finish = () => {};
    function CompleteButton() {
      const mutation = useMutation({
        mutationFn: () => new Promise<void>((resolve) => (finish = resolve)),
      });
      return <button onClick={() => mutation.mutate()}>Complete</button>;
    }
    renderWithProviders(
      <>
        <RestaurantTimeline restaurantId={restaurantId} reps={[]} />
        <CompleteButton />
      </>,
    );
    expect(await screen.findByText(/Nothing yet/)).toBeInTheDocument();
    pages = [[entry({ kind: 'task_completed', details: { name: 'Intro call' } })]];

    await user.click(screen.getByRole('button', { name: 'Complete' }));
    expect(timelineBodies()).toHaveLength(1);
    finish();
    expect(await screen.findByText('Completed “Intro call”')).toBeInTheDocument();
    expect(timelineBodies()).toHaveLength(2);
  });

  it('says when there is nothing yet', async () => {
    pages = [[]];
    renderTimeline();
    expect(await screen.findByText(/Nothing yet/)).toBeInTheDocument();
  });

  it('shows an error with Try again when the timeline cannot load', async () => {
    fetchMock.mockImplementation(async (input) =>
      String(input).includes('/rpc/restaurant_timeline')
        ? postgrestResponse({ code: 'XX000', message: 'boom' }, { status: 500 })
        : postgrestResponse(restaurant),
    );
    renderTimeline();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load the activity");
    expect(within(alert).getByRole('button', { name: /Try again/ })).toBeInTheDocument();
  });
});
