import { X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form-field';
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
        <Labelled label="Status">
          {(id) => (
            <Select
              id={id}
              value={filters.status ?? ''}
              onChange={(event) =>
                setFilters({ status: shape.status.parse(event.target.value || undefined) })
              }
              className="h-9 sm:w-44"
            >
              <option value="">All statuses</option>
              {JOB_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {jobStatusLabels[status]}
                </option>
              ))}
            </Select>
          )}
        </Labelled>
        <Labelled label="Workflow">
          {(id) => (
            <Select
              id={id}
              value={filters.workflow ?? ''}
              onChange={(event) =>
                setFilters({ workflow: shape.workflow.parse(event.target.value || undefined) })
              }
              className="h-9 sm:w-56"
            >
              <option value="">All workflows</option>
              {workflows?.map((workflow) => (
                <option key={workflow.id} value={workflow.id}>
                  {workflow.name}
                </option>
              ))}
              {workflowKnown ? null : <option value={filters.workflow}>This workflow</option>}
            </Select>
          )}
        </Labelled>
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
          <Labelled label="Started by">
            {(id) => (
              <Select
                id={id}
                value={filters.scope}
                onChange={(event) => setFilters({ scope: shape.scope.parse(event.target.value) })}
                className="h-9 sm:w-40"
              >
                <option value="mine">Me</option>
                <option value="everyone">Everyone</option>
              </Select>
            )}
          </Labelled>
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
