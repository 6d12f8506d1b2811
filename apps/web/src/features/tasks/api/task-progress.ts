import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
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

export type TaskListsSnapshot = Array<[QueryKey, unknown]>;

/**
 * Show a task as completed/skipped in every cached task list at once; returns what was
 * there so onError can put it back.
 */
export async function setTaskStatusOptimistically(
  queryClient: QueryClient,
  organisationId: string,
  taskId: string,
  status: 'completed' | 'skipped',
): Promise<TaskListsSnapshot> {
  const listsKey = taskQueries.lists(organisationId);
  await queryClient.cancelQueries({ queryKey: listsKey });
  const snapshot: TaskListsSnapshot = queryClient.getQueriesData({ queryKey: listsKey });
  const now = new Date().toISOString();
  const patch: Partial<TaskListItem> =
    status === 'completed' ? { status, completed_at: now } : { status, skipped_at: now };
  queryClient.setQueriesData<TaskListItem[]>({ queryKey: listsKey }, (old) =>
    Array.isArray(old)
      ? old.map((task) => (task.id === taskId ? { ...task, ...patch } : task))
      : old,
  );
  return snapshot;
}

export function restoreSnapshot(queryClient: QueryClient, snapshot: TaskListsSnapshot | undefined) {
  for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
}

/** What the server says the task now is, kept until the lists refetch. */
export function applyServerTask(
  queryClient: QueryClient,
  organisationId: string,
  task: ProgressTask,
) {
  queryClient.setQueriesData<TaskListItem[]>(
    { queryKey: taskQueries.lists(organisationId) },
    (old) =>
      Array.isArray(old)
        ? old.map((row) =>
            row.id === task.id
              ? {
                  ...row,
                  status: task.status,
                  completed_at: task.completed_at ?? row.completed_at,
                  skipped_at: task.skipped_at ?? row.skipped_at,
                }
              : row,
          )
        : old,
  );
}
