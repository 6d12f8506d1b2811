import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { organisationQueries } from './queries';

export const createOrganisationInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give your organisation a name')
    .max(100, 'Name must be at most 100 characters'),
});

export type CreateOrganisationInput = z.output<typeof createOrganisationInputSchema>;

export async function createOrganisation(input: CreateOrganisationInput) {
  const { name } = createOrganisationInputSchema.parse(input);
  const { data, error } = await supabase.rpc('create_organisation', { p_name: name });
  if (error) raise(error);
  return data;
}

export function useCreateOrganisation({
  userId,
  mutationConfig,
}: {
  userId: string;
  mutationConfig?: MutationConfig<typeof createOrganisation>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createOrganisation,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({
        queryKey: organisationQueries.memberships(userId).queryKey,
      });
      await onSuccess?.(...args);
    },
  });
}
