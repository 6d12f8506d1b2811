import { useUrlFilters, type FilterDefaults, type FiltersPatch } from '@/hooks/use-url-filters';
import { defaultTaskFilters, parseTaskFilters, type TaskFilters } from '../api/queries';

export type TaskFiltersPatch = FiltersPatch<TaskFilters>;

const defaults: FilterDefaults<TaskFilters> = {
  status: defaultTaskFilters.status,
  type: undefined,
  restaurant: undefined,
  instance: undefined,
  assignee: defaultTaskFilters.assignee,
};

/** The task list's filters, in the URL. */
export function useTaskFilters() {
  return useUrlFilters({ parse: parseTaskFilters, defaults });
}
