import { X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { EnumOptions } from '@/components/ui/enum-select';
import { FilterSelect } from '@/components/ui/filter-select';
import { Input } from '@/components/ui/form-field';
import { JOB_STATUSES } from '@forkflow/domain/jobs';
import { jobFiltersSchema, jobStatusLabels, type JobFilters } from '../api/queries';
import type { JobFiltersPatch } from '../hooks/use-job-filters';
import type { WorkflowOption } from '../types';

type Props = {
  filters: JobFilters;
  setFilters: (patch: JobFiltersPatch) => void;
  hasFilters: boolean;
  clearFilters: () => void;
  workflows: WorkflowOption[] | undefined;
  /** Owners and admins choose between their own jobs and everyone's. */
  canSeeAll: boolean;
};

function Labelled({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

export function JobsFiltersBar({
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  workflows,
  canSeeAll,
}: Props) {
  const { shape } = jobFiltersSchema;
  const workflowKnown = !filters.workflow || workflows?.some((w) => w.id === filters.workflow);
  const rangeBackwards = Boolean(filters.from && filters.to && filters.from > filters.to);
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap sm:items-end">
        <FilterSelect
          label="Status"
          showLabel
          value={filters.status ?? ''}
          onChange={(value) => setFilters({ status: shape.status.parse(value || undefined) })}
          className="sm:w-44"
        >
          <option value="">All statuses</option>
          <EnumOptions values={JOB_STATUSES} labels={jobStatusLabels} />
        </FilterSelect>
        <FilterSelect
          label="Workflow"
          showLabel
          value={filters.workflow ?? ''}
          onChange={(value) => setFilters({ workflow: shape.workflow.parse(value || undefined) })}
          className="sm:w-56"
        >
          <option value="">All workflows</option>
          {workflows?.map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.name}
            </option>
          ))}
          {workflowKnown ? null : <option value={filters.workflow}>This workflow</option>}
        </FilterSelect>
        <Labelled label="Created from">
          {(id) => (
            <Input
              id={id}
              type="date"
              value={filters.from ?? ''}
              max={filters.to}
              onChange={(event) =>
                setFilters({ from: shape.from.parse(event.target.value || undefined) })
              }
              className="h-9 sm:w-40"
            />
          )}
        </Labelled>
        <Labelled label="Created to">
          {(id) => (
            <Input
              id={id}
              type="date"
              value={filters.to ?? ''}
              min={filters.from}
              onChange={(event) =>
                setFilters({ to: shape.to.parse(event.target.value || undefined) })
              }
              className="h-9 sm:w-40"
            />
          )}
        </Labelled>
        {canSeeAll ? (
          <FilterSelect
            label="Started by"
            showLabel
            value={filters.scope}
            onChange={(value) => setFilters({ scope: shape.scope.parse(value) })}
            className="sm:w-40"
          >
            <option value="mine">Me</option>
            <option value="everyone">Everyone</option>
          </FilterSelect>
        ) : null}
        {hasFilters ? (
          <Button variant="ghost" size="sm" onClick={clearFilters} className="h-9 self-end">
            <X className="size-4" aria-hidden />
            Reset filters
          </Button>
        ) : null}
      </div>
      {rangeBackwards ? (
        <p role="alert" className="text-sm text-amber-800">
          “Created from” is after “Created to”: no job can match.
        </p>
      ) : null}
    </div>
  );
}
