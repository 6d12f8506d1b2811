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
  type: z.string().optional(),
  metadata: z.unknown().optional(),
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

type ProgressRpc = 'complete_task' | 'skip_task' | 'reopen_task' | 'retry_automated_task';

// Refusals the task RPCs explain in words a rep can act on: show those words.
const explainedCodes = new Set([
  '22023',
  'invalid_input',
  'cannot_reopen',
  'task_not_open',
  // retry_automated_task's 409s (docs/automation/automated-steps.md).
  'not_needs_attention',
  'already_ran',
]);

/** An RPC error as an AppError: its own words when it explains itself. */
export function taskRpcError(error: { code?: string; message?: string }): never {
  if (error.code === 'P0002') {
    throw new AppError('This task no longer exists, or it belongs to another organisation.', {
      code: error.code,
      cause: error,
    });
  }
  if (error.code && explainedCodes.has(error.code) && error.message) {
    throw new AppError(error.message, { code: error.code, cause: error });
  }
  raise(error);
}

/** Calls complete_task, skip_task or reopen_task and checks the answer's shape. */
export async function callTaskProgressRpc(
  fn: ProgressRpc,
  args: { p_task_id: string; p_outcome?: string; p_reason?: string },
): Promise<TaskProgressResult> {
  const { data, error } = await supabase.rpc(fn, args);
  if (error) taskRpcError(error);
  const parsed = taskProgressResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('The server answered in a way this page doesn’t understand. Reload.', {
      code: 'bad_response',
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** What the server says a task now is, over what the cache held (only fields it sent). */
export function serverTaskPatch(task: ProgressTask): Partial<TaskListItem> {
  const patch: Partial<TaskListItem> = { status: task.status };
  if (task.completed_at !== undefined) patch.completed_at = task.completed_at;
  if (task.skipped_at !== undefined) patch.skipped_at = task.skipped_at;
  if (task.due_date !== undefined) patch.due_date = task.due_date;
  if (task.metadata !== undefined) patch.metadata = task.metadata as TaskListItem['metadata'];
  return patch;
}

const optimisticPatches = {
  completed: () => ({ status: 'completed', completed_at: new Date().toISOString() }),
  skipped: () => ({ status: 'skipped', skipped_at: new Date().toISOString() }),
  // A reopened sequence step may be pending (finished ahead of its turn): the server says.
  active: () => ({ status: 'active', completed_at: null, skipped_at: null }),
} satisfies Record<string, () => Partial<TaskListItem>>;

/**
 * The shared hook of complete, skip and reopen: the task changes in every cached list at
 * once, goes back as it was if the server says no, keeps what the server says it now is,
 * and the lists refetch afterwards because the next step of its sequence changed too.
 */
export function useTaskProgressMutation<
  Fn extends (input: TaskActionInput) => Promise<TaskProgressResult>,
>(
  mutationFn: Fn,
  optimisticStatus: keyof typeof optimisticPatches,
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
      patchListRows<TaskListItem>(
        queryClient,
        listsKey,
        taskId,
        optimisticPatches[optimisticStatus](),
      );
      return snapshot;
    },
    onServerResult: (queryClient, { task }) =>
      patchListRows<TaskListItem>(queryClient, listsKey, task.id, serverTaskPatch(task)),
    invalidate: () => [taskQueries.all(organisationId)],
    mutationConfig,
  });
}
