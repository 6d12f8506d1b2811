import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { memberQueries } from './queries';

export async function declineInvitation({ invitationId }: { invitationId: string }) {
  const { error } = await supabase.rpc('decline_organisation_invitation', {
    p_invitation_id: invitationId,
  });
  if (error) raise(error);
}

export function useDeclineInvitation({
  userId,
  mutationConfig,
}: {
  userId: string;
  mutationConfig?: MutationConfig<typeof declineInvitation>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: declineInvitation,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: memberQueries.mine(userId).queryKey });
      await onSettled?.(...args);
    },
  });
}
