import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { patchListRows, snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import { taskQueries, type TaskListItem } from './queries';
import { taskRpcError } from './task-progress';

export const snoozeTaskInputSchema = z.object({
  taskId: z.uuid(),
  // The database refuses a past date too; this says so before the round trip.
  dueDate: z.date().refine((date) => date.getTime() > Date.now() - 60_000, {
    message: 'Pick a time in the future.',
  }),
});
export type SnoozeTaskInput = z.input<typeof snoozeTaskInputSchema>;

/** snooze_task: a new due date for an open task (a sequence's active step included). */
export async function snoozeTask(input: SnoozeTaskInput) {
  const { taskId, dueDate } = snoozeTaskInputSchema.parse(input);
  const { data, error } = await supabase.rpc('snooze_task', {
    p_task_id: taskId,
    p_due_date: dueDate.toISOString(),
  });
  if (error) taskRpcError(error);
  return data;
}

/** The task moves in every cached list at once, back if the server refuses. */
export function useSnoozeTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof snoozeTask>;
}) {
  const listsKey = taskQueries.lists(organisationId);
  return useOptimisticMutation({
    mutationFn: snoozeTask,
    apply: async (queryClient, { taskId, dueDate }) => {
      const snapshot = await snapshotQueries(queryClient, [listsKey]);
      patchListRows<TaskListItem>(queryClient, listsKey, taskId, {
        due_date: dueDate.toISOString(),
      });
      return snapshot;
    },
    invalidate: () => [taskQueries.all(organisationId)],
    mutationConfig,
  });
}
