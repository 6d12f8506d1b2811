import { SEQUENCE_BULK_MAX_RESTAURANTS } from '@forkflow/domain/sequence-template';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { sequenceInstanceQueries } from './queries';

/** start_sequence_bulk takes at most this many restaurants per call. */
export const BULK_START_LIMIT = SEQUENCE_BULK_MAX_RESTAURANTS;

export const startSequenceBulkInputSchema = z.object({
  templateId: z.uuid({ error: 'Choose a sequence' }),
  restaurantIds: z
    .array(z.uuid())
    .min(1, 'Select at least one restaurant')
    .max(BULK_START_LIMIT, `At most ${BULK_START_LIMIT} restaurants at once`),
});

export type StartSequenceBulkInput = z.input<typeof startSequenceBulkInputSchema>;

const bulkResultSchema = z.array(
  z.object({
    restaurant_id: z.string().nullable(),
    status: z.enum(['started', 'skipped', 'failed']),
    instance_id: z.string().nullish(),
    reason: z.string().nullish(),
  }),
);

export type BulkStartResult = z.output<typeof bulkResultSchema>[number];

export async function startSequenceBulk(input: StartSequenceBulkInput) {
  const { templateId, restaurantIds } = startSequenceBulkInputSchema.parse(input);
  const { data, error } = await supabase.rpc('start_sequence_bulk', {
    p_template_id: templateId,
    p_restaurant_ids: restaurantIds,
  });
  if (error) raiseSequenceError(error);
  const parsed = bulkResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('The server answered in a way this page doesn’t understand. Reload.', {
      code: 'bad_response',
      cause: parsed.error,
    });
  }
  return parsed.data;
}

export function useStartSequenceBulk({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof startSequenceBulk>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: startSequenceBulk,
    onSettled: (...args) => {
      void queryClient.invalidateQueries({
        queryKey: sequenceInstanceQueries.all(organisationId),
      });
      return onSettled?.(...args);
    },
  });
}
