import { useCallback } from 'react';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useReopenTask } from '../api/reopen-task';

/**
 * Reopen a completed or skipped task (the card's Reopen, the toast's Undo). A sequence step
 * the server cannot put back (the next step was done since, …) stays done, and the toast
 * gives the server's reason.
 */
export function useReopenTaskAction({ onChanged }: { onChanged?: (() => void) | undefined } = {}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const { mutate } = useReopenTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result, { via }) => {
        const unchanged = result.warnings.length > 0;
        toast({
          tone: unchanged ? 'info' : 'success',
          title: unchanged ? 'Already open' : via === 'undo' ? 'Undone' : 'Task reopened',
          description: unchanged
            ? `${result.task.name} was already open; nothing changed.`
            : `${result.task.name} is open again.`,
          duration: 5000,
        });
      },
      onError: (error, { via }) =>
        toast({
          tone: 'error',
          title: via === 'undo' ? 'Couldn’t undo' : 'Couldn’t reopen the task',
          description: getErrorMessage(error),
          duration: 10000,
        }),
      onSettled: () => onChanged?.(),
    },
  });
  return useCallback(
    (taskId: string, via: 'undo' | 'reopen' = 'reopen') => mutate({ taskId, via }),
    [mutate],
  );
}
