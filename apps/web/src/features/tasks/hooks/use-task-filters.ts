import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { defaultTaskFilters, parseTaskFilters, type TaskFilters } from '../api/queries';

export type TaskFiltersPatch = Partial<{ [K in keyof TaskFilters]: TaskFilters[K] | undefined }>;

/** Filters live in the URL so reload, links and Back all work; defaults are left out. */
export function useTaskFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseTaskFilters(params), [params]);

  const setFilters = useCallback(
    (patch: TaskFiltersPatch) => {
      setParams((current) => {
        const next = { ...parseTaskFilters(current), ...patch };
        const out = new URLSearchParams();
        if (next.status && next.status !== defaultTaskFilters.status)
          out.set('status', next.status);
        if (next.type) out.set('type', next.type);
        if (next.restaurant) out.set('restaurant', next.restaurant);
        if (next.instance) out.set('instance', next.instance);
        if (next.assignee && next.assignee !== defaultTaskFilters.assignee) {
          out.set('assignee', next.assignee);
        }
        return out;
      });
    },
    [setParams],
  );

  const hasFilters = Boolean(
    filters.status !== defaultTaskFilters.status ||
    filters.type ||
    filters.restaurant ||
    filters.instance ||
    filters.assignee !== defaultTaskFilters.assignee,
  );

  const clearFilters = useCallback(
    () =>
      setFilters({
        status: defaultTaskFilters.status,
        type: undefined,
        restaurant: undefined,
        instance: undefined,
        assignee: defaultTaskFilters.assignee,
      }),
    [setFilters],
  );

  return { filters, setFilters, hasFilters, clearFilters };
}
