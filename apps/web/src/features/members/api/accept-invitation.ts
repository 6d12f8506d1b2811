import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { memberQueries } from './queries';

/** Joins the organisation of an invitation addressed to the signed-in user. */
export async function acceptInvitation({ invitationId }: { invitationId: string }) {
  const { data, error } = await supabase.rpc('accept_organisation_invitation', {
    p_invitation_id: invitationId,
  });
  if (error) raise(error);
  return { organisationId: data.organisation_id };
}

export function useAcceptInvitation({
  userId,
  mutationConfig,
}: {
  userId: string;
  mutationConfig?: MutationConfig<typeof acceptInvitation>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: acceptInvitation,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: memberQueries.mine(userId).queryKey });
      await onSettled?.(...args);
    },
  });
}
