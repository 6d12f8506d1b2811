import { Plus } from 'lucide-react';
import { useCallback } from 'react';
import { ButtonLink } from '@/components/ui/button';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchInput } from '@/components/ui/search-input';
import { paths } from '@/config/paths';
import { parseWorkflowFilters, type WorkflowFilters } from '@/features/workflows/api/queries';
import { WorkflowsList } from '@/features/workflows/components/workflows-list';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

const filterDefaults: FilterDefaults<WorkflowFilters> = { q: '', status: 'active' };

export function Component() {
  const organisation = useCurrentOrganisation();
  const { filters, setFilters: patchFilters } = useUrlFilters({
    parse: parseWorkflowFilters,
    defaults: filterDefaults,
  });
  const setFilters = useCallback(
    // Typing refines the same search: one history entry, not one per keystroke.
    (next: WorkflowFilters) => patchFilters(next, { replace: next.status === filters.status }),
    [patchFilters, filters.status],
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
          <SearchInput
            label="Search workflows"
            className="flex-1 sm:max-w-sm"
            value={filters.q}
            onChange={(event) => setFilters({ ...filters, q: event.target.value })}
            placeholder="Search by name or key"
          />
          <FilterSelect
            label="Status"
            value={filters.status}
            onChange={(value) =>
              setFilters({
                ...filters,
                status: parseWorkflowFilters(new URLSearchParams({ status: value })).status,
              })
            }
            className="w-auto"
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="all">All statuses</option>
          </FilterSelect>
        </div>
        <WorkflowsList filters={filters} onFiltersChange={setFilters} canCreate={canCreate} />
      </div>
    </div>
  );
}
