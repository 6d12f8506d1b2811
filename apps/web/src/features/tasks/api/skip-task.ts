import type { OptimisticMutationConfig } from '@/hooks/use-optimistic-mutation';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  useTaskProgressMutation,
  type TaskActionInput,
} from './task-progress';

export const skipTaskInputSchema = taskActionInputSchema;

/** skip_task: not done, and not needed; the next step of its sequence (if any) becomes active. */
export function skipTask(input: TaskActionInput) {
  return callTaskProgressRpc('skip_task', input);
}

export function useSkipTask(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof skipTask>;
}) {
  return useTaskProgressMutation(skipTask, 'skipped', options);
}
