import { leadStageSchema, leadWarmthSchema } from '@forkflow/domain/restaurants';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

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
  /** Exact up to 1,000; past that the planner's estimate (`estimated`), shown as "about …". */
  total: number;
  estimated: boolean;
  page: number;
  pageCount: number;
};

type ListAnswer = { rows: RestaurantListItem[]; total: number; estimated: boolean };

/**
 * One page through `list_restaurants` (…007900_restaurant_list_scale.sql): it checks
 * membership itself, so search can use the GIN index (under RLS it could not), every sort and
 * filter has an index that fits, and the count stops reading at 1,000 rows.
 */
export async function getRestaurants(
  organisationId: string,
  filters: RestaurantFilters,
): Promise<RestaurantPage> {
  const { data, error } = await supabase.rpc('list_restaurants', {
    p_organisation_id: organisationId,
    ...(filters.q ? { p_search: filters.q } : {}),
    ...(filters.stage ? { p_stage: filters.stage } : {}),
    ...(filters.warmth ? { p_warmth: filters.warmth } : {}),
    ...(filters.rep === UNASSIGNED
      ? { p_unassigned: true }
      : filters.rep
        ? { p_rep: filters.rep }
        : {}),
    p_sort: filters.sort,
    p_offset: (filters.page - 1) * RESTAURANTS_PAGE_SIZE,
    p_limit: RESTAURANTS_PAGE_SIZE,
  });
  if (error) raise(error);
  const answer = data as unknown as ListAnswer;
  return {
    rows: answer.rows,
    total: answer.total,
    estimated: answer.estimated,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(answer.total / RESTAURANTS_PAGE_SIZE)),
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
