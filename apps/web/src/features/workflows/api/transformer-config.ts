import type { TransformerForConfig } from '@forkflow/domain/step-config';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// The transformers' config and config_schema (issue 12 §3), for the step config editor: kept
// apart from the transformers list the pickers read, which needs neither.

export async function getTransformerConfigs(
  organisationId: string,
): Promise<TransformerForConfig[]> {
  const { data, error } = await supabase
    .from('transformers')
    .select('id, organisation_id, type, config, config_schema')
    .or(`organisation_id.is.null,organisation_id.eq.${organisationId}`)
    .order('id');
  if (error) raise(error);
  return data;
}

export const transformerConfigsQuery = (organisationId: string) =>
  queryOptions({
    queryKey: ['orgs', organisationId, 'transformers', 'config'] as const,
    queryFn: () => getTransformerConfigs(organisationId),
    staleTime: 5 * 60_000,
  });

export function useTransformerConfigs(organisationId: string) {
  return useQuery(transformerConfigsQuery(organisationId));
}
