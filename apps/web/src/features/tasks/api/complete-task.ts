import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { taskQueries } from './queries';
import {
  applyServerTask,
  callTaskProgressRpc,
  restoreSnapshot,
  setTaskStatusOptimistically,
  taskActionInputSchema,
  type TaskActionInput,
  type TaskListsSnapshot,
} from './task-progress';

export const completeTaskInputSchema = taskActionInputSchema;

/** complete_task: done, and the next step of its sequence (if any) becomes active. */
export function completeTask(input: TaskActionInput) {
  return callTaskProgressRpc('complete_task', input);
}

export function useCompleteTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof completeTask, { snapshot: TaskListsSnapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: completeTask,
    // Done at once on screen; back as it was if the server says no.
    onMutate: async ({ taskId }) => ({
      snapshot: await setTaskStatusOptimistically(queryClient, organisationId, taskId, 'completed'),
    }),
    onError: (error, variables, context, ...more) => {
      restoreSnapshot(queryClient, context?.snapshot);
      return onError?.(error, variables, context, ...more);
    },
    onSuccess: (result, ...args) => {
      applyServerTask(queryClient, organisationId, result.task);
      return onSuccess?.(result, ...args);
    },
    // The next step is now active (with its due date): fetch it.
    onSettled: (...args) => {
      void queryClient.invalidateQueries({ queryKey: taskQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
