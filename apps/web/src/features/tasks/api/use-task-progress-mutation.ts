import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { taskQueries } from './queries';
import {
  applyServerTask,
  restoreSnapshot,
  setTaskStatusOptimistically,
  type TaskActionInput,
  type TaskListsSnapshot,
  type TaskProgressResult,
} from './task-progress';

type ProgressFn = (input: TaskActionInput) => Promise<TaskProgressResult>;

/**
 * The shared shape of complete and skip: the task changes on screen at once, goes back as it
 * was if the server says no, and the lists are refetched afterwards because the next step of
 * its sequence is now active with its due date.
 */
export function useTaskProgressMutation(
  mutationFn: ProgressFn,
  optimisticStatus: 'completed' | 'skipped',
  {
    organisationId,
    mutationConfig,
  }: {
    organisationId: string;
    mutationConfig?: MutationConfig<ProgressFn, { snapshot: TaskListsSnapshot }>;
  },
) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn,
    onMutate: async ({ taskId }) => ({
      snapshot: await setTaskStatusOptimistically(
        queryClient,
        organisationId,
        taskId,
        optimisticStatus,
      ),
    }),
    onError: (error, variables, context, ...more) => {
      restoreSnapshot(queryClient, context?.snapshot);
      return onError?.(error, variables, context, ...more);
    },
    onSuccess: (result, ...args) => {
      applyServerTask(queryClient, organisationId, result.task);
      return onSuccess?.(result, ...args);
    },
    onSettled: (...args) => {
      void queryClient.invalidateQueries({ queryKey: taskQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
