import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { projectQueries } from './queries';

export const deleteFlowSequenceInputSchema = z.object({ sequenceId: z.uuid() });

/** Deletes a sequence (owners/admins, by RLS); its runs go with it. */
export async function deleteFlowSequence({
  organisationId,
  projectId: _projectId,
  ...data
}: {
  organisationId: string;
  projectId: string;
  sequenceId: string;
}) {
  const { sequenceId } = deleteFlowSequenceInputSchema.parse(data);
  const { data: rows, error } = await supabase
    .from('flow_sequences')
    .delete()
    .eq('organisation_id', organisationId)
    .eq('id', sequenceId)
    .select('id');
  if (error) raise(error);
  // RLS hides a refused delete as "nothing matched".
  if (rows.length === 0) {
    throw new AppError(
      'The sequence wasn’t deleted: only owners and admins can, and it may be gone already.',
      { code: 'not_deleted' },
    );
  }
}

export function useDeleteFlowSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteFlowSequence>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: deleteFlowSequence,
    onSuccess: async (result, variables, ...args) => {
      await queryClient.invalidateQueries({
        queryKey: projectQueries.sequenceLists(organisationId, variables.projectId),
      });
      return onSuccess?.(result, variables, ...args);
    },
  });
}
