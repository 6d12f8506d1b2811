import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { BOARD_PAGE_SIZE, type BoardCard } from '../../api/queries';
import { PipelineBoard } from '../pipeline-board';

const card = (overrides: Partial<BoardCard> = {}): BoardCard => ({
  id: '20000000-0000-4000-8000-000000000001',
  name: 'Harbour Bistro',
  city: 'Bristol',
  lead_stage: 'new',
  lead_warmth: 'hot',
  assigned_sales_rep: 'rep-1',
  updated_at: '2026-11-02T10:00:00.123456+00:00',
  ...overrides,
});

const reps = [{ id: 'rep-1', name: 'Remy Rep' }];

type Handler = (url: URL, init: RequestInit | undefined) => Response | Promise<Response>;
const fetchMock = vi.fn<typeof fetch>();
let handlers: Handler[] = [];

/** Answers by URL: columns by their lead_stage filter, the RPCs by name. */
function serve(options: {
  columns?: Partial<Record<string, BoardCard[]>>;
  counts?: Array<{ lead_stage: string; total: number; capped?: boolean }>;
  ending?: Array<{ id: string; name: string }>;
  patch?: (body: unknown) => Response;
  /** The PATCH answers only once this settles (to see the board before the server does). */
  hold?: Promise<void>;
  /** What "Load more" gets (a request with a keyset cursor). */
  nextPage?: Partial<Record<string, BoardCard[]>>;
}) {
  const columns: Partial<Record<string, BoardCard[]>> = { ...options.columns };
  handlers = [
    async (url, init) => {
      if (init?.method === 'PATCH') await options.hold;
      if (url.pathname.endsWith('/rpc/restaurant_stage_counts'))
        return postgrestResponse((options.counts ?? []).map((c) => ({ capped: false, ...c })));
      if (url.pathname.endsWith('/rpc/sequences_ending_at_stage'))
        return postgrestResponse(options.ending ?? []);
      if (url.pathname.endsWith('/restaurants') && init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body)) as { lead_stage: string };
        if (options.patch) return options.patch(body);
        // The server moves it too, so the refetch after the move agrees.
        const id = url.searchParams.get('id')?.replace('eq.', '');
        const moved = Object.values(columns)
          .flat()
          .find((c) => c?.id === id);
        if (!moved) return postgrestResponse({ message: 'not found' }, { status: 404 });
        for (const stage of Object.keys(columns))
          columns[stage] = columns[stage]?.filter((c) => c.id !== id);
        const updated = { ...moved, lead_stage: body.lead_stage };
        columns[body.lead_stage] = [updated, ...(columns[body.lead_stage] ?? [])];
        return postgrestResponse(updated);
      }
      if (url.pathname.endsWith('/rpc/pipeline_column')) {
        const body = JSON.parse(String(init?.body)) as { p_stage: string; p_before_id?: string };
        if (body.p_before_id) return postgrestResponse(options.nextPage?.[body.p_stage] ?? []);
        return postgrestResponse(columns[body.p_stage] ?? []);
      }
      return postgrestResponse({ message: 'unexpected' }, { status: 500 });
    },
  ];
}

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return handlers[0]!(url, init);
  });
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => vi.restoreAllMocks());

const calls = (match: (url: URL, init: RequestInit | undefined) => boolean) =>
  fetchMock.mock.calls.filter(([input, init]) => match(new URL(String(input)), init));

