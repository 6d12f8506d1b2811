import { Plus, Search } from 'lucide-react';
import { useCallback, useId, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ButtonLink } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form-field';
import { paths } from '@/config/paths';
import { parseWorkflowFilters, type WorkflowFilters } from '@/features/workflows/api/queries';
import { WorkflowsList } from '@/features/workflows/components/workflows-list';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

export function Component() {
  const organisation = useCurrentOrganisation();
  const searchId = useId();
  const statusId = useId();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseWorkflowFilters(params), [params]);
  const setFilters = useCallback(
    (next: WorkflowFilters) => {
      const out = new URLSearchParams();
      if (next.q) out.set('q', next.q);
      if (next.status !== 'active') out.set('status', next.status);
      // Typing refines the same search: one history entry, not one per keystroke.
      setParams(out, { replace: next.status === filters.status });
    },
    [setParams, filters.status],
  );
  const canCreate = canManageWorkflows(organisation.role);

  return (
    <div className="space-y-6">
      <title>{`Workflows · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Workflows</h1>
          <p className="mt-1 text-sm text-slate-600">
            Steps that run one after another on the workflow engine: run one to start a job.
          </p>
        </div>
        {canCreate ? (
          <ButtonLink to={paths.app.newWorkflow.getHref()} variant="primary">
            <Plus className="size-4" aria-hidden />
            New workflow
          </ButtonLink>
        ) : null}
      </header>

      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 p-3 sm:p-4">
          <div className="relative min-w-0 flex-1 sm:max-w-sm">
            <label htmlFor={searchId} className="sr-only">
              Search workflows
            </label>
            <Search
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
              aria-hidden
            />
            <Input
              id={searchId}
              type="search"
              value={filters.q}
              onChange={(event) => setFilters({ ...filters, q: event.target.value })}
              placeholder="Search by name or key"
              className="h-9 pl-9"
            />
          </div>
          <label htmlFor={statusId} className="sr-only">
            Status
          </label>
          <Select
            id={statusId}
            value={filters.status}
            onChange={(event) =>
              setFilters({
                ...filters,
                status: parseWorkflowFilters(new URLSearchParams({ status: event.target.value }))
                  .status,
              })
            }
            className="h-9 w-auto"
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="all">All statuses</option>
          </Select>
        </div>
        <WorkflowsList filters={filters} onFiltersChange={setFilters} canCreate={canCreate} />
      </div>
    </div>
  );
}
