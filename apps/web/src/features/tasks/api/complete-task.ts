import type { OptimisticMutationConfig } from '@/hooks/use-optimistic-mutation';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  useTaskProgressMutation,
  type TaskActionInput,
} from './task-progress';

export const completeTaskInputSchema = taskActionInputSchema;

/** complete_task: done, and the next step of its sequence (if any) becomes active. */
export function completeTask(input: TaskActionInput) {
  return callTaskProgressRpc('complete_task', input);
}

export function useCompleteTask(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof completeTask>;
}) {
  return useTaskProgressMutation(completeTask, 'completed', options);
}
