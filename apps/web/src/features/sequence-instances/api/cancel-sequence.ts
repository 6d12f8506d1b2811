import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import type { InstancesSnapshot } from './instance-cache';
import { useInstanceMutation } from './use-instance-mutation';

export const cancelSequenceInputSchema = z.object({ instanceId: z.uuid() });

export type CancelSequenceInput = z.input<typeof cancelSequenceInputSchema>;

/** Cancels a running sequence: its open tasks are cancelled, done ones stay. */
export async function cancelSequence(input: CancelSequenceInput) {
  const { instanceId } = cancelSequenceInputSchema.parse(input);
  const { data, error } = await supabase.rpc('cancel_sequence', { p_instance_id: instanceId });
  if (error) raiseSequenceError(error);
  return data;
}

export function useCancelSequence(options: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof cancelSequence, { snapshot: InstancesSnapshot }>;
}) {
  return useInstanceMutation(
    cancelSequence,
    () => ({
      status: 'cancelled',
      cancelled_at: new Date().toISOString(),
    }),
    options,
  );
}
