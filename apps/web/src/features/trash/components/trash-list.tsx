import { useQuery } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { formatDayMonthInZone } from '@/lib/format-in-zone';
import { trashQueries, type TrashItem, type TrashKind } from '../api/queries';
import { useRestoreFromTrash } from '../api/restore-from-trash';

export const kindLabels: Record<TrashKind, string> = {
  restaurant: 'Restaurant',
  task_template: 'Task template',
  message_template: 'Message template',
  sequence_template: 'Sequence',
  workflow: 'Workflow',
};

/**
 * The organisation's trash as the user may restore it, each row with Restore; workflows also
 * with "Delete permanently" when the page passes onDeleteWorkflow (the workflows feature's
 * dialog, composed by the route).
 */
export function TrashList({
  organisationId,
  onDeleteWorkflow,
}: {
  organisationId: string;
  onDeleteWorkflow?: (item: TrashItem) => void;
}) {
  const { toast } = useToast();
  const query = useQuery(trashQueries.list(organisationId));
  const restore = useRestoreFromTrash({
    organisationId,
    mutationConfig: {
      onSuccess: (_result, variables) => toast({ title: 'Restored', description: variables.name }),
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't restore ${variables.name ?? 'it'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });

  if (query.isPending)
    return (
      <div role="status" aria-label="Loading the trash" className="space-y-2 p-4">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  if (query.isError)
    return (
      <ErrorState
        title="Couldn't load the trash"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  if (query.data.length === 0)
    return (
      <EmptyState
        icon={<Trash2 className="size-6" aria-hidden />}
        title="The trash is empty"
        description="Restaurants, templates and workflows you delete stay here for 30 days."
      />
    );

  return (
    <ul className="divide-y divide-slate-100" aria-label="Deleted items">
      {query.data.map((item) => {
        const restoring = restore.isPending && restore.variables?.id === item.id;
        return (
          <li
            key={`${item.kind}:${item.id}`}
            className="flex flex-wrap items-center gap-3 px-4 py-3"
          >
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-slate-900">{item.name}</p>
              <p className="text-sm text-slate-500">
                Deleted {formatDayMonthInZone(new Date(item.deletedAt))}
                {item.deletedByName ? ` by ${item.deletedByName}` : ''} · purged after{' '}
                {formatDayMonthInZone(new Date(item.purgeAfter))}
              </p>
            </div>
            <Badge>{kindLabels[item.kind]}</Badge>
            <Button
              variant="secondary"
              size="sm"
              disabled={restoring}
              onClick={() => restore.mutate({ kind: item.kind, id: item.id, name: item.name })}
            >
              Restore<span className="sr-only"> {item.name}</span>
            </Button>
            {item.kind === 'workflow' && onDeleteWorkflow ? (
              <Button variant="secondary-danger" size="sm" onClick={() => onDeleteWorkflow(item)}>
                Delete permanently<span className="sr-only"> {item.name}</span>
              </Button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
