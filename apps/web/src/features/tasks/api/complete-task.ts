import type { MutationConfig } from '@/lib/react-query';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  type TaskActionInput,
  type TaskListsSnapshot,
} from './task-progress';
import { useTaskProgressMutation } from './use-task-progress-mutation';

export const completeTaskInputSchema = taskActionInputSchema;

/** complete_task: done, and the next step of its sequence (if any) becomes active. */
export function completeTask(input: TaskActionInput) {
  return callTaskProgressRpc('complete_task', input);
}

export function useCompleteTask(options: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof completeTask, { snapshot: TaskListsSnapshot }>;
}) {
  return useTaskProgressMutation(completeTask, 'completed', options);
}
