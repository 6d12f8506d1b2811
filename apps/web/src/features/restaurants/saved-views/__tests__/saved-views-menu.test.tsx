import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { parseRestaurantFilters, type RestaurantFilters } from '../../api/queries';
import { SavedViewsMenu } from '../saved-views-menu';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

const hotLeads = {
  id: '30000000-0000-4000-8000-000000000001',
  name: 'Hot leads',
  filters: { warmth: 'hot', sort: 'name', stage: 'not-a-stage' },
};

function renderMenu(filters: Partial<RestaurantFilters> = {}) {
  const setFilters = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <SavedViewsMenu
      filters={{ ...parseRestaurantFilters(new URLSearchParams()), ...filters }}
      setFilters={setFilters}
    />,
  );
  return { user, setFilters };
}

const calls = (method: string) =>
  fetchMock.mock.calls.filter(([, init]) => (init?.method ?? 'GET') === method);

describe('SavedViewsMenu', () => {
  it('applies a picked view’s filters from page 1, dropping what is no longer valid', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([hotLeads]));
    const { user, setFilters } = renderMenu();
    const select = screen.getByLabelText('Saved view');
    await screen.findByRole('option', { name: 'Hot leads' });

    const url = new URL(String(fetchMock.mock.calls[0]?.[0]));
    expect(url.pathname).toBe('/rest/v1/saved_views');
    expect(url.searchParams.get('organisation_id')).toBe(`eq.${testOrganisation.id}`);
    expect(url.searchParams.get('page')).toBe('eq.restaurants');

    await user.selectOptions(select, 'Hot leads');
    expect(setFilters).toHaveBeenCalledWith({
      q: '',
      stage: undefined,
      warmth: 'hot',
      rep: undefined,
      sort: 'name',
      page: 1,
    });
    // No view is shown yet, so there is nothing to delete.
    expect(screen.queryByRole('button', { name: /^Delete view/ })).not.toBeInTheDocument();
  });

  it('saves the current filters under a name, and refuses a blank one without asking the server', async () => {
    fetchMock.mockResolvedValueOnce(postgrestResponse([]));
    const { user } = renderMenu({ q: 'pizza', stage: 'won' });
    await user.click(screen.getByRole('button', { name: 'Save view' }));
    const dialog = screen.getByRole('dialog', { name: 'Save this view' });
    // It says what the view keeps: what is saved is what the rep sees.
    expect(within(dialog).getByText('Search “pizza” · Stage: Won')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Give the view a name.');
    expect(calls('POST')).toHaveLength(0);

    fetchMock.mockResolvedValueOnce(
      postgrestResponse({ id: 'v2', name: 'Won pizza', filters: { q: 'pizza', stage: 'won' } }),
    );
    fetchMock.mockResolvedValue(postgrestResponse([]));
    await user.type(within(dialog).getByLabelText('View name'), '  Won pizza ');
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));

    await waitFor(() => expect(calls('POST')).toHaveLength(1));
    expect(JSON.parse(String(calls('POST')[0]?.[1]?.body))).toEqual({
      organisation_id: testOrganisation.id,
      page: 'restaurants',
      name: 'Won pizza',
      filters: { q: 'pizza', stage: 'won', sort: 'updated' },
    });
    expect(await screen.findByText('View saved')).toBeInTheDocument();
  });

  it('says when the name is taken', async () => {
    fetchMock.mockResolvedValueOnce(postgrestResponse([]));
    const { user } = renderMenu();
    await user.click(screen.getByRole('button', { name: 'Save view' }));
    const dialog = screen.getByRole('dialog', { name: 'Save this view' });
    fetchMock.mockResolvedValueOnce(
      postgrestResponse(
        { code: '23505', message: 'duplicate key', details: null, hint: null },
        { status: 409 },
      ),
    );
    await user.type(within(dialog).getByLabelText('View name'), 'Hot leads');
    await user.click(within(dialog).getByRole('button', { name: 'Save view' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You already have a view called “Hot leads”.',
    );
  });

  it('deletes the view being shown after a confirm', async () => {
    fetchMock.mockResolvedValueOnce(postgrestResponse([hotLeads]));
    const { user } = renderMenu({ warmth: 'hot', sort: 'name' });
    const remove = await screen.findByRole('button', { name: 'Delete view Hot leads' });
    expect(screen.getByLabelText('Saved view')).toHaveValue(hotLeads.id);

    fetchMock.mockResolvedValue(postgrestResponse([]));
    await user.click(remove);
    const confirm = screen.getByRole('alertdialog', { name: 'Delete this view?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete view' }));
    await waitFor(() => expect(calls('DELETE')).toHaveLength(1));
    expect(new URL(String(calls('DELETE')[0]?.[0])).searchParams.get('id')).toBe(
      `eq.${hotLeads.id}`,
    );
  });
});
