import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import {
  applyServerInstance,
  patchInstanceOptimistically,
  restoreInstances,
  type InstancesSnapshot,
} from './instance-cache';
import { sequenceInstanceQueries } from './queries';

export const cancelSequenceInputSchema = z.object({ instanceId: z.uuid() });

export type CancelSequenceInput = z.input<typeof cancelSequenceInputSchema>;

/** Cancels a running sequence: its open tasks are cancelled, done ones stay. */
export async function cancelSequence(input: CancelSequenceInput) {
  const { instanceId } = cancelSequenceInputSchema.parse(input);
  const { data, error } = await supabase.rpc('cancel_sequence', { p_instance_id: instanceId });
  if (error) raiseSequenceError(error);
  return data;
}

export function useCancelSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof cancelSequence, { snapshot: InstancesSnapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: cancelSequence,
    onMutate: async ({ instanceId }) => ({
      snapshot: await patchInstanceOptimistically(queryClient, organisationId, instanceId, {
        status: 'cancelled',
        cancelled_at: new Date().toISOString(),
      }),
    }),
    onError: (error, variables, context, ...more) => {
      restoreInstances(queryClient, context?.snapshot);
      return onError?.(error, variables, context, ...more);
    },
    onSuccess: (row, ...args) => {
      applyServerInstance(queryClient, organisationId, row);
      return onSuccess?.(row, ...args);
    },
    onSettled: (...args) => {
      void queryClient.invalidateQueries({ queryKey: sequenceInstanceQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
