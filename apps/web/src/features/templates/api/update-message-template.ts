import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import {
  messageTemplateInputSchema,
  type MessageTemplateFormValues,
} from './create-message-template';
import { templateQueries } from './queries';

export const updateMessageTemplateInputSchema = messageTemplateInputSchema;

export async function updateMessageTemplate({
  organisationId,
  id,
  data,
}: {
  organisationId: string;
  id: string;
  data: MessageTemplateFormValues;
}) {
  const input = updateMessageTemplateInputSchema.parse(data);
  const { data: rows, error } = await supabase
    .from('message_templates')
    .update(input)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select('*');
  if (error) raise(error);
  const row = rows[0];
  if (!row) {
    throw new AppError(
      'Only the person who created this template, or an owner or admin, can change it.',
      { code: 'not_updated' },
    );
  }
  return row;
}

export function useUpdateMessageTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof updateMessageTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: updateMessageTemplate,
    onSuccess: (row, ...args) => {
      queryClient.setQueryData(
        templateQueries.messageTemplate(organisationId, row.id).queryKey,
        row,
      );
      void queryClient.invalidateQueries({
        queryKey: templateQueries.messageTemplates(organisationId).queryKey,
      });
      return onSuccess?.(row, ...args);
    },
  });
}
