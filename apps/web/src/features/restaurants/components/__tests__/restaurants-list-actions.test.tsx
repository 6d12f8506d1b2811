import { parseCsv } from '@forkflow/domain/restaurant-csv/csv';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { parseRestaurantFilters } from '../../api/queries';
import { RestaurantsListActions } from '../restaurants-list-actions';

const REP = {
  id: '10000000-0000-4000-8000-000000000002',
  name: 'Remy Rep',
  email: 'rep@forkflow.test',
};

const restaurant = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: `Bistro ${n}`,
  contact_name: null,
  contact_email: `b${n}@bistro.test`,
  contact_phone: null,
  website: null,
  address: null,
  city: 'Leeds',
  cuisine: null,
  lead_stage: 'qualified',
  lead_warmth: 'warm',
  lead_status: 'active',
  assigned_sales_rep: null,
  notes: null,
  updated_at: `2026-01-01T10:00:${String(n % 60).padStart(2, '0')}Z`,
  ...overrides,
});

const fetchMock = vi.fn<typeof fetch>();
const createObjectURL = vi.fn((_blob: Blob) => 'blob:export');

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  // jsdom has no object URLs and can't follow a download link: record the download instead.
  createObjectURL.mockClear();
  URL.createObjectURL = createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function exportWith(query: string) {
  const user = userEvent.setup();
  renderWithProviders(
    <RestaurantsListActions
      filters={parseRestaurantFilters(new URLSearchParams(query))}
      reps={[REP]}
    />,
  );
  await user.click(screen.getByRole('button', { name: 'Export CSV' }));
}

async function downloadedCsv(): Promise<string[][]> {
  const blob = createObjectURL.mock.calls[0]![0];
  // jsdom's Blob has no text(): read it the old way.
  const text = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
  return parseCsv(text).rows;
}

describe('RestaurantsListActions', () => {
  it('links to the import page', () => {
    renderWithProviders(
      <RestaurantsListActions filters={parseRestaurantFilters(new URLSearchParams())} reps={[]} />,
    );
    expect(screen.getByRole('link', { name: 'Import CSV' })).toHaveAttribute(
      'href',
      '/restaurants/import',
    );
  });

  it("exports the list's filtered rows in its order, with reps as emails and formulas neutralised", async () => {
    fetchMock.mockImplementation(async () =>
      postgrestResponse([
        restaurant(1, { name: 'Zeta', assigned_sales_rep: REP.id }),
        restaurant(2, { name: '=HYPERLINK("x")' }),
      ]),
    );
    await exportWith('stage=qualified&rep=' + REP.id + '&sort=name');
    expect(await screen.findByRole('status')).toHaveTextContent('Exported 2 restaurants');

    const url = new URL(String(fetchMock.mock.calls[0]![0]));
    expect(url.pathname).toBe('/rest/v1/restaurants');
    expect(url.searchParams.get('organisation_id')).toBe(`eq.${testOrganisation.id}`);
    expect(url.searchParams.get('lead_stage')).toBe('eq.qualified');
    expect(url.searchParams.get('assigned_sales_rep')).toBe(`eq.${REP.id}`);

    const rows = await downloadedCsv();
    expect(rows[0]).toEqual([
      'Name',
      'Contact name',
      'Email',
      'Phone',
      'Website',
      'Address',
      'City',
      'Cuisine',
      'Stage',
      'Warmth',
      'Status',
      'Rep email',
      'Notes',
    ]);
    expect(rows.map((row) => row[0])).toEqual(['Name', `'=HYPERLINK("x")`, 'Zeta']);
    expect(rows[2]![11]).toBe(REP.email);
  });

  it('pages through more than one request by id', async () => {
    fetchMock.mockImplementation(async (input) => {
      const after = new URL(String(input)).searchParams.get('id');
      const start = after ? 1001 : 1;
      const count = after ? 5 : 1000;
      return postgrestResponse(Array.from({ length: count }, (_, i) => restaurant(start + i)));
    });
    await exportWith('');
    expect(await screen.findByRole('status')).toHaveTextContent('Exported 1,005 restaurants');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(new URL(String(fetchMock.mock.calls[1]![0])).searchParams.get('id')).toBe(
      `gt.${restaurant(1000).id}`,
    );
    expect(await downloadedCsv()).toHaveLength(1006);
  });

  it('downloads nothing when no restaurant matches, and says so', async () => {
    fetchMock.mockImplementation(async () => postgrestResponse([]));
    await exportWith('q=nothing');
    expect(await screen.findByRole('status')).toHaveTextContent('Nothing to export');
    expect(createObjectURL).not.toHaveBeenCalled();
  });
});
