import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { transformerQueries, type TransformerRow } from './transformers-queries';

/** Retires (hidden from new steps; workflows using it keep running it) or restores one. */
export async function setTransformerRetired({
  organisationId,
  id,
  retired,
}: {
  organisationId: string;
  id: string;
  retired: boolean;
}): Promise<TransformerRow> {
  const { data, error } = await supabase.rpc('set_transformer_retired', {
    p_organisation_id: organisationId,
    p_id: id,
    p_retired: retired,
  });
  if (error) raise(error);
  return data as TransformerRow;
}

export function useSetTransformerRetired({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setTransformerRetired>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setTransformerRetired,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: transformerQueries.all(organisationId) });
      return onSuccess?.(...args);
    },
  });
}
