import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect, useState } from 'react';
import { Link, Outlet, RouterProvider, createMemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';

type Filters = { q: string };
const defaults: FilterDefaults<Filters> = { q: '' };
const parse = (params: URLSearchParams): Filters => ({ q: params.get('q') ?? '' });
const SEARCH_DEBOUNCE_MS = 200;

/** A list page as the app's are: a search written to the URL after a pause, rows as links. */
function ListPage() {
  const { filters, setFilters } = useUrlFilters({ parse, defaults });
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    if (debounced !== filters.q) setFilters({ q: debounced }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);
  return (
    <>
      <input aria-label="Search" value={text} onChange={(e) => setText(e.target.value)} />
      <Link to="/items/1">Spice Route</Link>
    </>
  );
}

function renderApp(itemLoader: () => Promise<null>) {
  const router = createMemoryRouter(
    [
      {
        element: <Outlet />,
        children: [
          { path: '/items', element: <ListPage /> },
          { path: '/items/:id', loader: itemLoader, element: <h1>Item page</h1> },
        ],
      },
    ],
    { initialEntries: ['/items'] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

describe('useUrlFilters', () => {
  it('writes a search typed on the page into the URL', async () => {
    const router = renderApp(async () => null);
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'sp');
    await act(() => new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS * 4)));
    expect(router.state.location.search).toBe('?q=sp');
  });

  it('lets a click on a row win over a search written while that row’s page still loads', async () => {
    let finishLoading!: () => void;
    const loading = new Promise<null>((resolve) => (finishLoading = () => resolve(null)));
    const router = renderApp(() => loading);

    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'sp');
    await userEvent.click(screen.getByRole('link', { name: 'Spice Route' }));
    expect(router.state.navigation.state, router.state.location.search).toBe('loading');
    // The debounced search comes due while the clicked page is still loading.
    await act(() => new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS * 4)));
    await act(async () => finishLoading());

    await screen.findByRole('heading', { name: 'Item page' });
    expect(router.state.location.pathname).toBe('/items/1');
  });
});
