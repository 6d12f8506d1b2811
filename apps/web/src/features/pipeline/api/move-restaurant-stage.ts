import { leadStageSchema, type LeadStage } from '@forkflow/domain/restaurants';
import type { InfiniteData } from '@tanstack/react-query';
import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { AppError, raise } from '@/lib/errors';
import { snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import {
  pipelineQueries,
  type BoardCard,
  type BoardColumnPage,
  type StageCount,
  type StageCounts,
} from './queries';

export const moveRestaurantStageInputSchema = z.object({
  id: z.uuid(),
  stage: leadStageSchema,
});

export type MoveRestaurantStageInput = z.input<typeof moveRestaurantStageInputSchema> & {
  organisationId: string;
  /** The card as the board showed it, so the optimistic move needs no lookup. */
  card: BoardCard;
};

export async function moveRestaurantStage({ organisationId, ...input }: MoveRestaurantStageInput) {
  const { id, stage } = moveRestaurantStageInputSchema.parse(input);
  const { data, error } = await supabase
    .from('restaurants')
    .update({ lead_stage: stage })
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select('id, name, city, lead_stage, lead_warmth, assigned_sales_rep, updated_at')
    .maybeSingle();
  if (error) raise(error);
  if (!data)
    throw new AppError('This restaurant was deleted, or moved to another organisation.', {
      code: 'not_found',
    });
  return data;
}

type ColumnData = InfiniteData<BoardColumnPage>;

/** The stage a column query key is for: ['orgs', id, 'pipeline', 'column', stage, filters]. */
const stageOfKey = (key: readonly unknown[]) => key[4] as LeadStage | undefined;

/**
 * Drag a card to another column: it moves at once (out of its column, to the top of the
 * target, counts adjusted) and goes back if the server refuses.
 */
export function useMoveRestaurantStage({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof moveRestaurantStage>;
}) {
  return useOptimisticMutation({
    mutationFn: moveRestaurantStage,
    apply: async (queryClient, { card, stage }) => {
      const columnsKey = pipelineQueries.columns(organisationId);
      const countsKey = pipelineQueries.countsAll(organisationId);
      const snapshot = await snapshotQueries(queryClient, [columnsKey, countsKey]);
      const from = card.lead_stage as LeadStage;
      if (from === stage) return snapshot;
      const moved = { ...card, lead_stage: stage, updated_at: new Date().toISOString() };
      for (const [key] of queryClient.getQueriesData<ColumnData>({ queryKey: columnsKey })) {
        const column = stageOfKey(key);
        queryClient.setQueryData<ColumnData>(key, (old) => {
          if (!old) return old;
          if (column === from)
            return {
              ...old,
              pages: old.pages.map((page) => ({
                ...page,
                cards: page.cards.filter((c) => c.id !== card.id),
              })),
            };
          if (column === stage)
            return {
              ...old,
              pages: old.pages.map((page, index) =>
                index === 0 ? { ...page, cards: [moved, ...page.cards] } : page,
              ),
            };
          return old;
        });
      }
      // A capped count ("1,000+") stays as it is: it was never exact.
      const shift = (count: StageCount, by: number): StageCount =>
        count.capped ? count : { ...count, total: Math.max(0, count.total + by) };
      queryClient.setQueriesData<StageCounts>({ queryKey: countsKey }, (old) =>
        old ? { ...old, [from]: shift(old[from], -1), [stage]: shift(old[stage], 1) } : old,
      );
      return snapshot;
    },
    invalidate: () => [pipelineQueries.all(organisationId)],
    mutationConfig,
  });
}
