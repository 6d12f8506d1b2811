import type { MutationConfig } from '@/lib/react-query';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  type TaskActionInput,
  type TaskListsSnapshot,
} from './task-progress';
import { useTaskProgressMutation } from './use-task-progress-mutation';

export const skipTaskInputSchema = taskActionInputSchema;

/** skip_task: not done, and not needed; the next step of its sequence (if any) becomes active. */
export function skipTask(input: TaskActionInput) {
  return callTaskProgressRpc('skip_task', input);
}

export function useSkipTask(options: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof skipTask, { snapshot: TaskListsSnapshot }>;
}) {
  return useTaskProgressMutation(skipTask, 'skipped', options);
}
