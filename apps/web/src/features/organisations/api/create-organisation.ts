import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { browserTimeZone } from '@/lib/format-in-zone';
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

/**
 * Creates the organisation with a business calendar in the browser's time zone, so its dates
 * and due times are local from the first day (open around the clock until the owner sets
 * hours). A zone the database doesn't know (a browser newer than its zone list) is not worth
 * blocking sign-up over: the organisation is then made without a calendar, in UTC, and the
 * zone can be chosen in Settings → Calendar.
 */
export async function createOrganisation(input: CreateOrganisationInput) {
  const { name } = createOrganisationInputSchema.parse(input);
  const timeZone = browserTimeZone();
  if (timeZone) {
    const { data, error } = await supabase.rpc('create_organisation', {
      p_name: name,
      p_time_zone: timeZone,
    });
    if (!error) return data;
    if (error.code !== 'invalid_time_zone') raise(error);
  }
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
