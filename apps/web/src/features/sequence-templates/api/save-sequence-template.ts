import {
  sequenceTemplateInputSchema,
  toSaveSequenceTemplateArgs,
  type SequenceTemplateFormValues,
} from '@forkflow/domain/sequence-template';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { sequenceTemplateQueries } from './queries';

// The builder and this request share one schema (packages/domain).
export const saveSequenceTemplateInputSchema = sequenceTemplateInputSchema;

/** Creates (no id) or replaces (with id) a template and all its steps, in one transaction. */
export async function saveSequenceTemplate({
  organisationId,
  data,
}: {
  organisationId: string;
  data: SequenceTemplateFormValues;
}) {
  const input = saveSequenceTemplateInputSchema.parse(data);
  const { data: row, error } = await supabase.rpc(
    'save_sequence_template',
    toSaveSequenceTemplateArgs(organisationId, input),
  );
  if (error) raise(error);
  return row;
}

export function useSaveSequenceTemplate({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveSequenceTemplate>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveSequenceTemplate,
    onSuccess: async (row, ...args) => {
      // The steps were rewritten too: refetch the detail rather than patch it.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: sequenceTemplateQueries.lists(organisationId) }),
        queryClient.invalidateQueries({
          queryKey: sequenceTemplateQueries.detail(organisationId, row.id).queryKey,
        }),
      ]);
      return onSuccess?.(row, ...args);
    },
  });
}
