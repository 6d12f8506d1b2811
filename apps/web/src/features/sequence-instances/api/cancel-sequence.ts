import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { instanceStatusUpdate } from './queries';

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
  mutationConfig?: OptimisticMutationConfig<typeof cancelSequence>;
}) {
  return useOptimisticMutation({
    mutationFn: cancelSequence,
    ...instanceStatusUpdate(options.organisationId, () => ({
      status: 'cancelled',
      cancelled_at: new Date().toISOString(),
    })),
    mutationConfig: options.mutationConfig,
  });
}
