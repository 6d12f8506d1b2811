import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchInput } from '@/components/ui/search-input';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import type { FiltersPatch } from '@/hooks/use-url-filters';
import type { BoardFilters } from '../api/queries';
import type { BoardRep } from './pipeline-board';

const SEARCH_DEBOUNCE_MS = 300;

/** My restaurants / a rep, and a search; the board's columns and counts follow both. */
export function PipelineFilters({
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  reps,
  currentUserId,
}: {
  filters: BoardFilters;
  setFilters: (patch: FiltersPatch<BoardFilters>, options?: { replace?: boolean }) => void;
  hasFilters: boolean;
  clearFilters: () => void;
  reps: BoardRep[];
  currentUserId: string;
}) {
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    const q = debounced.trim();
    if (q !== filters.q) setFilters({ q }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);
  // URL → input ("Clear filters", Back), adjusted during render.
  const [urlQuery, setUrlQuery] = useState(filters.q);
  if (urlQuery !== filters.q) {
    setUrlQuery(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

  const others = reps.filter((rep) => rep.id !== currentUserId);
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
      <form
        role="search"
        className="min-w-0 sm:w-72"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ q: text.trim() });
        }}
      >
        <SearchInput
          label="Search the board"
          placeholder="Search the board"
          value={text}
          onChange={(event) => setText(event.target.value)}
          autoComplete="off"
        />
      </form>
      <FilterSelect
        label="Rep"
        value={filters.rep ?? ''}
        onChange={(value) => setFilters({ rep: value || undefined })}
        className="sm:w-56"
      >
        <option value="">Everyone’s restaurants</option>
        <option value={currentUserId}>My restaurants</option>
        {others.map((rep) => (
          <option key={rep.id} value={rep.id}>
            {rep.name}
          </option>
        ))}
      </FilterSelect>
      {hasFilters ? (
        <Button variant="ghost" size="sm" onClick={clearFilters}>
          <X className="size-4" aria-hidden />
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
