import { taskPrioritySchema, taskTypeSchema } from '@forkflow/domain/sequence-template';
import { TEXT_LIMITS } from '@forkflow/domain/text-limits';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { templateQueries } from './queries';

export const TEMPLATE_NAME_MAX = 120;
export const TEMPLATE_TEXT_MAX = TEXT_LIMITS.description;
export const TEMPLATE_MESSAGE_MAX = TEXT_LIMITS.body;

// Forms send '' for an empty field; the database wants null.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be at most ${max.toLocaleString('en-GB')} characters`)
    .nullish()
    .transform((value) => (value && value.trim() ? value.trim() : null));

/** What a person sets on a task template: shared by its form and both mutations. */
export const taskTemplateInputSchema = z.object({
  name: z
    .string({ error: 'Name the template' })
    .trim()
    .min(1, 'Name the template')
    .max(TEMPLATE_NAME_MAX, `At most ${TEMPLATE_NAME_MAX} characters`),
  description: optionalText(TEMPLATE_TEXT_MAX, 'Description'),
  type: taskTypeSchema,
  priority: taskPrioritySchema,
  message_template_id: z
    .union([z.uuid('Choose a message template'), z.literal('')])
    .nullish()
    .transform((value) => (value ? value : null)),
  default_message: optionalText(TEMPLATE_MESSAGE_MAX, 'Message'),
  is_active: z.boolean(),
});

export type TaskTemplateFormValues = z.input<typeof taskTemplateInputSchema>;
export type TaskTemplateInput = z.output<typeof taskTemplateInputSchema>;

export const emptyTaskTemplateFormValues = {
  name: '',
  description: '',
  type: 'call',
  priority: 'medium',
  message_template_id: '',
  default_message: '',
  is_active: true,
} satisfies TaskTemplateFormValues;

export async function createTaskTemplate({
  organisationId,
  data,
}: {
  organisationId: string;
  data: TaskTemplateFormValues;
}) {
  const input = taskTemplateInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('task_templates')
    .insert({ ...input, organisation_id: organisationId })
    .select('*')
    .single();
  if (error) raise(error);
  return row;
}

export function useCreateTaskTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof createTaskTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createTaskTemplate,
    onSuccess: (row, ...args) => {
      void queryClient.invalidateQueries({
        queryKey: templateQueries.taskTemplatesAll(organisationId),
      });
      return onSuccess?.(row, ...args);
    },
  });
}
