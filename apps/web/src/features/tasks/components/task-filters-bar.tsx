import { X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form-field';
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

function FilterSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className="h-9 min-w-0 sm:max-w-56"
      >
        {children}
      </Select>
    </div>
  );
}

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
        label="Status"
        value={filters.status}
        onChange={(value) => setFilters({ status: shape.status.parse(value) })}
      >
        {taskStatusFilters.map((status) => (
          <option key={status} value={status}>
            {taskStatusFilterLabels[status]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect
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
        label="Type"
        value={filters.type ?? ''}
        onChange={(value) => setFilters({ type: shape.type.parse(value || undefined) })}
      >
        <option value="">All types</option>
        {taskTypes.map((type) => (
          <option key={type} value={type}>
            {taskTypeLabels[type]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect
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
