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

export const resumeSequenceInputSchema = z.object({ instanceId: z.uuid() });

export type ResumeSequenceInput = z.input<typeof resumeSequenceInputSchema>;

/** Resumes a paused sequence; its current step gets a due date counted from now. */
export async function resumeSequence(input: ResumeSequenceInput) {
  const { instanceId } = resumeSequenceInputSchema.parse(input);
  const { data, error } = await supabase.rpc('resume_sequence', { p_instance_id: instanceId });
  if (error) raiseSequenceError(error);
  return data;
}

export function useResumeSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof resumeSequence, { snapshot: InstancesSnapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: resumeSequence,
    onMutate: async ({ instanceId }) => ({
      snapshot: await patchInstanceOptimistically(queryClient, organisationId, instanceId, {
        status: 'active',
        paused_at: null,
        resume_at: null,
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
