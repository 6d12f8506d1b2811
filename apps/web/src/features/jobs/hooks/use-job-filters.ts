import { useUrlFilters, type FilterDefaults, type FiltersPatch } from '@/hooks/use-url-filters';
import { defaultJobFilters, parseJobFilters, type JobFilters } from '../api/queries';

export type JobFiltersPatch = FiltersPatch<JobFilters>;

const defaults: FilterDefaults<JobFilters> = {
  status: undefined,
  workflow: undefined,
  from: undefined,
  to: undefined,
  scope: defaultJobFilters.scope,
};

/** The Jobs page's filters, in the URL. */
export function useJobFilters() {
  return useUrlFilters({ parse: parseJobFilters, defaults });
}