/** What each column request asked for (the RPC's JSON body). */
const columnRequests = () =>
  calls((url) => url.pathname.endsWith('/rpc/pipeline_column')).map(
    ([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>,
  );

function renderBoard() {
  const onMoved = vi.fn();
  renderWithProviders(
    <PipelineBoard
      organisationId={testOrganisation.id}
      filters={{ q: '', rep: undefined }}
      reps={reps}
      restaurantHref={(id) => `/restaurants/${id}`}
      onMoved={onMoved}
    />,
  );
  return { user: userEvent.setup(), onMoved };
}

const column = (name: string) => screen.getByRole('region', { name });

/** The card's Stage select: the move a drag makes (dragging itself runs in the e2e test). */
async function moveTo(user: ReturnType<typeof userEvent.setup>, name: string, stage: string) {
  await user.selectOptions(screen.getByLabelText(`Stage of ${name}`), stage);
}

describe('PipelineBoard', () => {
  it('shows the stages in order with their counts, and each column’s cards with city, warmth and rep', async () => {
    serve({
      columns: { new: [card()] },
      counts: [
        { lead_stage: 'new', total: 1 },
        { lead_stage: 'won', total: 12 },
        { lead_stage: 'lost', total: 1000, capped: true },
      ],
    });
    renderBoard();

    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual([
      'New',
      'Contacted',
      'Qualified',
      'Demo booked',
      'Demo done',
      'Proposal',
      'Negotiation',
      'Won',
      'Lost',
    ]);
    const newColumn = column('New');
    await within(newColumn).findByRole('link', { name: 'Harbour Bistro' });
    expect(within(newColumn).getByText('Bristol')).toBeInTheDocument();
    expect(within(newColumn).getByText('Remy Rep')).toBeInTheDocument();
    expect(within(newColumn).getByText('Hot')).toBeInTheDocument();
    expect(await within(column('Won')).findByLabelText('12 in Won')).toBeInTheDocument();
    expect(within(column('Lost')).getByLabelText('1,000+ in Lost')).toBeInTheDocument();
    expect(within(column('Proposal')).getByText('No restaurants in Proposal')).toBeInTheDocument();
    // Each column asks for its first page only.
    expect(columnRequests().find((body) => body['p_stage'] === 'new')).toEqual({
      p_organisation_id: testOrganisation.id,
      p_stage: 'new',
      p_limit: BOARD_PAGE_SIZE,
    });
    expect(columnRequests()).toHaveLength(9);
  });

  it('loads the next page of a full column from the last card (keyset)', async () => {
    const page = Array.from({ length: BOARD_PAGE_SIZE }, (_, i) =>
      card({
        id: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `Bistro ${i}`,
        updated_at: `2026-11-02T10:00:${String(59 - i).padStart(2, '0')}+00:00`,
      }),
    );
    serve({
      columns: { new: page },
      nextPage: { new: [card({ id: '20000000-0000-4000-8000-000000000999', name: 'Bistro 50' })] },
      counts: [{ lead_stage: 'new', total: 51 }],
    });
    const { user } = renderBoard();
    await user.click(
      await within(column('New')).findByRole('button', { name: 'Load more in New' }),
    );

    await waitFor(() =>
      expect(columnRequests().filter((body) => body['p_before_id'])).toHaveLength(1),
    );
    const last = page.at(-1)!;
    expect(columnRequests().find((body) => body['p_before_id'])).toEqual({
      p_organisation_id: testOrganisation.id,
      p_stage: 'new',
      p_limit: BOARD_PAGE_SIZE,
      p_before_updated_at: last.updated_at,
      p_before_id: last.id,
    });
    expect(await within(column('New')).findByText('Bistro 50')).toBeInTheDocument();
    // A short page is the last one.
    expect(
      within(column('New')).queryByRole('button', { name: /Load more/ }),
    ).not.toBeInTheDocument();
  }, 20_000);

  it('moves a card to the next column from its Stage select at once, and saves its new stage', async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    serve({ columns: { new: [card()] }, counts: [{ lead_stage: 'new', total: 1 }], hold });
    const { user, onMoved } = renderBoard();
    await within(column('New')).findByText('Harbour Bistro');
    expect(await within(column('New')).findByLabelText('1 in New')).toBeInTheDocument();

    await moveTo(user, 'Harbour Bistro', 'contacted');

    // Before the server answers: the card and the counts have moved.
    await waitFor(() => expect(calls((_u, init) => init?.method === 'PATCH')).toHaveLength(1));
    expect(within(column('Contacted')).getByText('Harbour Bistro')).toBeInTheDocument();
    expect(within(column('New')).queryByText('Harbour Bistro')).not.toBeInTheDocument();
    expect(within(column('Contacted')).getByLabelText('1 in Contacted')).toBeInTheDocument();
    expect(within(column('New')).getByLabelText('0 in New')).toBeInTheDocument();
    release();
    const [patch] = calls((_u, init) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch![1]?.body))).toEqual({ lead_stage: 'contacted' });
    expect(new URL(String(patch![0])).searchParams.get('id')).toBe(`eq.${card().id}`);
    await waitFor(() => expect(onMoved).toHaveBeenCalledWith(card().id));
  });

  it('puts the card back and says why when the server refuses the move', async () => {
    serve({
      columns: { new: [card()] },
      patch: () =>
        postgrestResponse({ code: '42501', message: 'permission denied' }, { status: 403 }),
    });
    const { user } = renderBoard();
    await within(column('New')).findByText('Harbour Bistro');

    await moveTo(user, 'Harbour Bistro', 'contacted');

    expect(await screen.findByText("Couldn't move Harbour Bistro")).toBeInTheDocument();
    expect(within(column('New')).getByText('Harbour Bistro')).toBeInTheDocument();
    expect(within(column('Contacted')).queryByText('Harbour Bistro')).not.toBeInTheDocument();
  });

  it('asks before a move that ends running sequences, naming them; keeping it moves nothing', async () => {
    serve({
      columns: { new: [card()] },
      ending: [{ id: 'i-1', name: 'Demo Follow-up' }],
    });
    const { user } = renderBoard();
    await within(column('New')).findByText('Harbour Bistro');

    await moveTo(user, 'Harbour Bistro', 'contacted');

    const dialog = await screen.findByRole('alertdialog', {
      name: 'Move Harbour Bistro to Contacted?',
    });
    expect(dialog).toHaveTextContent('Contacted ends the running sequence “Demo Follow-up”');
    await user.click(within(dialog).getByRole('button', { name: 'Keep in New' }));
    expect(calls((_u, init) => init?.method === 'PATCH')).toHaveLength(0);
    expect(within(column('New')).getByText('Harbour Bistro')).toBeInTheDocument();

    await moveTo(user, 'Harbour Bistro', 'contacted');
    const again = await screen.findByRole('alertdialog', {
      name: 'Move Harbour Bistro to Contacted?',
    });
    await user.click(within(again).getByRole('button', { name: 'Move and end sequence' }));
    await waitFor(() => expect(calls((_u, init) => init?.method === 'PATCH')).toHaveLength(1));
    expect(await within(column('Contacted')).findByText('Harbour Bistro')).toBeInTheDocument();
  });
});
