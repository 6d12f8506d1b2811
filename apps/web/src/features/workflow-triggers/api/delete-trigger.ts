import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { triggerQueries } from './queries';
import { callTriggerRpc } from './save-trigger';

/** Delete a trigger and its firings (owners/admins). Jobs it started stay, unlinked. */
export async function deleteTrigger({ id }: { id: string; name?: string }) {
  await callTriggerRpc('delete_workflow_trigger', { p_trigger_id: id });
}

export function useDeleteTrigger({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteTrigger>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteTrigger,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: triggerQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
