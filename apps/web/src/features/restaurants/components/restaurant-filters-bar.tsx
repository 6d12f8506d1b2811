import {
  leadStageLabels,
  leadStages,
  leadWarmthLabels,
  leadWarmths,
} from '@forkflow/domain/restaurants';
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { EnumOptions } from '@/components/ui/enum-select';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchPicker, type SearchPickerOption } from '@/components/ui/search-picker';
import { SearchInput } from '@/components/ui/search-input';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { UNASSIGNED, restaurantFiltersSchema, type RestaurantFilters } from '../api/queries';
import type { RestaurantFiltersPatch } from '../hooks/use-restaurant-filters';
import { SavedViewsMenu } from '../saved-views/saved-views-menu';
import type { Rep } from '../types';

export const SEARCH_DEBOUNCE_MS = 300;

type Props = {
  filters: RestaurantFilters;
  setFilters: (patch: RestaurantFiltersPatch, options?: { replace?: boolean }) => void;
  hasFilters: boolean;
  clearFilters: () => void;
  reps: Rep[];
  currentUserId?: string;
};

export function RestaurantFiltersBar({
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  reps,
  currentUserId,
}: Props) {
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);

  // Typing → URL (after a pause). The first keystroke of a search adds a history
  // entry so Back returns to the unfiltered list; refinements replace it.
  useEffect(() => {
    const q = debounced.trim();
    if (q !== filters.q) setFilters({ q }, { replace: filters.q !== '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);

  // URL → input (Back/Forward, "Clear filters"), adjusted during render.
  const [urlQuery, setUrlQuery] = useState(filters.q);
  if (urlQuery !== filters.q) {
    setUrlQuery(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

  return (
    // No wrapping at lg and up, and every control always present (Clear filters only hidden):
    // when a debounced search applies, nothing in the bar appears or moves (issue 13 §1).
    <div className="flex flex-col gap-3 lg:flex-row lg:items-center">
      <form
        role="search"
        className="relative min-w-0 flex-1 lg:min-w-72"
        onSubmit={(event) => {
          event.preventDefault();
          const q = text.trim();
          if (q !== filters.q) setFilters({ q });
        }}
      >
        <SearchInput
          label="Search restaurants"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && text) {
              event.preventDefault();
              setText('');
            }
          }}
          placeholder="Search restaurants"
          autoComplete="off"
        />
      </form>
      <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap sm:items-center lg:flex-nowrap">
        <FilterSelect
          label="Lead stage"
          value={filters.stage ?? ''}
          onChange={(value) =>
            setFilters({ stage: restaurantFiltersSchema.shape.stage.parse(value || undefined) })
          }
        >
          <option value="">All stages</option>
          <EnumOptions values={leadStages} labels={leadStageLabels} />
        </FilterSelect>
        <FilterSelect
          label="Warmth"
          value={filters.warmth ?? ''}
          onChange={(value) =>
            setFilters({ warmth: restaurantFiltersSchema.shape.warmth.parse(value || undefined) })
          }
        >
          <option value="">Any warmth</option>
          <EnumOptions values={leadWarmths} labels={leadWarmthLabels} />
        </FilterSelect>
        <SearchPicker
          label="Assigned rep"
          className="w-full sm:w-44"
          value={filters.rep ?? ''}
          selectedLabel={repLabel(
            reps.find((rep) => rep.id === filters.rep),
            currentUserId,
          )}
          allLabel="All reps"
          extraOptions={[{ value: UNASSIGNED, label: 'Unassigned' }]}
          placeholder="Type a name or email"
          queryKey={['reps', reps.map((rep) => rep.id).join()]}
          search={async (query, limit) => searchReps(reps, query, limit, currentUserId)}
          onChange={(value) =>
            setFilters({ rep: restaurantFiltersSchema.shape.rep.parse(value || undefined) })
          }
        />
        <FilterSelect
          label="Sort by"
          value={filters.sort}
          onChange={(value) =>
            setFilters({ sort: restaurantFiltersSchema.shape.sort.parse(value) })
          }
        >
          <option value="updated">Last updated</option>
          <option value="name">Name A–Z</option>
        </FilterSelect>
        <SavedViewsMenu
          filters={filters}
          setFilters={setFilters}
          repName={reps.find((rep) => rep.id === filters.rep)?.name}
        />
        <Button
          variant="ghost"
          size="sm"
          onClick={clearFilters}
          className={hasFilters ? 'col-span-2 sm:col-span-1' : 'invisible col-span-2 sm:col-span-1'}
          aria-hidden={hasFilters ? undefined : true}
          tabIndex={hasFilters ? undefined : -1}
        >
          <X className="size-4" aria-hidden />
          Clear filters
        </Button>
      </div>
    </div>
  );
}

const repLabel = (rep: Rep | undefined, currentUserId: string | undefined): string | undefined =>
  rep ? (rep.id === currentUserId ? `${rep.name} (you)` : rep.name) : undefined;

/**
 * The rep picker's matches: the organisation's members are already loaded (the list shows
 * their names), so the search runs here, by any part of the name or email, you first.
 */
export function searchReps(
  reps: readonly Rep[],
  query: string,
  limit: number,
  currentUserId?: string,
): SearchPickerOption[] {
  const needle = query.toLowerCase();
  return reps
    .filter(
      (rep) => rep.name.toLowerCase().includes(needle) || rep.email.toLowerCase().includes(needle),
    )
    .sort((a, b) => Number(b.id === currentUserId) - Number(a.id === currentUserId))
    .slice(0, limit)
    .map((rep) => ({
      value: rep.id,
      label: repLabel(rep, currentUserId) ?? rep.name,
      description: rep.email,
    }));
}
