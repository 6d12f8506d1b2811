import { taskTypeSchema } from '@forkflow/domain/sequence-template';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { TEMPLATE_MESSAGE_MAX, TEMPLATE_NAME_MAX, TEMPLATE_TEXT_MAX } from './create-task-template';
import { templateQueries } from './queries';

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be at most ${max.toLocaleString('en-GB')} characters`)
    .nullish()
    .transform((value) => (value && value.trim() ? value.trim() : null));

/** What a person sets on a message template: shared by its editor and both mutations. */
export const messageTemplateInputSchema = z
  .object({
    name: z
      .string({ error: 'Name the template' })
      .trim()
      .min(1, 'Name the template')
      .max(TEMPLATE_NAME_MAX, `At most ${TEMPLATE_NAME_MAX} characters`),
    description: optionalText(TEMPLATE_TEXT_MAX, 'Description'),
    type: taskTypeSchema,
    subject: optionalText(300, 'Subject'),
    message_content: z
      .string({ error: 'Write the message' })
      .max(
        TEMPLATE_MESSAGE_MAX,
        `At most ${TEMPLATE_MESSAGE_MAX.toLocaleString('en-GB')} characters`,
      )
      .refine((value) => value.trim().length > 0, 'Write the message'),
    is_active: z.boolean(),
  })
  // Only emails have a subject.
  .transform((template) => ({
    ...template,
    subject: template.type === 'email' ? template.subject : null,
  }));

export type MessageTemplateFormValues = z.input<typeof messageTemplateInputSchema>;
export type MessageTemplateInput = z.output<typeof messageTemplateInputSchema>;

export const emptyMessageTemplateFormValues = {
  name: '',
  description: '',
  type: 'email',
  subject: '',
  message_content: '',
  is_active: true,
} satisfies MessageTemplateFormValues;

export async function createMessageTemplate({
  organisationId,
  data,
}: {
  organisationId: string;
  data: MessageTemplateFormValues;
}) {
  const input = messageTemplateInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('message_templates')
    .insert({ ...input, organisation_id: organisationId })
    .select('*')
    .single();
  if (error) raise(error);
  return row;
}

export function useCreateMessageTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof createMessageTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createMessageTemplate,
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
