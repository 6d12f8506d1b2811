import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { LAST_OWNER_MESSAGE } from './change-member-role';

/**
 * Removes a member (or the caller leaves). Their restaurants, open tasks and running sequences
 * go to `successorId`, or are left unassigned when it is null.
 */
export async function removeMember({
  organisationId,
  userId,
  successorId,
}: {
  organisationId: string;
  userId: string;
  successorId: string | null;
}) {
  const { error } = await supabase.rpc('remove_organisation_member', {
    p_organisation_id: organisationId,
    p_user_id: userId,
    ...(successorId ? { p_successor_id: successorId } : {}),
  });
  if (error) {
    if (error.code === '23514') throw new AppError(LAST_OWNER_MESSAGE, { code: '23514' });
    raise(error);
  }
}

export function useRemoveMember({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof removeMember>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: removeMember,
    onSuccess: async (...args) => {
      // Restaurants, tasks and sequences changed hands too: everything of the organisation.
      await queryClient.invalidateQueries({ queryKey: ['orgs', organisationId] });
      await onSuccess?.(...args);
    },
  });
}
