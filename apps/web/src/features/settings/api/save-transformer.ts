import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { jsonObjectFromText } from '@/lib/json-object';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { transformerQueries, type TransformerRow } from './transformers-queries';

// The same id rule as the table's transformers_id_format check.
const TRANSFORMER_ID = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** The transformer form's fields, shared by the form and the request. */
export const saveTransformerInputSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(
      TRANSFORMER_ID,
      'Use 1 to 100 lower-case letters, digits, _ . or -, starting with a letter or digit',
    ),
  type: z.string().min(1, 'Choose a type'),
  description: z
    .string()
    .trim()
    .max(2000, 'A description is at most 2000 characters')
    .transform((value) => (value === '' ? null : value)),
  config: jsonObjectFromText({
    invalid: (reason) => `Not valid JSON: ${reason}`,
    notObject: 'The config must be a JSON object, like {"method": "POST"}',
  }),
  timeoutMs: z.coerce
    .number({ error: 'Enter a number of milliseconds' })
    .int('Enter a whole number of milliseconds')
    .min(1000, 'At least 1000 ms')
    .max(600000, 'At most 600000 ms (10 minutes)'),
});

export type SaveTransformerInput = z.input<typeof saveTransformerInputSchema>;

/**
 * Creates or edits (same id) the organisation's transformer through save_transformer, which
 * sets its executor from the built-in of its type and checks its config.
 */
export async function saveTransformer({
  organisationId,
  data,
}: {
  organisationId: string;
  data: SaveTransformerInput;
}): Promise<TransformerRow> {
  const input = saveTransformerInputSchema.parse(data);
  const { data: row, error } = await supabase.rpc('save_transformer', {
    p_organisation_id: organisationId,
    p_id: input.id,
    p_type: input.type,
    // The generated Args type says string; SQL takes null for "no description".
    p_description: input.description as string,
    p_config: input.config as never,
    p_timeout_ms: input.timeoutMs,
  });
  if (error) raise(error);
  return row as TransformerRow;
}

export function useSaveTransformer({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveTransformer>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveTransformer,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: transformerQueries.all(organisationId) });
      return onSuccess?.(...args);
    },
  });
}
