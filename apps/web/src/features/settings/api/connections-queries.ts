import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

export type Connection = Pick<
  Tables<'organisation_connections'>,
  'id' | 'host' | 'description' | 'created_at'
>;

/** The organisation's connections (Settings → Connections), by host. */
export async function getConnections(organisationId: string): Promise<Connection[]> {
  const { data, error } = await supabase
    .from('organisation_connections')
    .select('id, host, description, created_at')
    .eq('organisation_id', organisationId)
    .order('host');
  if (error) raise(error);
  return data;
}

export const connectionQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'connections'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: [...connectionQueries.all(organisationId), 'list'] as const,
      queryFn: () => getConnections(organisationId),
    }),
};
