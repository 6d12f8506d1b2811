import { useQuery, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EnumOptions } from '@/components/ui/enum-select';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchPicker, type SearchPickerOption } from '@/components/ui/search-picker';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  ANYONE,
  ME,
  UNASSIGNED,
  searchTaskInstances,
  searchTaskRestaurants,
  taskFiltersSchema,
  taskQueries,
  taskStatusFilterLabels,
  taskStatusFilters,
  type TaskFilters,
} from '../api/queries';
import type { TaskFiltersPatch } from '../hooks/use-task-filters';
import { taskTypeLabels, taskTypes } from '@forkflow/domain/sequence-template';
import { type Assignee } from '../types';

type Props = {
  filters: TaskFilters;
  setFilters: (patch: TaskFiltersPatch) => void;
  hasFilters: boolean;
  clearFilters: () => void;
  assignees: Assignee[];
  currentUserId: string;
};

export function TaskFiltersBar({
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  assignees,
  currentUserId,
}: Props) {
  const organisation = useCurrentOrganisation();
  const queryClient = useQueryClient();
  const { shape } = taskFiltersSchema;
  const restaurantLabel = useFilterLabel('restaurants', filters.restaurant, 'This restaurant');
  const instanceLabel = useFilterLabel('sequence_instances', filters.instance, 'This sequence');

  /** A picked option's name is known: keep it, so the button shows it without a lookup. */
  const remember = (table: 'restaurants' | 'sequence_instances', option?: SearchPickerOption) => {
    if (!option?.value) return;
    const { queryKey } = taskQueries.filterLabel(organisation.id, table, option.value);
    queryClient.setQueryData(queryKey, option.label);
  };

  return (
    <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap sm:items-center">
      <FilterSelect
        className="sm:max-w-56"
        label="Status"
        value={filters.status}
        onChange={(value) => setFilters({ status: shape.status.parse(value) })}
      >
        <EnumOptions values={taskStatusFilters} labels={taskStatusFilterLabels} />
      </FilterSelect>
      <FilterSelect
        className="sm:max-w-56"
        label="Assignee"
        value={filters.assignee}
        onChange={(value) => setFilters({ assignee: shape.assignee.parse(value) })}
      >
        <option value={ME}>Assigned to me</option>
        <option value={ANYONE}>Anyone</option>
        <option value={UNASSIGNED}>Unassigned</option>
        {assignees
          .filter((assignee) => assignee.id !== currentUserId)
          .map((assignee) => (
            <option key={assignee.id} value={assignee.id}>
              {assignee.name}
            </option>
          ))}
      </FilterSelect>
      <FilterSelect
        className="sm:max-w-56"
        label="Type"
        value={filters.type ?? ''}
        onChange={(value) => setFilters({ type: shape.type.parse(value || undefined) })}
      >
        <option value="">All types</option>
        <EnumOptions values={taskTypes} labels={taskTypeLabels} />
      </FilterSelect>
      {/* Restaurants and sequences can run to 100,000: search the server, 20 at a time. */}
      <SearchPicker
        className="sm:w-56"
        label="Restaurant"
        allLabel="All restaurants"
        placeholder="Restaurant name starts with…"
        value={filters.restaurant ?? ''}
        selectedLabel={restaurantLabel}
        queryKey={taskQueries.pickers(organisation.id, 'restaurants')}
        search={async (text, limit, signal) =>
          (await searchTaskRestaurants(organisation.id, text, limit, signal)).map((row) => ({
            value: row.id,
            label: row.name,
          }))
        }
        onChange={(value, option) => {
          remember('restaurants', option);
          setFilters({ restaurant: shape.restaurant.parse(value || undefined) });
        }}
      />
      <SearchPicker
        className="sm:w-56"
        label="Sequence"
        allLabel="All sequences"
        placeholder="Sequence name starts with…"
        value={filters.instance ?? ''}
        selectedLabel={instanceLabel}
        queryKey={taskQueries.pickers(organisation.id, 'instances')}
        search={async (text, limit, signal) =>
          (await searchTaskInstances(organisation.id, text, limit, signal)).map((row) => ({
            value: row.id,
            label: row.name,
            description: row.status === 'paused' ? 'Paused' : undefined,
          }))
        }
        onChange={(value, option) => {
          remember('sequence_instances', option);
          setFilters({ instance: shape.instance.parse(value || undefined) });
        }}
      />
      {hasFilters ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={clearFilters}
          className="col-span-2 sm:col-span-1"
        >
          <X className="size-4" aria-hidden />
          Reset filters
        </Button>
      ) : null}
    </div>
  );
}

/** The name of the restaurant or sequence the URL names (it may be past any first page). */
function useFilterLabel(
  table: 'restaurants' | 'sequence_instances',
  id: string | undefined,
  fallback: string,
): string | undefined {
  const organisation = useCurrentOrganisation();
  const label = useQuery({
    ...taskQueries.filterLabel(organisation.id, table, id ?? ''),
    enabled: Boolean(id),
  });
  if (!id) return undefined;
  if (label.isPending) return undefined; // the picker shows "…" meanwhile
  return label.data ?? fallback;
}
