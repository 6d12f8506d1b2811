import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
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

type Snapshot = Array<[QueryKey, unknown]>;

export function useSetSequenceTemplateActive({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setSequenceTemplateActive, { snapshot: Snapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onError, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setSequenceTemplateActive,
    // The switch moves at once; it moves back if the server says no.
    onMutate: async ({ id, is_active }) => {
      const listKey = sequenceTemplateQueries.lists(organisationId);
      const detailKey = sequenceTemplateQueries.detail(organisationId, id).queryKey;
      await queryClient.cancelQueries({ queryKey: listKey });
      await queryClient.cancelQueries({ queryKey: detailKey });
      const snapshot: Snapshot = [
        [listKey, queryClient.getQueryData(listKey)],
        [detailKey, queryClient.getQueryData(detailKey)],
      ];
      queryClient.setQueryData<SequenceTemplateListItem[]>(listKey, (old) =>
        old?.map((template) => (template.id === id ? { ...template, is_active } : template)),
      );
      queryClient.setQueryData<SequenceTemplateDetail>(detailKey, (old) =>
        old ? { ...old, is_active } : old,
      );
      return { snapshot };
    },
    onError: (error, variables, context, ...more) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
      return onError?.(error, variables, context, ...more);
    },
    onSettled: (_data, _error, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: sequenceTemplateQueries.lists(organisationId) }),
        queryClient.invalidateQueries({
          queryKey: sequenceTemplateQueries.detail(organisationId, id).queryKey,
        }),
      ]),
  });
}
