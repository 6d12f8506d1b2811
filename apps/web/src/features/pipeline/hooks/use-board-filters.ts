import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { parseBoardFilters, type BoardFilters } from '../api/queries';

const defaults: FilterDefaults<BoardFilters> = { q: '', rep: undefined };

/** The board's rep and search filters, in the URL so a reload or a link keeps them. */
export function useBoardFilters() {
  return useUrlFilters({ parse: parseBoardFilters, defaults });
}
