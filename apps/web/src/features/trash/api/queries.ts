import { queryOptions } from '@tanstack/react-query';
import type { Database } from '@forkflow/db';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

export type TrashKind = Database['public']['Enums']['trash_kind'];

export type TrashItem = {
  kind: TrashKind;
  id: string;
  name: string;
  deletedAt: string;
  deletedByName: string | null;
  purgeAfter: string;
};

/** What the signed-in user may restore from the organisation's trash, newest first. */
export async function getTrashItems(organisationId: string): Promise<TrashItem[]> {
  const { data, error } = await supabase.rpc('trash_items', {
    p_organisation_id: organisationId,
  });
  if (error) raise(error);
  return data.map((row) => ({
    kind: row.kind,
    id: row.id,
    name: row.name,
    deletedAt: row.deleted_at,
    deletedByName: row.deleted_by_name,
    purgeAfter: row.purge_after,
  }));
}

export const trashQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'trash'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: [...trashQueries.all(organisationId), 'list'] as const,
      queryFn: () => getTrashItems(organisationId),
    }),
};
