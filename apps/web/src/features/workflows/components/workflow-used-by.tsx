import { useQuery } from '@tanstack/react-query';
import { FolderKanban } from 'lucide-react';
import { Link } from 'react-router';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { usedByQueries } from '../api/used-by';

/** "Used by" on a workflow's page: the project sequences that run it, each linked. */
export function WorkflowUsedBy({
  organisationId,
  workflowId,
}: {
  organisationId: string;
  workflowId: string;
}) {
  const query = useQuery(usedByQueries.workflow(organisationId, workflowId));
  return (
    <section
      aria-labelledby="workflow-used-by"
      className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id="workflow-used-by"
        className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900 sm:px-5"
      >
        <FolderKanban className="size-4 text-slate-400" aria-hidden />
        Used by
      </h2>
      {query.isPending ? (
        <div role="status" aria-label="Loading where it is used" className="space-y-2 p-4">
          <Skeleton className="h-4 w-48" />
        </div>
      ) : query.isError ? (
        <ErrorState
          title="Couldn't load where it is used"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
          className="py-8"
        />
      ) : query.data.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500 sm:px-5">No project sequence runs it.</p>
      ) : (
        <ul aria-label="Project sequences using it" className="divide-y divide-slate-100">
          {query.data.map((use) => (
            <li key={use.flow_sequence_id} className="px-4 py-2.5 text-sm sm:px-5">
              <Link
                to={paths.app.flowSequence.getHref(use.project_id, use.flow_sequence_id)}
                className="font-medium text-brand-700 underline-offset-4 hover:underline"
              >
                {use.flow_sequence_name}
              </Link>
              <span className="text-slate-500"> in {use.project_name}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
