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
    fetchMock.mockResolvedValue(postgrestResponse([], { total: 0 }));
    const { user, onAdd } = renderList();

    expect(screen.getByRole('status', { name: 'Loading restaurants' })).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'No restaurants yet — add your first' }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add restaurant' }));
    expect(onAdd).toHaveBeenCalledTimes(1);
  });

  it('says when filters match nothing and offers to clear them', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([], { total: 0 }));
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

    fetchMock.mockResolvedValueOnce(postgrestResponse([row()], { total: 1 }));
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
      postgrestResponse(
        [row(), row({ id: '20000000-0000-4000-8000-000000000002', name: 'The Golden Wok' })],
        {
          total: 2,
        },
      ),
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

  it('asks the server for one page of this organisation, searched and filtered', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([], { total: 0 }));
    renderList({ q: 'pizza bristol', stage: 'qualified', warmth: 'hot', page: 3 });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());

    const url = requestedUrl();
    expect(url.pathname).toBe('/rest/v1/restaurants');
    expect(url.searchParams.get('organisation_id')).toBe(`eq.${testOrganisation.id}`);
    expect(url.searchParams.get('search')).toBe('fts(simple).pizza:* & bristol:*');
    expect(url.searchParams.get('lead_stage')).toBe('eq.qualified');
    expect(url.searchParams.get('lead_warmth')).toBe('eq.hot');
    expect(url.searchParams.get('offset')).toBe('40');
    expect(url.searchParams.get('limit')).toBe('20');
    const init = fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get('prefer')).toContain('count=exact');
  });
});
