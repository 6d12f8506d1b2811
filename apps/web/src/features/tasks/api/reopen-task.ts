import type { OptimisticMutationConfig } from '@/hooks/use-optimistic-mutation';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  useTaskProgressMutation,
  type TaskActionInput,
} from './task-progress';

export const reopenTaskInputSchema = taskActionInputSchema;

/**
 * reopen_task: a completed or skipped task is open again. A sequence step only while nothing
 * of its sequence moved since; otherwise the server refuses (409) and says why, in words.
 */
export function reopenTask(input: TaskActionInput & { via?: 'undo' | 'reopen' }) {
  const { taskId } = reopenTaskInputSchema.parse(input);
  return callTaskProgressRpc('reopen_task', { p_task_id: taskId });
}

export function useReopenTask(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof reopenTask>;
}) {
  return useTaskProgressMutation(reopenTask, 'active', options);
}
