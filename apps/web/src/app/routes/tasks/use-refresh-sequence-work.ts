import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { sequenceInstanceQueries } from '@/features/sequence-instances/api/queries';
import { taskQueries } from '@/features/tasks/api/queries';
import { useCurrentOrganisation } from '@/lib/organisation';

/**
 * Tasks and sequence instances change together (completing a task moves its sequence on;
 * pausing a sequence clears its task's due date). Each feature refreshes its own data; the
 * app refreshes the other's.
 */
export function useRefreshSequenceWork() {
  const queryClient = useQueryClient();
  const organisation = useCurrentOrganisation();
  const refreshInstances = useCallback(
    () =>
      void queryClient.invalidateQueries({
        queryKey: sequenceInstanceQueries.all(organisation.id),
      }),
    [queryClient, organisation.id],
  );
  const refreshTasks = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: taskQueries.all(organisation.id) }),
    [queryClient, organisation.id],
  );
  return { refreshInstances, refreshTasks };
}
