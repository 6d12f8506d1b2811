import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { taskPrioritySchema, taskTypeSchema } from '@forkflow/domain/sequence-template';
import { renderWarningSchema, type RenderWarning } from '../types';
import { taskQueries } from './queries';

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .transform((value) => value || null);

const optionalId = z.union([z.uuid(), z.literal('')]).transform((value) => value || null);

/**
 * An ad-hoc task. Form and request share this schema: the form holds strings
 * ("" = none) and the output is what the table takes.
 */
export const createTaskInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name is required')
    .max(200, 'Name must be at most 200 characters'),
  restaurant_id: optionalId,
  type: taskTypeSchema,
  priority: taskPrioritySchema,
  /** A datetime-local value ("2026-11-27T10:00"), in the browser's time zone. */
  due_date: z
    .string()
    .trim()
    .refine((value) => value === '' || !Number.isNaN(new Date(value).getTime()), {
      message: 'Enter a date and time',
    })
    .transform((value) => (value ? new Date(value).toISOString() : null)),
  assigned_to: optionalId,
  description: optionalText(2000, 'Notes'),
  subject: optionalText(300, 'Subject'),
  message: optionalText(10_000, 'Message'),
  task_template_id: optionalId,
  message_template_id: optionalId,
});

export type CreateTaskFormValues = z.input<typeof createTaskInputSchema>;
export type CreateTaskInput = z.output<typeof createTaskInputSchema>;

export const emptyCreateTaskValues: CreateTaskFormValues = {
  name: '',
  restaurant_id: '',
  type: 'internal_activity',
  priority: 'medium',
  due_date: '',
  assigned_to: '',
  description: '',
  subject: '',
  message: '',
  task_template_id: '',
  message_template_id: '',
};

const renderResultSchema = z.object({
  text: z.string(),
  warnings: z.array(renderWarningSchema).catch([]),
});

/**
 * Fill a message's {placeholders} for the restaurant the way sequence tasks are filled
 * (render_message_preview, the same renderer as the sequences). Text without
 * placeholders, or a task without a restaurant, is kept as typed.
 */
async function renderForRestaurant(
  text: string | null,
  restaurantId: string | null,
): Promise<{ text: string | null; warnings: RenderWarning[] }> {
  if (!text || !restaurantId || !/\{[^}]*\}/.test(text)) return { text, warnings: [] };
  const { data, error } = await supabase.rpc('render_message_preview', {
    p_template: text,
    p_restaurant_id: restaurantId,
  });
  if (error) raise(error);
  const parsed = renderResultSchema.safeParse(data);
  return parsed.success ? parsed.data : { text, warnings: [] };
}

export async function createTask({
  organisationId,
  data,
}: {
  organisationId: string;
  data: CreateTaskFormValues;
}) {
  const input = createTaskInputSchema.parse(data);
  const [message, subject] = await Promise.all([
    renderForRestaurant(input.message, input.restaurant_id),
    renderForRestaurant(input.subject, input.restaurant_id),
  ]);
  const warnings = [...subject.warnings, ...message.warnings];
  const { data: row, error } = await supabase
    .from('tasks')
    .insert({
      ...input,
      message: message.text,
      subject: subject.text,
      organisation_id: organisationId,
      metadata: warnings.length > 0 ? { render_warnings: warnings } : {},
    })
    .select('id, name, restaurant_id, due_date')
    .single();
  if (error) raise(error);
  return row;
}

export function useCreateTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof createTask>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createTask,
    onSuccess: (row, ...args) => {
      void queryClient.invalidateQueries({ queryKey: taskQueries.lists(organisationId) });
      return onSuccess?.(row, ...args);
    },
  });
}
