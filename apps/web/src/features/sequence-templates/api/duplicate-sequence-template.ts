import {
  copyName,
  sequenceTemplateInputSchema,
  sequenceTemplateToFormValues,
  toSaveSequenceTemplateArgs,
} from '@forkflow/domain/sequence-template';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { getSequenceTemplate, sequenceTemplateQueries } from './queries';

/**
 * "Copy of <name>" with the same settings and steps, saved as a new template through
 * save_sequence_template (so a copy is made exactly like a template built by hand).
 */
export async function duplicateSequenceTemplate({
  organisationId,
  id,
}: {
  organisationId: string;
  id: string;
  name?: string;
}) {
  const source = await getSequenceTemplate(organisationId, id);
  const { id: _id, ...values } = sequenceTemplateToFormValues(source, source.steps);
  const parsed = sequenceTemplateInputSchema.safeParse({
    ...values,
    name: copyName(source.name),
    steps: values.steps.map(({ id: _stepId, ...step }) => step),
  });
  if (!parsed.success) {
    throw new AppError(
      `“${source.name}” can’t be copied as it is: open it, fix what the builder points out, and save it first.`,
    );
  }
  const { data: row, error } = await supabase.rpc(
    'save_sequence_template',
    toSaveSequenceTemplateArgs(organisationId, parsed.data),
  );
  if (error) raise(error);
  return row;
}

export function useDuplicateSequenceTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof duplicateSequenceTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: duplicateSequenceTemplate,
    onSuccess: async (row, ...args) => {
      await queryClient.invalidateQueries({
        queryKey: sequenceTemplateQueries.lists(organisationId),
      });
      return onSuccess?.(row, ...args);
    },
  });
}
