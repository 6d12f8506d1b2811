import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { sequenceInstanceQueries } from './queries';

export const restartSequenceInputSchema = z.object({ instanceId: z.uuid() });

export type RestartSequenceInput = z.input<typeof restartSequenceInputSchema>;

/**
 * Starts an ended sequence again from step 1, as a new instance made from the same
 * snapshot of steps (not from the template, which may have changed since).
 */
export async function restartSequence(input: RestartSequenceInput) {
  const { instanceId } = restartSequenceInputSchema.parse(input);
  const { data, error } = await supabase.rpc('restart_sequence', { p_instance_id: instanceId });
  if (error) raiseSequenceError(error);
  return data;
}

export function useRestartSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof restartSequence>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: restartSequence,
    onSettled: (...args) => {
      void queryClient.invalidateQueries({ queryKey: sequenceInstanceQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
