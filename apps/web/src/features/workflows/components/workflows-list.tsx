import { useQuery } from '@tanstack/react-query';
import { GitBranch, SearchX } from 'lucide-react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { WorkflowMeta } from './workflow-meta';
import { matchesWorkflow, workflowQueries, type WorkflowFilters } from '../api/queries';

type Props = {
  filters: WorkflowFilters;
  onFiltersChange: (filters: WorkflowFilters) => void;
  /** Owners and admins may create workflows. */
  canCreate: boolean;
};

export function WorkflowStatusBadge({ status }: { status: string }) {
  return status === 'archived' ? (
    <Badge tone="slate">Archived</Badge>
  ) : (
    <Badge tone="emerald" dot>
      Active
    </Badge>
  );
}

export function WorkflowsList({ filters, onFiltersChange, canCreate }: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(workflowQueries.list(organisation.id));

  if (query.isPending) return <WorkflowsListSkeleton />;
  if (!query.data) {
    return (
      <ErrorState
        title="Couldn't load workflows"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }

  if (query.data.length === 0) {
    return (
      <EmptyState
        icon={<GitBranch className="size-6" aria-hidden />}
        title="No workflows yet"
        description={
          canCreate
            ? 'A workflow is a series of steps, each running a transformer (echo, transcription, HTTP). Start from the example.'
            : 'An owner or admin of the organisation creates workflows; you can run them here once they exist.'
        }
        action={
          canCreate ? (
            <ButtonLink to={paths.app.newWorkflow.getHref()} variant="primary">
              New workflow
            </ButtonLink>
          ) : undefined
        }
      />
    );
  }

  const rows = query.data.filter((workflow) => matchesWorkflow(workflow, filters));
  if (rows.length === 0) {
    return (
      <EmptyState
        icon={<SearchX className="size-6" aria-hidden />}
        title="No workflows match"
        description={
          filters.q
            ? `Nothing matches “${filters.q}”${filters.status === 'all' ? '' : ` among ${filters.status} workflows`}.`
            : `There are no ${filters.status} workflows.`
        }
        action={
          <Button variant="secondary" onClick={() => onFiltersChange({ q: '', status: 'all' })}>
            Show all workflows
          </Button>
        }
      />
    );
  }

  return (
    <ul
      aria-label="Workflows"
      className="divide-y divide-slate-100"
      aria-busy={query.isFetching || undefined}
    >
      {rows.map((workflow) => (
        <li
          key={workflow.id}
          className="relative flex flex-col gap-2 px-4 py-4 hover:bg-slate-50/60 sm:flex-row sm:items-center sm:gap-6 sm:px-5"
        >
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Link
                to={paths.app.workflow.getHref(workflow.id)}
                title={workflow.name}
                // The whole row opens the workflow, as a job's row does on the Jobs page.
                className="min-w-0 font-medium break-words text-slate-900 after:absolute sm:truncate after:inset-0 hover:text-brand-700 focus-visible:underline focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-brand-600 focus-visible:after:ring-inset"
              >
                {workflow.name}
              </Link>
              <WorkflowStatusBadge status={workflow.status} />
            </div>
            <WorkflowMeta workflow={workflow} className="mt-1 text-xs text-slate-500" />
            {workflow.description ? (
              <p className="mt-1 line-clamp-2 text-sm text-slate-600">{workflow.description}</p>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function WorkflowsListSkeleton() {
  return (
    <div role="status" aria-label="Loading workflows" className="divide-y divide-slate-100">
      {Array.from({ length: 4 }, (_, index) => (
        <div key={index} className="space-y-2 px-5 py-5">
          <Skeleton className="h-4 w-56 max-w-full" />
          <Skeleton className="h-3 w-72 max-w-full" />
        </div>
      ))}
    </div>
  );
}
