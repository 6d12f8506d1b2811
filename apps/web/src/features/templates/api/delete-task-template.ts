import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { templateQueries, type TaskTemplate } from './queries';

/** Steps and tasks that used it keep their own copy of its name, type and message. */
export async function deleteTaskTemplate({
  id,
}: {
  organisationId: string;
  id: string;
  name?: string;
}) {
  // Into the organisation's trash (restorable for 30 days); the RPC takes ids only.
  const { data, error } = await supabase.rpc('move_to_trash', {
    p_kind: 'task_template',
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

export function useDeleteTaskTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteTaskTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteTaskTemplate,
    onSuccess: (result, ...args) => {
      queryClient.setQueryData<TaskTemplate[]>(
        templateQueries.taskTemplates(organisationId).queryKey,
        (old) => old?.filter((template) => template.id !== result.id),
      );
      return onSuccess?.(result, ...args);
    },
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: templateQueries.taskTemplatesAll(organisationId) }),
  });
}
