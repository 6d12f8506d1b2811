import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { FilterSelect } from '@/components/ui/filter-select';
import { SearchInput } from '@/components/ui/search-input';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { environmentQueries } from '@/features/environments/api/queries';
import { parseProjectFilters, type ProjectFilters } from '@/features/projects/api/queries';
import { NewProjectDialog } from '@/features/projects/components/new-project-dialog';
import { ProjectsList } from '@/features/projects/components/projects-list';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

const filterDefaults: FilterDefaults<ProjectFilters> = { q: '', status: 'active', page: 1 };
const filterKeys = ['q', 'status'] as const;
const SEARCH_DEBOUNCE_MS = 300;

export function Component() {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const canManage = isOrganisationAdmin(organisation.role);
  const [creating, setCreating] = useState(false);
  const { filters, setFilters } = useUrlFilters({
    parse: parseProjectFilters,
    defaults: filterDefaults,
    filterKeys,
  });
  const environments = useQuery(environmentQueries.list(organisation.id));
  const environmentNames = useMemo(
    () =>
      new Map((environments.data ?? []).map((environment) => [environment.id, environment.name])),
    [environments.data],
  );

  // Typing → URL after a pause; the first keystroke of a search adds a history entry so Back
  // returns to the unfiltered list, refinements replace it.
  const [text, setText] = useState(filters.q);
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    const q = debounced.trim();
    if (q !== filters.q) setFilters({ q }, { replace: filters.q !== '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);
  // URL → input (Back/Forward), adjusted during render.
  const [urlQuery, setUrlQuery] = useState(filters.q);
  if (urlQuery !== filters.q) {
    setUrlQuery(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

  const newProject = (
    <Button onClick={() => setCreating(true)}>
      <Plus className="size-4" aria-hidden />
      New project
    </Button>
  );

  return (
    <div className="space-y-6">
      <title>{`Projects · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Projects</h1>
          <p className="mt-1 text-sm text-slate-600">
            Variables, API hosts and an environment, and the flow sequences that chain workflows.
          </p>
        </div>
        {canManage ? newProject : null}
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
              label="Search projects"
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder="Search by name or slug"
            />
          </form>
          <FilterSelect
            label="Status"
            value={filters.status}
            onChange={(value) =>
              setFilters({
                status: parseProjectFilters(new URLSearchParams({ status: value })).status,
              })
            }
            className="w-auto"
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="all">All statuses</option>
          </FilterSelect>
        </div>
        <ProjectsList
          organisationId={organisation.id}
          filters={filters}
          setFilters={setFilters}
          environmentNames={environmentNames}
          emptyAction={canManage ? newProject : undefined}
        />
      </div>
      <NewProjectDialog
        organisationId={organisation.id}
        open={creating}
        onOpenChange={setCreating}
        onCreated={(project) => {
          setCreating(false);
          toast({ title: 'Project created', description: project.name });
          navigate(paths.app.project.getHref(project.id));
        }}
      />
    </div>
  );
}
