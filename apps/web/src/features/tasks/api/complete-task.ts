import type { z } from 'zod';
import type { OptimisticMutationConfig } from '@/hooks/use-optimistic-mutation';
import { callOutcomeSchema } from '../types';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  useTaskProgressMutation,
} from './task-progress';

/** The outcome is for call tasks only; the database refuses it on any other type. */
export const completeTaskInputSchema = taskActionInputSchema.extend({
  outcome: callOutcomeSchema.optional(),
});
export type CompleteTaskInput = z.input<typeof completeTaskInputSchema>;

/** complete_task: done, and the next step of its sequence (if any) becomes active. */
export function completeTask(input: CompleteTaskInput) {
  const { taskId, outcome } = completeTaskInputSchema.parse(input);
  return callTaskProgressRpc('complete_task', {
    p_task_id: taskId,
    ...(outcome ? { p_outcome: outcome } : {}),
  });
}

export function useCompleteTask(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof completeTask>;
}) {
  return useTaskProgressMutation(completeTask, 'completed', options);
}
