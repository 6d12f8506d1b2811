import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { workflowQueries } from './queries';

/**
 * Into the organisation's trash (restorable for 30 days from the Trash page). Owners and
 * admins; refused while a job of the workflow is pending, running or awaiting a retry.
 */
export async function moveWorkflowToTrash({
  id,
}: {
  organisationId: string;
  id: string;
  name?: string;
}) {
  const { data, error } = await supabase.rpc('move_to_trash', {
    p_kind: 'workflow',
    p_ids: [id],
  });
  if (error) {
    if (error.code === 'workflow_busy') {
      throw new AppError(
        'It has jobs waiting or running: cancel them (Jobs) or let them finish, then try again.',
        { code: error.code, cause: error },
      );
    }
    raise(error);
  }
  if (data.length === 0) {
    throw new AppError(
      'It was not moved to the trash: it no longer exists, or only owners and admins may delete workflows.',
      { code: 'not_deleted' },
    );
  }
  return { id };
}

export function useMoveWorkflowToTrash({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof moveWorkflowToTrash>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: moveWorkflowToTrash,
    onSuccess: async (result, variables, ...args) => {
      // Gone from the lists; the Trash page (another feature) lists it when it next loads.
      queryClient.removeQueries({
        queryKey: workflowQueries.detail(organisationId, result.id).queryKey,
      });
      await queryClient.invalidateQueries({ queryKey: workflowQueries.lists(organisationId) });
      return onSuccess?.(result, variables, ...args);
    },
  });
}
