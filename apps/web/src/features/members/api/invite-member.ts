import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { memberQueries } from './queries';

export const inviteMemberInputSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter their email address')
    .pipe(z.email('Enter a valid email address')),
  role: z.enum(['member', 'admin', 'owner']),
});

export type InviteMemberInput = z.output<typeof inviteMemberInputSchema>;

/** Invites an email; the answer carries the link's token, shown only this once. */
export async function inviteMember({
  organisationId,
  data,
}: {
  organisationId: string;
  data: InviteMemberInput;
}) {
  const { email, role } = inviteMemberInputSchema.parse(data);
  const { data: invitation, error } = await supabase
    .rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: email,
      p_role: role,
    })
    .single();
  if (error) {
    if (error.code === '23505')
      throw new AppError(`${email} is already a member of this organisation.`, { code: '23505' });
    raise(error);
  }
  return invitation;
}

export function useInviteMember({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof inviteMember>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: inviteMember,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({
        queryKey: memberQueries.invitations(organisationId).queryKey,
      });
      await onSuccess?.(...args);
    },
  });
}
