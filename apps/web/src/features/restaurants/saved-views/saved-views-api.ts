import { leadStageLabels, leadWarmthLabels } from '@forkflow/domain/restaurants';
import { queryOptions } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { UNASSIGNED, restaurantFiltersSchema, type RestaurantFilters } from '../api/queries';

/** The filters a view keeps: never the page (a view starts at its first page). */
export type ViewFilters = Pick<RestaurantFilters, 'q' | 'stage' | 'warmth' | 'rep' | 'sort'>;

export type SavedView = { id: string; name: string; filters: ViewFilters };

/** A stored view's filters, read like the URL's: anything no longer valid is dropped. */
export function parseViewFilters(value: unknown): ViewFilters {
  const object = typeof value === 'object' && value !== null ? value : {};
  const { q, stage, warmth, rep, sort } = restaurantFiltersSchema.parse(object);
  return { q, stage, warmth, rep, sort };
}

export function toViewFilters(filters: RestaurantFilters): ViewFilters {
  return parseViewFilters(filters);
}

/**
 * What a view keeps, in words ("Search “pizza” · Stage: Qualified · Sorted by name"): the
 * save dialog shows it, so what is saved is what the rep sees, never a filter still applying.
 */
export function describeViewFilters(filters: ViewFilters, repName?: string): string {
  const parts = [
    filters.q ? `Search “${filters.q}”` : null,
    filters.stage ? `Stage: ${leadStageLabels[filters.stage]}` : null,
    filters.warmth ? `Warmth: ${leadWarmthLabels[filters.warmth]}` : null,
    filters.rep === UNASSIGNED ? 'Unassigned' : filters.rep ? `Rep: ${repName ?? 'one rep'}` : null,
    filters.sort === 'name' ? 'Sorted by name' : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(' · ') : 'All restaurants, newest first';
}

export const sameFilters = (a: ViewFilters, b: ViewFilters): boolean =>
  a.q === b.q &&
  a.stage === b.stage &&
  a.warmth === b.warmth &&
  a.rep === b.rep &&
  a.sort === b.sort;

export async function getSavedViews(organisationId: string): Promise<SavedView[]> {
  // RLS shows only the signed-in user's own views in organisations they belong to.
  const { data, error } = await supabase
    .from('saved_views')
    .select('id, name, filters')
    .eq('organisation_id', organisationId)
    .eq('page', 'restaurants')
    .order('name');
  if (error) raise(error);
  return data.map((row) => ({
    id: row.id,
    name: row.name,
    filters: parseViewFilters(row.filters),
  }));
}

export async function createSavedView(
  organisationId: string,
  name: string,
  filters: ViewFilters,
): Promise<SavedView> {
  const { data, error } = await supabase
    .from('saved_views')
    .insert({
      organisation_id: organisationId,
      page: 'restaurants',
      name: name.trim(),
      // JSON drops the undefined keys: a view keeps only the filters that are set.
      filters: JSON.parse(JSON.stringify(filters)) as Record<string, string>,
    })
    .select('id, name, filters')
    .single();
  if (error) {
    if (error.code === '23505')
      throw new AppError(`You already have a view called “${name.trim()}”.`, { code: 'conflict' });
    raise(error);
  }
  return { id: data.id, name: data.name, filters: parseViewFilters(data.filters) };
}

export async function deleteSavedView(id: string): Promise<void> {
  const { error } = await supabase.from('saved_views').delete().eq('id', id);
  if (error) raise(error);
}

export const savedViewQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'saved-views', 'restaurants'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: savedViewQueries.all(organisationId),
      queryFn: () => getSavedViews(organisationId),
    }),
};
