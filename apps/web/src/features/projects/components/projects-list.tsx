import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, FolderKanban, SearchX } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import type { FiltersPatch } from '@/hooks/use-url-filters';
import { getErrorMessage } from '@/lib/errors';
import { PROJECTS_PAGE_SIZE, projectQueries, type ProjectFilters } from '../api/queries';

export function ProjectStatusBadge({ status }: { status: string }) {
  return status === 'archived' ? (
    <Badge tone="slate">Archived</Badge>
  ) : (
    <Badge tone="emerald" dot>
      Active
    </Badge>
  );
}

type Props = {
  organisationId: string;
  filters: ProjectFilters;
  setFilters: (patch: FiltersPatch<ProjectFilters>, options?: { replace?: boolean }) => void;
  /** Environment id → name, to say which one each project runs with. */
  environmentNames: ReadonlyMap<string, string>;
  /** What an owner/admin is offered when there are no projects yet. */
  emptyAction?: ReactNode;
};

/** A page of projects, searched and filtered on the server; the page is in the URL. */
export function ProjectsList({
  organisationId,
  filters,
  setFilters,
  environmentNames,
  emptyAction,
}: Props) {
  const query = useQuery(projectQueries.list(organisationId, filters));
  const data = query.data;

  // A page past the end (after deletes, or an old link): go to the last real page.
  useEffect(() => {
    if (!data || query.isPlaceholderData || filters.page === 1) return;
    if (data.rows.length === 0) {
      const lastPage = data.total > 0 ? data.pageCount : 1;
      if (lastPage !== filters.page) setFilters({ page: lastPage }, { replace: true });
    }
  }, [data, filters.page, query.isPlaceholderData, setFilters]);

  if (query.isPending) {
    return (
      <div role="status" aria-label="Loading projects" className="divide-y divide-slate-100">
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="space-y-2 px-5 py-5">
            <Skeleton className="h-4 w-56 max-w-full" />
            <Skeleton className="h-3 w-40 max-w-full" />
          </div>
        ))}
      </div>
    );
  }
  if (!data) {
    return (
      <ErrorState
        title="Couldn't load projects"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }
  if (data.rows.length === 0) {
    const filtered = filters.q !== '' || filters.status !== 'active';
    return filtered ? (
      <EmptyState
        icon={<SearchX className="size-6" aria-hidden />}
        title="No projects match"
        description={
          filters.q
            ? `Nothing matches “${filters.q}”${filters.status === 'all' ? '' : ` among ${filters.status} projects`}.`
            : `There are no ${filters.status} projects.`
        }
        action={
          <Button variant="secondary" onClick={() => setFilters({ q: '', status: 'all' })}>
            Show all projects
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<FolderKanban className="size-6" aria-hidden />}
        title="No projects yet"
        description="A project holds variables, API hosts and an environment, and its flow sequences chain workflows."
        action={emptyAction}
      />
    );
  }

  const first = (data.page - 1) * PROJECTS_PAGE_SIZE + 1;
  const last = first + data.rows.length - 1;
  return (
    <div aria-busy={query.isFetching || undefined}>
      <ul aria-label="Projects" className="divide-y divide-slate-100">
        {data.rows.map((project) => {
          const environment = project.environment_id
            ? environmentNames.get(project.environment_id)
            : undefined;
          return (
            <li
              key={project.id}
              className="relative flex flex-col gap-1 px-4 py-4 hover:bg-slate-50/60 sm:px-5"
            >
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Link
                  to={paths.app.project.getHref(project.id)}
                  className="min-w-0 font-medium break-words text-slate-900 after:absolute after:inset-0 hover:text-brand-700 focus-visible:underline focus-visible:outline-none"
                >
                  {project.name}
                </Link>
                <ProjectStatusBadge status={project.status} />
              </div>
              <p className="text-xs text-slate-500">
                <span className="font-mono">{project.slug}</span>
                {' · '}
                {environment ? `runs with ${environment}` : 'no environment'}
              </p>
              {project.description ? (
                <p className="line-clamp-2 text-sm text-slate-600">{project.description}</p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {data.pageCount > 1 || filters.page > 1 ? (
        <nav
          aria-label="Pagination"
          className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm sm:px-5"
        >
          <p className="text-slate-600" aria-live="polite">
            <span className="font-medium text-slate-900">{first}</span>–
            <span className="font-medium text-slate-900">{last}</span> of{' '}
            <span className="font-medium text-slate-900">{data.total}</span>
          </p>
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="sm"
              disabled={data.page <= 1}
              onClick={() => setFilters({ page: data.page - 1 })}
            >
              <ChevronLeft className="size-4" aria-hidden />
              Previous
            </Button>
            <Button
              variant="secondary"
              size="sm"
              disabled={data.page >= data.pageCount}
              onClick={() => setFilters({ page: data.page + 1 })}
            >
              Next
              <ChevronRight className="size-4" aria-hidden />
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}
