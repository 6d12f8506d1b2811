import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { workflowQueries, type Workflow } from './queries';

/**
 * A copy of the workflow (owners/admins): key `<key>-copy` (or -copy-2, …), "Copy of …",
 * active, version 1 noting its source — public.duplicate_workflow, one transaction.
 */
export async function duplicateWorkflow({
  id,
}: {
  organisationId: string;
  id: string;
}): Promise<Workflow> {
  const { data, error } = await supabase.rpc('duplicate_workflow', { p_workflow_id: id });
  if (error) {
    if (error.code === 'forbidden') {
      throw new AppError('Only owners and admins can duplicate workflows.', {
        code: error.code,
        cause: error,
      });
    }
    raise(error);
  }
  return data as unknown as Workflow;
}

export function useDuplicateWorkflow({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof duplicateWorkflow>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: duplicateWorkflow,
    onSuccess: async (copy, ...args) => {
      queryClient.setQueryData(workflowQueries.detail(organisationId, copy.id).queryKey, copy);
      await queryClient.invalidateQueries({ queryKey: workflowQueries.lists(organisationId) });
      return onSuccess?.(copy, ...args);
    },
  });
}
