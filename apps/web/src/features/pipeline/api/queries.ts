import { leadStages, type LeadStage } from '@forkflow/domain/restaurants';
import { toPrefixTsQuery } from '@forkflow/domain/search';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

/**
 * A column loads this many cards, newest first, and "Load more" the next as many. At
 * 100,000 restaurants a column reads 50 index entries (restaurants_board_column_idx, or the
 * rep-first one for "My restaurants"), never the whole stage.
 */
export const BOARD_PAGE_SIZE = 50;

// Filters live in the URL (?rep=&q=); anything malformed is ignored.
export const boardFiltersSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  rep: z.uuid().optional().catch(undefined),
});
export type BoardFilters = z.output<typeof boardFiltersSchema>;

export function parseBoardFilters(params: URLSearchParams): BoardFilters {
  return boardFiltersSchema.parse({
    q: params.get('q') ?? '',
    rep: params.get('rep') ?? undefined,
  });
}

export type BoardCard = Pick<
  Tables<'restaurants'>,
  'id' | 'name' | 'city' | 'lead_stage' | 'lead_warmth' | 'assigned_sales_rep' | 'updated_at'
>;

/** Where the next page starts: the last card's (updated_at, id), the column's sort key. */
export type BoardCursor = { updatedAt: string; id: string } | null;

export type BoardColumnPage = { cards: BoardCard[]; next: BoardCursor };

export async function getBoardColumn(
  organisationId: string,
  stage: LeadStage,
  filters: BoardFilters,
  cursor: BoardCursor,
): Promise<BoardColumnPage> {
  const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
  // One function (…007800_restaurant_activity.sql): it narrows to the caller's organisations
  // itself, so a rare search word is found through the GIN index rather than by reading the
  // whole stage. Keyset, not offset: a card moved meanwhile never shifts the next page.
  const { data, error } = await supabase.rpc('pipeline_column', {
    p_organisation_id: organisationId,
    p_stage: stage,
    p_limit: BOARD_PAGE_SIZE,
    ...(filters.rep ? { p_rep: filters.rep } : {}),
    ...(tsQuery ? { p_search: tsQuery } : {}),
    ...(cursor ? { p_before_updated_at: cursor.updatedAt, p_before_id: cursor.id } : {}),
  });
  if (error) raise(error);
  // The generated type calls every column non-null; a card's city and rep can be null.
  const cards = data as BoardCard[];
  const last = cards.at(-1);
  return {
    cards,
    next:
      cards.length === BOARD_PAGE_SIZE && last ? { updatedAt: last.updated_at, id: last.id } : null,
  };
}

/** Per stage: exact up to 1,000; `capped` when there are more (shown "1,000+"). */
export type StageCount = { total: number; capped: boolean };
export type StageCounts = Record<LeadStage, StageCount>;

export async function getStageCounts(
  organisationId: string,
  filters: BoardFilters,
): Promise<StageCounts> {
  const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
  const { data, error } = await supabase.rpc('restaurant_stage_counts', {
    p_organisation_id: organisationId,
    ...(filters.rep ? { p_rep: filters.rep } : {}),
    ...(tsQuery ? { p_search: tsQuery } : {}),
  });
  if (error) raise(error);
  const counts = Object.fromEntries(
    leadStages.map((stage) => [stage, { total: 0, capped: false }]),
  ) as StageCounts;
  for (const row of data)
    counts[row.lead_stage as LeadStage] = { total: Number(row.total), capped: row.capped };
  return counts;
}

/** The running sequences a move to `stage` would end (the exit-stage rule, in SQL). */
export async function getSequencesEndingAtStage(
  restaurantId: string,
  stage: LeadStage,
): Promise<Array<{ id: string; name: string }>> {
  const { data, error } = await supabase.rpc('sequences_ending_at_stage', {
    p_restaurant_id: restaurantId,
    p_stage: stage,
  });
  if (error) raise(error);
  return data;
}

export const pipelineQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'pipeline'] as const,
  columns: (organisationId: string) => [...pipelineQueries.all(organisationId), 'column'] as const,
  column: (organisationId: string, stage: LeadStage, filters: BoardFilters) =>
    infiniteQueryOptions({
      queryKey: [...pipelineQueries.columns(organisationId), stage, filters] as const,
      queryFn: ({ pageParam }) => getBoardColumn(organisationId, stage, filters, pageParam),
      initialPageParam: null as BoardCursor,
      getNextPageParam: (page) => page.next,
    }),
  countsAll: (organisationId: string) =>
    [...pipelineQueries.all(organisationId), 'counts'] as const,
  counts: (organisationId: string, filters: BoardFilters) =>
    queryOptions({
      queryKey: [...pipelineQueries.countsAll(organisationId), filters] as const,
      queryFn: () => getStageCounts(organisationId, filters),
    }),
};
