import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import {
  parseRestaurantFilters,
  type RestaurantFilters,
  type RestaurantListItem,
} from '../../api/queries';
import { RestaurantsList } from '../restaurants-list';

const row = (overrides: Partial<RestaurantListItem> = {}): RestaurantListItem => ({
  id: '20000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  name: "Luigi's Pizza Kitchen",
  city: 'Bristol',
  cuisine: 'Italian',
  contact_name: 'Luigi Romano',
  contact_email: 'luigi@luigispizza.test',
  contact_phone: null,
  lead_stage: 'new',
  lead_warmth: 'warm',
  lead_status: 'active',
  assigned_sales_rep: null,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-02T10:00:00Z',
  ...overrides,
});

/** list_restaurants' answer: one page, the count, and whether the count is an estimate. */
const listAnswer = (rows: RestaurantListItem[], total = rows.length, estimated = false) =>
  postgrestResponse({ rows, total, estimated });

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function renderList(filters: Partial<RestaurantFilters> = {}) {
  const props = {
    filters: { ...parseRestaurantFilters(new URLSearchParams()), ...filters },
    setFilters: vi.fn(),
    hasFilters: Boolean(filters.q || filters.stage || filters.warmth || filters.rep),
    clearFilters: vi.fn(),
    reps: [],
    onAdd: vi.fn(),
    onEdit: vi.fn(),
    onDelete: vi.fn(),
  };
  const user = userEvent.setup();
  renderWithProviders(<RestaurantsList {...props} />);
  return { user, ...props };
}

const requestedUrl = (call = 0) => new URL(String(fetchMock.mock.calls[call]?.[0]));

describe('RestaurantsList', () => {
  it('shows a loading skeleton, then the first-run empty state with a way to add one', async () => {
    fetchMock.mockResolvedValue(listAnswer([]));
    const { user, onAdd } = renderList();

    expect(screen.getByRole('status', { name: 'Loading restaurants' })).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'No restaurants yet — add your first' }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    expect(onAdd).toHaveBeenCalledTimes(1);
  });

  it('says when filters match nothing and offers to clear them', async () => {
    fetchMock.mockResolvedValue(listAnswer([]));
    const { user, clearFilters } = renderList({ q: 'zzzz', stage: 'won' });

    expect(
      await screen.findByRole('heading', { name: 'No restaurants match' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('No restaurants yet — add your first')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(clearFilters).toHaveBeenCalledTimes(1);
  });

  it('shows an error with a retry that recovers', async () => {
    fetchMock.mockResolvedValueOnce(
      postgrestResponse(
        { code: 'XX000', message: 'database is on fire', details: null, hint: null },
        { status: 400 },
      ),
    );
    const { user } = renderList();

    const alert = await screen.findByRole('alert');
    expect(
      within(alert).getByRole('heading', { name: "Couldn't load restaurants" }),
    ).toBeInTheDocument();
    expect(within(alert).getByText('database is on fire')).toBeInTheDocument();

    fetchMock.mockResolvedValueOnce(listAnswer([row()]));
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: "Luigi's Pizza Kitchen" })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains a network failure in plain words', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    renderList();
    expect(
      await screen.findByText("Can't reach the server. Check your connection and try again."),
    ).toBeInTheDocument();
  });

  it('lists rows with row actions and a page summary', async () => {
    fetchMock.mockResolvedValue(
      listAnswer([
        row(),
        row({ id: '20000000-0000-4000-8000-000000000002', name: 'The Golden Wok' }),
      ]),
    );
    const { user, onEdit, onDelete } = renderList();

    const link = await screen.findByRole('link', { name: 'The Golden Wok' });
    expect(link).toHaveAttribute('href', '/restaurants/20000000-0000-4000-8000-000000000002');
    expect(screen.getByRole('navigation', { name: 'Pagination' })).toHaveTextContent(
      'Showing 1–2 of 2',
    );
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Edit The Golden Wok' }));
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ name: 'The Golden Wok' }));
    await user.click(screen.getByRole('button', { name: "Delete Luigi's Pizza Kitchen" }));
    expect(onDelete).toHaveBeenCalledWith(
      expect.objectContaining({ name: "Luigi's Pizza Kitchen" }),
    );
  });

  it('asks list_restaurants for one page of this organisation, searched and filtered', async () => {
    fetchMock.mockResolvedValue(listAnswer([]));
    renderList({ q: 'pizza bristol', stage: 'qualified', warmth: 'hot', page: 3 });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());

    expect(requestedUrl().pathname).toBe('/rest/v1/rpc/list_restaurants');
    const body = JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body)) as Record<string, unknown>;
    expect(body).toEqual({
      p_organisation_id: testOrganisation.id,
      p_search: 'pizza bristol',
      p_stage: 'qualified',
      p_warmth: 'hot',
      p_sort: 'updated',
      p_offset: 40,
      p_limit: 20,
    });
  });

  it('asks for the unassigned as a flag, and a rep by id', async () => {
    fetchMock.mockResolvedValue(listAnswer([]));
    renderList({ rep: 'unassigned', sort: 'name' });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    const body = JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ p_unassigned: true, p_sort: 'name' });
    expect(body).not.toHaveProperty('p_rep');
  });

  it('says "about" when the server estimated the total', async () => {
    fetchMock.mockResolvedValue(listAnswer([row()], 100_000, true));
    renderList();
    await screen.findByRole('link', { name: "Luigi's Pizza Kitchen" });
    expect(screen.getByRole('navigation', { name: 'Pagination' })).toHaveTextContent(
      'Showing 1–1 of about 100,000',
    );
    expect(screen.getByRole('button', { name: 'Next' })).toBeEnabled();
  });

  it('gives an exact total without "about"', async () => {
    fetchMock.mockResolvedValue(listAnswer([row()], 1000));
    renderList();
    await screen.findByRole('link', { name: "Luigi's Pizza Kitchen" });
    expect(screen.getByRole('navigation', { name: 'Pagination' })).toHaveTextContent(
      'Showing 1–1 of 1,000',
    );
  });
});
