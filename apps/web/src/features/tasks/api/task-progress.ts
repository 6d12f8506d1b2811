import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { AppError, raise } from '@/lib/errors';
import { patchListRows, snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import { taskQueries, type TaskListItem } from './queries';

// What complete_task and skip_task answer (docs/sequences-contract.md, "RPCs"):
// { task, next_task, instance, warnings }. Only the fields the UI uses are checked.

const progressTaskSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  due_date: z.string().nullable().optional(),
  sequence_step_order: z.number().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  skipped_at: z.string().nullable().optional(),
});

const progressInstanceSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  status: z.string(),
  total_steps: z.number().nullable().optional(),
  current_step_order: z.number().nullable().optional(),
});

export const taskProgressResultSchema = z.object({
  task: progressTaskSchema,
  next_task: progressTaskSchema.nullable().optional().default(null),
  instance: progressInstanceSchema.nullable().optional().default(null),
  warnings: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((value) => value ?? []),
});

export type TaskProgressResult = z.output<typeof taskProgressResultSchema>;
export type ProgressTask = z.output<typeof progressTaskSchema>;

export const taskActionInputSchema = z.object({ taskId: z.uuid() });
export type TaskActionInput = z.input<typeof taskActionInputSchema>;

/** Calls complete_task or skip_task and checks the answer's shape. */
export async function callTaskProgressRpc(
  fn: 'complete_task' | 'skip_task',
  input: TaskActionInput,
): Promise<TaskProgressResult> {
  const { taskId } = taskActionInputSchema.parse(input);
  const { data, error } = await supabase.rpc(fn, { p_task_id: taskId });
  if (error) {
    if (error.code === 'P0002') {
      throw new AppError('This task no longer exists, or it belongs to another organisation.', {
        code: error.code,
        cause: error,
      });
    }
    // The RPC's own words for refusals it explains (e.g. 22023: already completed).
    if (error.code === '22023' && error.message) {
      throw new AppError(error.message, { code: error.code, cause: error });
    }
    raise(error);
  }
  const parsed = taskProgressResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('The server answered in a way this page doesn’t understand. Reload.', {
      code: 'bad_response',
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The shared hook of complete and skip: the task changes in every cached list at once, goes
 * back as it was if the server says no, keeps what the server says it now is, and the lists
 * refetch afterwards because the next step of its sequence is now active with its due date.
 */
export function useTaskProgressMutation<
  Fn extends (input: TaskActionInput) => Promise<TaskProgressResult>,
>(
  mutationFn: Fn,
  optimisticStatus: 'completed' | 'skipped',
  {
    organisationId,
    mutationConfig,
  }: { organisationId: string; mutationConfig?: OptimisticMutationConfig<Fn> },
) {
  const listsKey = taskQueries.lists(organisationId);
  return useOptimisticMutation({
    mutationFn,
    apply: async (queryClient, { taskId }) => {
      const snapshot = await snapshotQueries(queryClient, [listsKey]);
      const now = new Date().toISOString();
      patchListRows<TaskListItem>(
        queryClient,
        listsKey,
        taskId,
        optimisticStatus === 'completed'
          ? { status: optimisticStatus, completed_at: now }
          : { status: optimisticStatus, skipped_at: now },
      );
      return snapshot;
    },
    onServerResult: (queryClient, { task }) =>
      patchListRows<TaskListItem>(queryClient, listsKey, task.id, (row) => ({
        status: task.status,
        completed_at: task.completed_at ?? row.completed_at,
        skipped_at: task.skipped_at ?? row.skipped_at,
      })),
    invalidate: () => [taskQueries.all(organisationId)],
    mutationConfig,
  });
}
