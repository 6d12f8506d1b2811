import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  defaultJobFilters,
  jobFiltersToParams,
  parseJobFilters,
  type JobFilters,
} from '../api/queries';

export type JobFiltersPatch = Partial<{ [K in keyof JobFilters]: JobFilters[K] | undefined }>;

/** Filters live in the URL so reload, links and Back all work; defaults are left out. */
export function useJobFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseJobFilters(params), [params]);

  const setFilters = useCallback(
    (patch: JobFiltersPatch) => {
      setParams((current) => {
        const next = { ...parseJobFilters(current), ...patch };
        return jobFiltersToParams({ ...next, scope: next.scope ?? defaultJobFilters.scope });
      });
    },
    [setParams],
  );

  const hasFilters = Boolean(
    filters.status ||
    filters.workflow ||
    filters.from ||
    filters.to ||
    filters.scope !== defaultJobFilters.scope,
  );

  const clearFilters = useCallback(
    () =>
      setFilters({
        status: undefined,
        workflow: undefined,
        from: undefined,
        to: undefined,
        scope: defaultJobFilters.scope,
      }),
    [setFilters],
  );

  return { filters, setFilters, hasFilters, clearFilters };
}
