import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { patchListRows, snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import {
  sequenceTemplateQueries,
  type SequenceTemplateDetail,
  type SequenceTemplateListItem,
} from './queries';

export const setSequenceTemplateActiveInputSchema = z.object({
  id: z.uuid(),
  is_active: z.boolean(),
});

/** Switch a template on or off: inactive templates cannot be started. */
export async function setSequenceTemplateActive({
  organisationId,
  ...data
}: {
  organisationId: string;
  id: string;
  is_active: boolean;
  name?: string;
}) {
  const { id, is_active } = setSequenceTemplateActiveInputSchema.parse(data);
  const { data: rows, error } = await supabase
    .from('sequence_templates')
    .update({ is_active })
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select('id, is_active, updated_at');
  if (error) raise(error);
  // RLS hides rows you may not change: nothing back means nothing changed.
  const row = rows[0];
  if (!row) {
    throw new AppError(
      'Only the person who created this sequence, or an owner or admin, can change it.',
      { code: 'not_updated' },
    );
  }
  return row;
}

export function useSetSequenceTemplateActive({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof setSequenceTemplateActive>;
}) {
  return useOptimisticMutation({
    mutationFn: setSequenceTemplateActive,
    // The switch moves at once; it moves back if the server says no.
    apply: async (queryClient, { id, is_active }) => {
      const listKey = sequenceTemplateQueries.lists(organisationId);
      const detailKey = sequenceTemplateQueries.detail(organisationId, id).queryKey;
      const snapshot = await snapshotQueries(queryClient, [listKey, detailKey]);
      patchListRows<SequenceTemplateListItem>(queryClient, listKey, id, { is_active });
      queryClient.setQueryData<SequenceTemplateDetail>(detailKey, (old) =>
        old ? { ...old, is_active } : old,
      );
      return snapshot;
    },
    invalidate: ({ id }) => [
      sequenceTemplateQueries.lists(organisationId),
      sequenceTemplateQueries.detail(organisationId, id).queryKey,
    ],
    mutationConfig,
  });
}
