import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

export type TransformerRow = Pick<
  Tables<'transformers'>,
  | 'id'
  | 'organisation_id'
  | 'type'
  | 'description'
  | 'config'
  | 'target_function'
  | 'timeout_ms'
  | 'retired_at'
> & {
  /** The fields its config may set (issue 12 §3); the built-ins declare theirs. */
  config_schema?: Tables<'transformers'>['config_schema'];
};

export const TRANSFORMER_COLUMNS =
  'id, organisation_id, type, description, config, config_schema, target_function, timeout_ms, retired_at';

/** The built-ins (no organisation) and the organisation's own, built-ins first, by id. */
export async function getTransformers(organisationId: string): Promise<TransformerRow[]> {
  const { data, error } = await supabase
    .from('transformers')
    .select(TRANSFORMER_COLUMNS)
    .or(`organisation_id.is.null,organisation_id.eq.${organisationId}`)
    .order('organisation_id', { ascending: true, nullsFirst: true })
    .order('id');
  if (error) raise(error);
  return data;
}

export const transformerQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'transformers'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: [...transformerQueries.all(organisationId), 'list'] as const,
      queryFn: () => getTransformers(organisationId),
    }),
};
