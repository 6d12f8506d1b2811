import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useUrlFilters, type FilterDefaults } from '../use-url-filters';

type Filters = { q: string; stage?: string | undefined; sort: string; page: number };

const parse = (params: URLSearchParams): Filters => ({
  q: params.get('q') ?? '',
  stage: params.get('stage') ?? undefined,
  sort: params.get('sort') ?? 'updated',
  page: Number(params.get('page') ?? 1),
});
const defaults: FilterDefaults<Filters> = { q: '', stage: undefined, sort: 'updated', page: 1 };
const filterKeys = ['q', 'stage'] as const;

function setup(route: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
  );
  return renderHook(
    () => ({
      ...useUrlFilters({ parse, defaults, filterKeys }),
      search: useLocation().search,
    }),
    { wrapper },
  );
}

describe('useUrlFilters', () => {
  it('reads the filters from the URL and writes only what differs from the defaults', () => {
    const { result } = setup('/list?q=spice&page=3');
    expect(result.current.filters).toEqual({ q: 'spice', sort: 'updated', page: 3 });
    expect(result.current.hasFilters).toBe(true);

    act(() => result.current.setFilters({ sort: 'name' }));
    // Another filter changed: back to page 1, which the URL leaves out.
    expect(result.current.search).toBe('?q=spice&sort=name');
  });

  it('clears the filter keys only, keeping the sort order', () => {
    const { result } = setup('/list?q=spice&stage=won&sort=name');
    act(() => result.current.clearFilters());
    expect(result.current.search).toBe('?sort=name');
    expect(result.current.hasFilters).toBe(false);
  });

  it('keeps the page when the page itself changes', () => {
    const { result } = setup('/list?stage=won');
    act(() => result.current.setFilters({ page: 2 }));
    expect(result.current.search).toBe('?stage=won&page=2');
  });
});
