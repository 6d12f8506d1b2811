import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { memberQueries } from './queries';

export const changeMemberRoleInputSchema = z.object({
  organisationId: z.string(),
  userId: z.string(),
  role: z.enum(['member', 'admin', 'owner']),
});

export type ChangeMemberRoleInput = z.output<typeof changeMemberRoleInputSchema>;

export const LAST_OWNER_MESSAGE =
  'An organisation must keep at least one owner. Make someone else an owner first.';

export async function changeMemberRole(input: ChangeMemberRoleInput) {
  const { organisationId, userId, role } = changeMemberRoleInputSchema.parse(input);
  const { data, error } = await supabase
    .from('organisation_members')
    .update({ role })
    .eq('organisation_id', organisationId)
    .eq('user_id', userId)
    .select('user_id');
  if (error) {
    if (error.code === '23514') throw new AppError(LAST_OWNER_MESSAGE, { code: '23514' });
    raise(error);
  }
  if (data.length === 0)
    throw new AppError("You can't change this member's role. Only owners change an owner's.");
}

export function useChangeMemberRole({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof changeMemberRole>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: changeMemberRole,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: memberQueries.all(organisationId) });
      await onSettled?.(...args);
    },
  });
}
