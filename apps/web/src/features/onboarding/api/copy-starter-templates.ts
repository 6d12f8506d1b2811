import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { firstRunQueries } from './queries';

export const copyStarterTemplatesInputSchema = z.object({ organisationId: z.uuid() });

export type CopyStarterTemplatesInput = z.input<typeof copyStarterTemplatesInputSchema>;

const resultSchema = z.object({ sequence_template_id: z.uuid(), created: z.number().int() });

export type CopiedStarterTemplates = { sequenceTemplateId: string; created: number };

/**
 * Copies the starter templates (seed 001's Demo Follow-up with its message and task
 * templates) into the organisation. The database makes it idempotent: a second copy
 * returns the first one's sequence with `created: 0`.
 */
export async function copyStarterTemplates(
  input: CopyStarterTemplatesInput,
): Promise<CopiedStarterTemplates> {
  const { organisationId } = copyStarterTemplatesInputSchema.parse(input);
  const { data, error } = await supabase.rpc('copy_starter_templates', {
    p_organisation_id: organisationId,
  });
  if (error) raise(error);
  const result = resultSchema.parse(data);
  return { sequenceTemplateId: result.sequence_template_id, created: result.created };
}

export function useCopyStarterTemplates({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof copyStarterTemplates>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: copyStarterTemplates,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: firstRunQueries.all(organisationId) });
      await onSuccess?.(...args);
    },
  });
}
