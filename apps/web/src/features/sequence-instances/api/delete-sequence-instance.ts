import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { useSequenceMutation } from './use-sequence-mutation';

export const deleteSequenceInstanceInputSchema = z.object({ instanceId: z.uuid() });

/**
 * Deletes an ended sequence (policy sequence_instances_delete_own_or_admins: completed or
 * cancelled, by whoever started it, its rep, or an owner/admin). Its tasks stay, unlinked
 * (tasks.sequence_instance_id is set null). RLS refuses by deleting nothing, so the
 * deleted row is asked back: none means "not allowed".
 */
export async function deleteSequenceInstance(
  input: z.input<typeof deleteSequenceInstanceInputSchema>,
) {
  const { instanceId } = deleteSequenceInstanceInputSchema.parse(input);
  const { data, error } = await supabase
    .from('sequence_instances')
    .delete()
    .eq('id', instanceId)
    .select('id');
  if (error) raise(error);
  if (data.length === 0) {
    throw new AppError(
      'Only whoever started this sequence, its rep or an owner or admin can delete it, and only once it has ended.',
      { code: 'forbidden' },
    );
  }
  return data[0]!;
}

export function useDeleteSequenceInstance({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteSequenceInstance>;
}) {
  return useSequenceMutation(deleteSequenceInstance, organisationId, mutationConfig);
}
