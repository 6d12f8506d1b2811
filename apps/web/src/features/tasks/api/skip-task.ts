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

export const skipTaskInputSchema = taskActionInputSchema;

/** skip_task: not done, and not needed; the next step of its sequence (if any) becomes active. */
export function skipTask(input: TaskActionInput) {
  return callTaskProgressRpc('skip_task', input);
}

export function useSkipTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof skipTask, { snapshot: TaskListsSnapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: skipTask,
    // Skipped at once on screen; back as it was if the server says no.
    onMutate: async ({ taskId }) => ({
      snapshot: await setTaskStatusOptimistically(queryClient, organisationId, taskId, 'skipped'),
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
