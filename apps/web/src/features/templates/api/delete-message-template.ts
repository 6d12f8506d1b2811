import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { templateQueries, type MessageTemplate } from './queries';

/**
 * Moves it to the trash. Once purged (30 days later), task templates and sequence steps that
 * used it lose the link (set null); tasks already created keep their rendered message.
 */
export async function deleteMessageTemplate({
  id,
}: {
  organisationId: string;
  id: string;
  name?: string;
}) {
  // Into the organisation's trash (restorable for 30 days); the RPC takes ids only.
  const { data, error } = await supabase.rpc('move_to_trash', {
    p_kind: 'message_template',
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

export function useDeleteMessageTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteMessageTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteMessageTemplate,
    onSuccess: (result, ...args) => {
      queryClient.setQueryData<MessageTemplate[]>(
        templateQueries.messageTemplates(organisationId).queryKey,
        (old) => old?.filter((template) => template.id !== result.id),
      );
      queryClient.removeQueries({
        queryKey: templateQueries.messageTemplate(organisationId, result.id).queryKey,
      });
      return onSuccess?.(result, ...args);
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: templateQueries.messageTemplates(organisationId).queryKey,
        }),
        // Task templates pointing at it now point at nothing.
        queryClient.invalidateQueries({
          queryKey: templateQueries.taskTemplatesAll(organisationId),
        }),
      ]),
  });
}
