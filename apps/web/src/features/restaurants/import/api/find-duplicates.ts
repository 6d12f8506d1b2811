import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { IMPORT_CHUNK_ROWS } from './import-restaurants';

export type DuplicateKey = {
  name?: string | null;
  city?: string | null;
  contact_email?: string | null;
};

export type DuplicateMatch = {
  index: number;
  id: string;
  name: string;
  city: string | null;
  match: 'email' | 'name_city';
};

/** The existing restaurant each key duplicates (find_restaurant_duplicates: the rule's one home). */
export async function findDuplicates(
  organisationId: string,
  keys: readonly DuplicateKey[],
): Promise<DuplicateMatch[]> {
  const matches: DuplicateMatch[] = [];
  for (let start = 0; start < keys.length; start += IMPORT_CHUNK_ROWS) {
    const chunk = keys.slice(start, start + IMPORT_CHUNK_ROWS).map((key) => ({
      name: key.name ?? null,
      city: key.city ?? null,
      contact_email: key.contact_email ?? null,
    }));
    const { data, error } = await supabase.rpc('find_restaurant_duplicates', {
      p_organisation_id: organisationId,
      p_rows: chunk,
    });
    if (error) raise(error);
    for (const row of data) {
      matches.push({
        index: row.index + start,
        id: row.id,
        name: row.name,
        city: row.city,
        match: row.match === 'email' ? 'email' : 'name_city',
      });
    }
  }
  return matches;
}

export const duplicateQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'restaurant-duplicates'] as const,
  /** `token` names the key list (a file and mapping, or the form's values) in the cache key. */
  find: (organisationId: string, token: string, keys: readonly DuplicateKey[]) =>
    queryOptions({
      queryKey: [...duplicateQueries.all(organisationId), token] as const,
      queryFn: () => findDuplicates(organisationId, keys),
      staleTime: 30_000,
    }),
};
