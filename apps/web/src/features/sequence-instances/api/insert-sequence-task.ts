import {
  SEQUENCE_MESSAGE_MAX,
  SEQUENCE_STEP_NAME_MAX,
  taskTypeSchema,
} from '@forkflow/domain/sequence-template';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { parseStepResult } from './step-result';
import { checkStepDelay, stepDelayFields } from './update-sequence-task-delay';
import { useSequenceMutation } from './use-sequence-mutation';

/** The add-a-step dialog's fields; the form and the request share it. */
export const insertStepInputSchema = z
  .object({
    /** The step number the new step gets (1-based); later steps move down by one. */
    position: z.number({ error: 'Choose where the step goes' }).int().min(1),
    name: z
      .string()
      .trim()
      .min(1, 'Name the step')
      .max(SEQUENCE_STEP_NAME_MAX, `At most ${SEQUENCE_STEP_NAME_MAX} characters`),
    type: taskTypeSchema,
    message: z
      .string()
      .max(SEQUENCE_MESSAGE_MAX, `At most ${SEQUENCE_MESSAGE_MAX} characters`)
      .transform((value) => (value.trim() ? value : null)),
    ...stepDelayFields,
  })
  .superRefine(checkStepDelay);

export type InsertStepFormValues = z.input<typeof insertStepInputSchema>;

export async function insertSequenceTask({
  instanceId,
  data,
}: {
  instanceId: string;
  data: InsertStepFormValues;
}) {
  const input = insertStepInputSchema.parse(data);
  const { data: result, error } = await supabase.rpc('insert_sequence_task', {
    p_instance_id: z.uuid().parse(instanceId),
    p_position: input.position,
    p_task: {
      name: input.name,
      type: input.type,
      delay_value: input.delayValue,
      delay_unit: input.delayUnit,
      ...(input.message ? { message: input.message } : {}),
    },
  });
  // 22023 with the allowed range when the position is before the current step.
  if (error) raiseSequenceError(error);
  return parseStepResult(result);
}

export function useInsertSequenceTask({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof insertSequenceTask>;
}) {
  return useSequenceMutation(insertSequenceTask, organisationId, mutationConfig);
}
