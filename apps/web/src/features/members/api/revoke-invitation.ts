import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { memberQueries } from './queries';

export async function revokeInvitation({ invitationId }: { invitationId: string }) {
  const { data, error } = await supabase
    .from('organisation_invitations')
    .delete()
    .eq('id', invitationId)
    .select('id');
  if (error) raise(error);
  // RLS hides what one may not delete: nothing deleted means not allowed (or already gone).
  if (data.length === 0)
    throw new AppError("You can't revoke this invitation. Only owners revoke an owner's.");
}

export function useRevokeInvitation({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof revokeInvitation>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: revokeInvitation,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({
        queryKey: memberQueries.invitations(organisationId).queryKey,
      });
      await onSettled?.(...args);
    },
  });
}
