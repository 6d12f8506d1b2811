import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { patchListRows } from '@/lib/optimistic';
import { taskQueries, type TaskListItem } from './queries';
import { callTaskProgressRpc, taskActionInputSchema, type TaskActionInput } from './task-progress';

/**
 * retry_automated_task: an automated task that needs attention runs again — its failed job
 * re-queued from the step it stopped at (the task is running), or, when no job could start,
 * waiting for the next tick. 409 when it no longer needs attention (its words are shown).
 */
export async function retryAutomatedTask(input: TaskActionInput) {
  const { taskId } = taskActionInputSchema.parse(input);
  return callTaskProgressRpc('retry_automated_task', { p_task_id: taskId });
}

export function useRetryAutomatedTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof retryAutomatedTask>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: retryAutomatedTask,
    onSuccess: (result, ...args) => {
      // The card shows "running" (or "waiting") at once; the refetch below confirms it.
      const status = (result.task as { automation_status?: unknown }).automation_status;
      if (typeof status === 'string') {
        patchListRows<TaskListItem>(
          queryClient,
          taskQueries.lists(organisationId),
          result.task.id,
          {
            automation_status: status,
            automation_error: null,
          },
        );
      }
      return onSuccess?.(result, ...args);
    },
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: taskQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
