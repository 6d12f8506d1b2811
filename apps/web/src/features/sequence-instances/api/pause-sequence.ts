import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { instanceStatusUpdate } from './queries';

/** The pause dialog's field: an optional moment to resume by itself. */
export const pauseSequenceInputSchema = z.object({
  /** A datetime-local value in the browser's time zone, or '' to pause until resumed. */
  resumeAt: z
    .string()
    .trim()
    .refine((value) => value === '' || !Number.isNaN(new Date(value).getTime()), {
      message: 'Enter a date and time',
    })
    .refine((value) => value === '' || new Date(value).getTime() > Date.now(), {
      message: 'Choose a moment in the future',
    })
    .transform((value) => (value ? new Date(value).toISOString() : null)),
});

export type PauseSequenceFormValues = z.input<typeof pauseSequenceInputSchema>;

export async function pauseSequence({
  instanceId,
  data,
}: {
  instanceId: string;
  data: PauseSequenceFormValues;
}) {
  const { resumeAt } = pauseSequenceInputSchema.parse(data);
  const { data: instance, error } = await supabase.rpc('pause_sequence', {
    p_instance_id: z.uuid().parse(instanceId),
    ...(resumeAt ? { p_resume_at: resumeAt } : {}),
  });
  if (error) raiseSequenceError(error);
  return instance;
}

export function usePauseSequence(options: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof pauseSequence>;
}) {
  return useOptimisticMutation({
    mutationFn: pauseSequence,
    ...instanceStatusUpdate(options.organisationId, () => ({
      status: 'paused',
      paused_at: new Date().toISOString(),
    })),
    mutationConfig: options.mutationConfig,
  });
}
