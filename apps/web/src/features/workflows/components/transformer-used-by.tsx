import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { usedByQueries } from '../api/used-by';

/**
 * The current organisation's workflows whose current definition runs the transformer, each
 * linked to its page (public.transformer_used_by). For the transformer page to mount.
 */
export function TransformerUsedBy({ transformerId }: { transformerId: string }) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(usedByQueries.transformer(organisation.id, transformerId));

  if (query.isPending) {
    return (
      <div role="status" aria-label="Loading the workflows using it" className="space-y-2 py-2">
        <Skeleton className="h-4 w-48" />
        <Skeleton className="h-4 w-40" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <ErrorState
        title="Couldn't load the workflows using it"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
        className="py-6"
      />
    );
  }
  if (query.data.length === 0) {
    return <p className="py-2 text-sm text-slate-500">No workflow uses it.</p>;
  }
  return (
    <ul aria-label={`Workflows using ${transformerId}`} className="divide-y divide-slate-100">
      {query.data.map((workflow) => (
        <li key={workflow.workflow_id} className="flex items-center gap-2 py-2 text-sm">
          <Link
            to={paths.app.workflow.getHref(workflow.workflow_id)}
            className="min-w-0 truncate font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            {workflow.name}
          </Link>
          <span className="truncate font-mono text-xs text-slate-500">{workflow.key}</span>
          {workflow.status === 'archived' ? <Badge>Archived</Badge> : null}
        </li>
      ))}
    </ul>
  );
}
