import { delayUnitSchema, type DelayUnit } from '@forkflow/domain/business-calendar';
import { maxDelayValue } from '@forkflow/domain/sequence-template';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseSequenceError } from './errors';
import { parseStepResult } from './step-result';
import { useSequenceMutation } from './use-sequence-mutation';

/** A step's delay, as the dialogs edit it (valueAsNumber gives NaN for an empty field). */
export const stepDelayFields = {
  delayValue: z
    .number({ error: 'Enter a delay (0 or more)' })
    .int('Use a whole number')
    .min(0, 'A delay cannot be negative'),
  delayUnit: delayUnitSchema,
};

/** The calendar computes due dates only this far ahead (the template builder's limit too). */
export function checkStepDelay(
  { delayValue, delayUnit }: { delayValue: number; delayUnit: DelayUnit },
  ctx: z.RefinementCtx,
) {
  if (Number.isFinite(delayValue) && delayValue > maxDelayValue[delayUnit]) {
    ctx.addIssue({
      code: 'custom',
      path: ['delayValue'],
      message: `At most ${maxDelayValue[delayUnit].toLocaleString('en-GB')} ${delayUnit}`,
    });
  }
}

export const stepDelaySchema = z.object(stepDelayFields).superRefine(checkStepDelay);

export type StepDelayFormValues = z.input<typeof stepDelaySchema>;

/** A pending step's delay: counted from when the step before it is done. */
export async function updateSequenceTaskDelay({
  taskId,
  data,
}: {
  taskId: string;
  data: StepDelayFormValues;
}) {
  const input = stepDelaySchema.parse(data);
  const { data: result, error } = await supabase.rpc('update_sequence_task_delay', {
    p_task_id: z.uuid().parse(taskId),
    p_delay_value: input.delayValue,
    p_delay_unit: input.delayUnit,
  });
  // 22023 once the step is no longer pending (someone activated or finished it meanwhile).
  if (error) raiseSequenceError(error);
  return parseStepResult(result);
}

export function useUpdateSequenceTaskDelay({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof updateSequenceTaskDelay>;
}) {
  return useSequenceMutation(updateSequenceTaskDelay, organisationId, mutationConfig);
}
