import { useUrlFilters, type FilterDefaults, type FiltersPatch } from '@/hooks/use-url-filters';
import { parseRestaurantFilters, type RestaurantFilters } from '../api/queries';

export type RestaurantFiltersPatch = FiltersPatch<RestaurantFilters>;

const defaults: FilterDefaults<RestaurantFilters> = {
  q: '',
  stage: undefined,
  warmth: undefined,
  rep: undefined,
  sort: 'updated',
  page: 1,
};
const filterKeys = ['q', 'stage', 'warmth', 'rep'] as const;

/**
 * The restaurant list's filters, sort and page, in the URL. Changing a filter goes back to
 * page 1; typing in search passes `replace` so it doesn't add a history entry per keystroke.
 */
export function useRestaurantFilters() {
  return useUrlFilters({ parse: parseRestaurantFilters, defaults, filterKeys });
}
