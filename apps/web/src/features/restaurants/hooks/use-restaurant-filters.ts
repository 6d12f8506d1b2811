import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseRestaurantFilters, type RestaurantFilters } from '../api/queries';

const defaults: RestaurantFilters = { q: '', sort: 'updated', page: 1 };

export type RestaurantFiltersPatch = Partial<{
  [K in keyof RestaurantFilters]: RestaurantFilters[K] | undefined;
}>;

/**
 * Filters and page live in the URL so reload, links and Back all work. Changing a
 * filter goes back to page 1. Typing in search replaces the history entry instead of
 * adding one per keystroke.
 */
export function useRestaurantFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseRestaurantFilters(params), [params]);

  const setFilters = useCallback(
    (patch: RestaurantFiltersPatch, options: { replace?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = { ...parseRestaurantFilters(current), ...patch };
          if (!('page' in patch)) next.page = 1;
          const out = new URLSearchParams();
          if (next.q) out.set('q', next.q);
          if (next.stage) out.set('stage', next.stage);
          if (next.warmth) out.set('warmth', next.warmth);
          if (next.rep) out.set('rep', next.rep);
          if (next.sort && next.sort !== defaults.sort) out.set('sort', next.sort);
          if (next.page && next.page > 1) out.set('page', String(next.page));
          return out;
        },
        { replace: options.replace ?? false },
      );
    },
    [setParams],
  );

  const hasFilters = Boolean(filters.q || filters.stage || filters.warmth || filters.rep);

  const clearFilters = useCallback(
    () => setFilters({ q: '', stage: undefined, warmth: undefined, rep: undefined }),
    [setFilters],
  );

  return { filters, setFilters, hasFilters, clearFilters };
}
