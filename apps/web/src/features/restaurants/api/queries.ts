import { leadStageSchema, leadWarmthSchema } from '@forkflow/domain/restaurants';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';
import { toPrefixTsQuery } from '@forkflow/domain/search';

export type Restaurant = Tables<'restaurants'>;

export const RESTAURANTS_PAGE_SIZE = 20;

export const UNASSIGNED = 'unassigned';

// Filters live in the URL (?q=&stage=&warmth=&rep=&sort=&page=); anything malformed
// there is ignored rather than breaking the page.
export const restaurantFiltersSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  stage: leadStageSchema.optional().catch(undefined),
  warmth: leadWarmthSchema.optional().catch(undefined),
  rep: z
    .union([z.uuid(), z.literal(UNASSIGNED)])
    .optional()
    .catch(undefined),
  sort: z.enum(['updated', 'name']).catch('updated'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type RestaurantFilters = z.output<typeof restaurantFiltersSchema>;

export function parseRestaurantFilters(params: URLSearchParams): RestaurantFilters {
  return restaurantFiltersSchema.parse({
    q: params.get('q') ?? '',
    stage: params.get('stage') ?? undefined,
    warmth: params.get('warmth') ?? undefined,
    rep: params.get('rep') ?? undefined,
    sort: params.get('sort') ?? undefined,
    page: params.get('page') ?? undefined,
  });
}

/** The columns a list row shows (never the tsvector). */
const LIST_COLUMNS =
  'id, organisation_id, name, city, cuisine, contact_name, contact_email, contact_phone, lead_stage, lead_warmth, lead_status, assigned_sales_rep, updated_at, created_at';

export const DETAIL_COLUMNS =
  'id, organisation_id, name, contact_name, contact_email, contact_phone, website, address, city, cuisine, lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, metadata, created_by, created_at, updated_at';

export type RestaurantListItem = Pick<
  Restaurant,
  | 'id'
  | 'organisation_id'
  | 'name'
  | 'city'
  | 'cuisine'
  | 'contact_name'
  | 'contact_email'
  | 'contact_phone'
  | 'lead_stage'
  | 'lead_warmth'
  | 'lead_status'
  | 'assigned_sales_rep'
  | 'updated_at'
  | 'created_at'
>;

// Reads never return trashed rows (RLS), so the trash columns are left out.
export type RestaurantDetail = Omit<Restaurant, 'search' | 'deleted_at' | 'deleted_by'>;

export type RestaurantPage = {
  rows: RestaurantListItem[];
  total: number;
  page: number;
  pageCount: number;
};

export async function getRestaurants(
  organisationId: string,
  filters: RestaurantFilters,
): Promise<RestaurantPage> {
  const from = (filters.page - 1) * RESTAURANTS_PAGE_SIZE;
  let query = supabase
    .from('restaurants')
    .select(LIST_COLUMNS, { count: 'exact' })
    // RLS lets a user see every organisation they belong to: scope to the current one.
    .eq('organisation_id', organisationId);
  const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
  if (tsQuery) query = query.textSearch('search', tsQuery, { config: 'simple' });
  if (filters.stage) query = query.eq('lead_stage', filters.stage);
  if (filters.warmth) query = query.eq('lead_warmth', filters.warmth);
  if (filters.rep === UNASSIGNED) query = query.is('assigned_sales_rep', null);
  else if (filters.rep) query = query.eq('assigned_sales_rep', filters.rep);
  query =
    filters.sort === 'name'
      ? query.order('name', { ascending: true })
      : query.order('updated_at', { ascending: false });
  // A unique tiebreaker keeps pages stable when many rows share a sort value.
  const { data, count, error } = await query
    .order('id')
    .range(from, from + RESTAURANTS_PAGE_SIZE - 1);
  if (error) {
    // Asked for a page past the end (rows were deleted, or an old link): show the last page's worth of nothing.
    if (error.code === 'PGRST103') {
      return { rows: [], total: 0, page: filters.page, pageCount: 0 };
    }
    raise(error);
  }
  const total = count ?? data.length;
  return {
    rows: data,
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / RESTAURANTS_PAGE_SIZE)),
  };
}

export async function getRestaurant(organisationId: string, id: string): Promise<RestaurantDetail> {
  const { data, error } = await supabase
    .from('restaurants')
    .select(DETAIL_COLUMNS)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data)
    throw new AppError('This restaurant doesn’t exist, or it belongs to another organisation.', {
      code: 'not_found',
    });
  return data;
}

export const restaurantQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'restaurants'] as const,
  lists: (organisationId: string) => [...restaurantQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string, filters: RestaurantFilters) =>
    queryOptions({
      queryKey: [...restaurantQueries.lists(organisationId), filters] as const,
      queryFn: () => getRestaurants(organisationId, filters),
      // Paging and filtering keep the old rows on screen until the new ones arrive,
      // but never rows of another organisation.
      placeholderData: (previous, previousQuery) =>
        previousQuery?.queryKey[1] === organisationId ? keepPreviousData(previous) : undefined,
    }),
  details: (organisationId: string) =>
    [...restaurantQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...restaurantQueries.details(organisationId), id] as const,
      queryFn: () => getRestaurant(organisationId, id),
      retry: (failureCount, error) =>
        !(error instanceof AppError && error.code === 'not_found') && failureCount < 2,
    }),
};
