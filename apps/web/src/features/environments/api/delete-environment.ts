import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { environmentQueries } from './queries';

export const deleteEnvironmentInputSchema = z.object({ id: z.uuid() });

/**
 * Deletes an environment (owners/admins, by RLS). Its projects stay, unlinked (the foreign
 * key sets their environment to null), and its secrets go with it.
 */
export async function deleteEnvironment({
  organisationId,
  ...data
}: {
  organisationId: string;
  id: string;
}) {
  const { id } = deleteEnvironmentInputSchema.parse(data);
  const { data: rows, error } = await supabase
    .from('environments')
    .delete()
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select('id');
  if (error) raise(error);
  // RLS hides a refused delete as "nothing matched".
  if (rows.length === 0) {
    throw new AppError(
      'The environment wasn’t deleted: only owners and admins can, and it may be gone already.',
      { code: 'not_deleted' },
    );
  }
}

export function useDeleteEnvironment({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteEnvironment>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteEnvironment,
    onSuccess: async (result, variables, ...args) => {
      queryClient.removeQueries({
        queryKey: environmentQueries.detail(organisationId, variables.id).queryKey,
      });
      // Projects that used it are unlinked now: their pages read the organisation's cache.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: environmentQueries.lists(organisationId) }),
        queryClient.invalidateQueries({ queryKey: ['orgs', organisationId, 'projects'] }),
      ]);
      return onSuccess?.(result, variables, ...args);
    },
  });
}
