import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { useSequenceMutation } from './use-sequence-mutation';
import { parseStepResult } from './step-result';

export const deleteSequenceTaskInputSchema = z.object({ taskId: z.uuid() });

/** Deletes a step (seed 001, decision 2): later steps move up; the next one activates. */
export async function deleteSequenceTask(input: z.input<typeof deleteSequenceTaskInputSchema>) {
  const { taskId } = deleteSequenceTaskInputSchema.parse(input);
  const { data, error } = await supabase.rpc('delete_sequence_task', { p_task_id: taskId });
  if (error) raiseSequenceError(error);
  return parseStepResult(data);
}

export function useDeleteSequenceTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof deleteSequenceTask>;
}) {
  return useSequenceMutation(deleteSequenceTask, organisationId, mutationConfig);
}
