import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { instanceStatusUpdate } from './queries';

export const resumeSequenceInputSchema = z.object({ instanceId: z.uuid() });

export type ResumeSequenceInput = z.input<typeof resumeSequenceInputSchema>;

/** Resumes a paused sequence; its current step gets a due date counted from now. */
export async function resumeSequence(input: ResumeSequenceInput) {
  const { instanceId } = resumeSequenceInputSchema.parse(input);
  const { data, error } = await supabase.rpc('resume_sequence', { p_instance_id: instanceId });
  if (error) raiseSequenceError(error);
  return data;
}

export function useResumeSequence(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof resumeSequence>;
}) {
  return useOptimisticMutation({
    mutationFn: resumeSequence,
    ...instanceStatusUpdate(options.organisationId, () => ({
      status: 'active',
      paused_at: null,
      resume_at: null,
    })),
    mutationConfig: options.mutationConfig,
  });
}
