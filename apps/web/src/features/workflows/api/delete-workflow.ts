import { queryOptions, useMutation, useQueryClient, type Query } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { workflowQueries } from './queries';
import type { WorkflowUse } from './used-by';

/** What deleting a workflow removes and what stops it (public.workflow_delete_preview). */
export type WorkflowDeletePreview = {
  key: string;
  name: string;
  trashed: boolean;
  job_count: number;
  version_count: number;
  /** Jobs pending, running or awaiting a retry: while any, the delete is refused. */
  active_job_count: number;
  /** Project sequences running it: while any, the delete is refused. */
  used_by: WorkflowUse[];
};

export type DeletedWorkflow = {
  workflow_id: string;
  key: string;
  version_count: number;
  job_count: number;
  event_count: number;
};

export async function getWorkflowDeletePreview(id: string): Promise<WorkflowDeletePreview> {
  const { data, error } = await supabase.rpc('workflow_delete_preview', { p_workflow_id: id });
  if (error) {
    if (error.code === 'forbidden') {
      throw new AppError('Only owners and admins can delete workflows.', {
        code: error.code,
        cause: error,
      });
    }
    raise(error);
  }
  return data as unknown as WorkflowDeletePreview;
}

export const workflowDeleteQueries = {
  preview: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...workflowQueries.all(organisationId), 'delete-preview', id] as const,
      queryFn: () => getWorkflowDeletePreview(id),
      // The counts must be today's: the dialog states them as what will be deleted.
      staleTime: 0,
    }),
};

/** The server's refusals, said as what to do about them. */
const messages: Record<string, string> = {
  workflow_busy:
    'It has jobs waiting or running: cancel them (Jobs) or let them finish, then try again.',
  workflow_in_use: 'A project sequence runs it: remove it from the sequence first.',
  confirmation_mismatch: 'The key typed does not match. Type the workflow’s key exactly.',
  forbidden: 'Only owners and admins can delete workflows.',
};

/**
 * Deletes the workflow for good with its versions, jobs and their events
 * (public.delete_workflow, one transaction), after the user typed its key.
 */
export async function deleteWorkflow({
  id,
  confirmKey,
}: {
  organisationId: string;
  id: string;
  confirmKey: string;
}): Promise<DeletedWorkflow> {
  const { data, error } = await supabase.rpc('delete_workflow', {
    p_workflow_id: id,
    p_confirm_key: confirmKey,
  });
  if (error) {
    const message = messages[error.code];
    if (message) {
      // The server's message names the project and sequence for workflow_in_use.
      const detail = error.code === 'workflow_in_use' ? error.message : message;
      throw new AppError(detail, { code: error.code, cause: error });
    }
    raise(error);
  }
  return data as unknown as DeletedWorkflow;
}

export function useDeleteWorkflow({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteWorkflow>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteWorkflow,
    onSuccess: async (result, ...args) => {
      // What is about it (its page, versions, this preview) is gone, not refetched into a 404.
      const org = ['orgs', organisationId] as const;
      const aboutIt = (query: Query) => query.queryKey.includes(result.workflow_id);
      queryClient.removeQueries({ queryKey: org, predicate: aboutIt });
      // Its jobs went too, from the Jobs list, Monitoring and the Trash (other features' keys):
      // the rest of the organisation's data is stale; only what is on screen refetches.
      await queryClient.invalidateQueries({ queryKey: org, predicate: (query) => !aboutIt(query) });
      return onSuccess?.(result, ...args);
    },
  });
}
