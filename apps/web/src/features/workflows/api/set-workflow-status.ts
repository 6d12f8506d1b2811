import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { workflowQueries, workflowStatuses } from './queries';

export const setWorkflowStatusInputSchema = z.object({
  id: z.uuid(),
  status: z.enum(workflowStatuses),
});

/** Archive (no new jobs; running ones finish) or re-activate a workflow. Owners/admins. */
export async function setWorkflowStatus({
  organisationId: _organisationId,
  ...data
}: {
  organisationId: string;
  id: string;
  status: 'active' | 'archived';
  name?: string;
}) {
  const { id, status } = setWorkflowStatusInputSchema.parse(data);
  const { data: row, error } = await supabase.rpc('set_workflow_status', {
    p_workflow_id: id,
    p_status: status,
  });
  if (error) {
    if (error.code === 'forbidden') {
      throw new AppError('Only owners and admins can archive or restore workflows.', {
        code: error.code,
        cause: error,
      });
    }
    raise(error);
  }
  return row;
}

export function useSetWorkflowStatus({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setWorkflowStatus>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setWorkflowStatus,
    onSuccess: async (row, variables, ...args) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: workflowQueries.lists(organisationId) }),
        queryClient.invalidateQueries({
          queryKey: workflowQueries.detail(organisationId, variables.id).queryKey,
        }),
      ]);
      return onSuccess?.(row, variables, ...args);
    },
  });
}
