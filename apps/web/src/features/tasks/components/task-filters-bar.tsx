import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EnumOptions } from '@/components/ui/enum-select';
import { FilterSelect } from '@/components/ui/filter-select';
import {
  ANYONE,
  ME,
  UNASSIGNED,
  taskFiltersSchema,
  taskStatusFilterLabels,
  taskStatusFilters,
  type TaskFilterOptions,
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
  options: TaskFilterOptions | undefined;
  assignees: Assignee[];
  currentUserId: string;
};

export function TaskFiltersBar({
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  options,
  assignees,
  currentUserId,
}: Props) {
  const { shape } = taskFiltersSchema;
  const restaurantKnown =
    !filters.restaurant || options?.restaurants.some((r) => r.id === filters.restaurant);
  const instanceKnown =
    !filters.instance || options?.instances.some((i) => i.id === filters.instance);
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
      <FilterSelect
        className="sm:max-w-56"
        label="Restaurant"
        value={filters.restaurant ?? ''}
        onChange={(value) => setFilters({ restaurant: shape.restaurant.parse(value || undefined) })}
      >
        <option value="">All restaurants</option>
        {options?.restaurants.map((restaurant) => (
          <option key={restaurant.id} value={restaurant.id}>
            {restaurant.name}
          </option>
        ))}
        {restaurantKnown ? null : <option value={filters.restaurant}>This restaurant</option>}
      </FilterSelect>
      <FilterSelect
        className="sm:max-w-56"
        label="Sequence"
        value={filters.instance ?? ''}
        onChange={(value) => setFilters({ instance: shape.instance.parse(value || undefined) })}
      >
        <option value="">All sequences</option>
        {options?.instances.map((instance) => (
          <option key={instance.id} value={instance.id}>
            {instance.status === 'paused' ? `${instance.name} (paused)` : instance.name}
          </option>
        ))}
        {instanceKnown ? null : <option value={filters.instance}>This sequence</option>}
      </FilterSelect>
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
