import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { taskTemplateInputSchema, type TaskTemplateFormValues } from './create-task-template';
import { templateQueries } from './queries';

export const updateTaskTemplateInputSchema = taskTemplateInputSchema;

export async function updateTaskTemplate({
  organisationId,
  id,
  data,
}: {
  organisationId: string;
  id: string;
  data: TaskTemplateFormValues;
}) {
  const input = updateTaskTemplateInputSchema.parse(data);
  const { data: rows, error } = await supabase
    .from('task_templates')
    .update(input)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select('*');
  if (error) raise(error);
  const row = rows[0];
  // RLS hides rows you may not change: nothing back means nothing changed.
  if (!row) {
    throw new AppError(
      'Only the person who created this template, or an owner or admin, can change it.',
      { code: 'not_updated' },
    );
  }
  return row;
}

export function useUpdateTaskTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof updateTaskTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: updateTaskTemplate,
    onSuccess: (row, ...args) => {
      void queryClient.invalidateQueries({
        queryKey: templateQueries.taskTemplatesAll(organisationId),
      });
      return onSuccess?.(row, ...args);
    },
  });
}
