import { Plus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ButtonLink } from '@/components/ui/button';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchInput } from '@/components/ui/search-input';
import { paths } from '@/config/paths';
import { JobStatusBadge } from '@/features/jobs/components/job-status-badge';
import {
  parseWorkflowFilters,
  workflowSortLabels,
  workflowSorts,
  type WorkflowFilters,
} from '@/features/workflows/api/queries';
import { ImportWorkflowButton } from '@/features/workflows/components/import-workflow-dialog';
import { WorkflowsList } from '@/features/workflows/components/workflows-list';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canManageWorkflows } from '@/lib/permissions';

const filterDefaults: FilterDefaults<WorkflowFilters> = {
  q: '',
  status: 'active',
  sort: 'updated',
  page: 1,
};
// A sort order is not a filter: "Show all workflows" keeps it.
const filterKeys = ['q', 'status'] as const;
const SEARCH_DEBOUNCE_MS = 300;
const renderRunStatus = (status: string) => <JobStatusBadge status={status} />;

export function Component() {
  const organisation = useCurrentOrganisation();
  const { filters, setFilters } = useUrlFilters({
    parse: parseWorkflowFilters,
    defaults: filterDefaults,
    filterKeys,
  });
  const canCreate = canManageWorkflows(organisation.role);

  // Typing → URL after a pause (the search runs on the server); the first keystroke of a
  // search adds a history entry so Back returns to the unfiltered list, refinements replace it.
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    const q = debounced.trim();
    if (q !== filters.q) setFilters({ q }, { replace: filters.q !== '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);
  // URL → input (Back/Forward, "Show all workflows"), adjusted during render.
  const [urlQuery, setUrlQuery] = useState(filters.q);
  if (urlQuery !== filters.q) {
    setUrlQuery(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

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
        <ImportWorkflowButton canCreate={canCreate} className="ml-auto" />
        {canCreate ? (
          <ButtonLink to={paths.app.newWorkflow.getHref()} variant="primary">
            <Plus className="size-4" aria-hidden />
            New workflow
          </ButtonLink>
        ) : null}
      </header>

      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 p-3 sm:p-4">
          <form
            role="search"
            className="min-w-0 flex-1 sm:max-w-sm"
            onSubmit={(event) => {
              event.preventDefault();
              const q = text.trim();
              if (q !== filters.q) setFilters({ q });
            }}
          >
            <SearchInput
              label="Search workflows"
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder="Search name, key or description"
            />
          </form>
          <FilterSelect
            label="Status"
            value={filters.status}
            onChange={(value) =>
              setFilters({
                status: parseWorkflowFilters(new URLSearchParams({ status: value })).status,
              })
            }
            className="w-auto"
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="all">All statuses</option>
          </FilterSelect>
          <FilterSelect
            label="Sort"
            value={filters.sort}
            onChange={(value) =>
              setFilters({ sort: parseWorkflowFilters(new URLSearchParams({ sort: value })).sort })
            }
            className="w-auto"
          >
            {workflowSorts.map((sort) => (
              <option key={sort} value={sort}>
                {workflowSortLabels[sort]}
              </option>
            ))}
          </FilterSelect>
        </div>
        <WorkflowsList
          filters={filters}
          setFilters={setFilters}
          canCreate={canCreate}
          renderRunStatus={renderRunStatus}
        />
      </div>
    </div>
  );
}
