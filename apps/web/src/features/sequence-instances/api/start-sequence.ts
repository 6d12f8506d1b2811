import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { sequenceInstanceQueries } from './queries';

/** The start dialog's fields; the form and the request share it. */
export const startSequenceInputSchema = z.object({
  templateId: z.uuid({ error: 'Choose a sequence' }),
  /** '' = the restaurant's rep (or you, when it has none). */
  assignedTo: z.union([z.uuid(), z.literal('')]).transform((value) => value || null),
});

export type StartSequenceFormValues = z.input<typeof startSequenceInputSchema>;

export async function startSequence({
  restaurantId,
  data,
}: {
  restaurantId: string;
  data: StartSequenceFormValues;
}) {
  const input = startSequenceInputSchema.parse(data);
  const { data: instance, error } = await supabase.rpc('start_sequence', {
    p_template_id: input.templateId,
    p_restaurant_id: z.uuid().parse(restaurantId),
    ...(input.assignedTo ? { p_assigned_to: input.assignedTo } : {}),
  });
  // 23505 (HTTP 409) when the restaurant already runs this template: said in its words.
  if (error) raiseSequenceError(error);
  return instance;
}

export function useStartSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof startSequence>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: startSequence,
    onSettled: (...args) => {
      void queryClient.invalidateQueries({
        queryKey: sequenceInstanceQueries.all(organisationId),
      });
      return onSettled?.(...args);
    },
  });
}
