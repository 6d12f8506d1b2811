import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { sequenceTemplateQueries, type SequenceTemplateListItem } from './queries';

/**
 * Moves a template (with its steps) to the trash. Sequences already running keep going: an
 * instance works from its own snapshot of the steps.
 */
export async function deleteSequenceTemplate({
  id,
}: {
  organisationId: string;
  id: string;
  name?: string;
}) {
  // Into the organisation's trash (restorable for 30 days); the RPC takes ids only.
  const { data, error } = await supabase.rpc('move_to_trash', {
    p_kind: 'sequence_template',
    p_ids: [id],
  });
  if (error) raise(error);
  if (data.length === 0) {
    throw new AppError(
      'It was not deleted: it no longer exists, or only its creator or an owner or admin may delete it.',
      { code: 'not_deleted' },
    );
  }
  return { id };
}

export function useDeleteSequenceTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteSequenceTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteSequenceTemplate,
    onSuccess: (result, ...args) => {
      queryClient.setQueryData<SequenceTemplateListItem[]>(
        sequenceTemplateQueries.lists(organisationId),
        (old) => old?.filter((template) => template.id !== result.id),
      );
      queryClient.removeQueries({
        queryKey: sequenceTemplateQueries.detail(organisationId, result.id).queryKey,
      });
      return onSuccess?.(result, ...args);
    },
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: sequenceTemplateQueries.lists(organisationId) }),
  });
}
