import { z } from 'zod';
import type { OptimisticMutationConfig } from '@/hooks/use-optimistic-mutation';
import {
  callTaskProgressRpc,
  taskActionInputSchema,
  useTaskProgressMutation,
} from './task-progress';

/** The same limit the database checks (skip_task): 500 characters, blank = no reason. */
export const SKIP_REASON_MAX = 500;

export const skipTaskInputSchema = taskActionInputSchema.extend({
  reason: z
    .string()
    .trim()
    .max(SKIP_REASON_MAX, `Keep the reason under ${SKIP_REASON_MAX} characters`)
    .optional(),
});
export type SkipTaskInput = z.input<typeof skipTaskInputSchema>;

/** skip_task: not done, and not needed; the next step of its sequence (if any) becomes active. */
export function skipTask(input: SkipTaskInput) {
  const { taskId, reason } = skipTaskInputSchema.parse(input);
  return callTaskProgressRpc('skip_task', {
    p_task_id: taskId,
    ...(reason ? { p_reason: reason } : {}),
  });
}

export function useSkipTask(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof skipTask>;
}) {
  return useTaskProgressMutation(skipTask, 'skipped', options);
}
