import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { AppError, raise } from '@/lib/errors';
import { snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import { projectQueries, type Page, type SequenceListItem } from './queries';

export const moveFlowSequenceInputSchema = z.object({
  sequenceId: z.uuid(),
  /** The sequence's new place in the whole project (0 first), not within a page. */
  position: z.number().int().min(0),
});

/** One Postgres function renumbers the project's sequences 0..n-1 around the moved one. */
export async function moveFlowSequence({
  organisationId: _organisationId,
  projectId: _projectId,
  ...data
}: {
  organisationId: string;
  projectId: string;
  sequenceId: string;
  position: number;
}) {
  const { sequenceId, position } = moveFlowSequenceInputSchema.parse(data);
  const { error } = await supabase.rpc('move_flow_sequence', {
    p_sequence_id: sequenceId,
    p_position: position,
  });
  if (error) {
    if (error.code === 'forbidden' || error.code === '42501') {
      throw new AppError('Only owners and admins can reorder sequences.', {
        code: 'forbidden',
        cause: error,
      });
    }
    raise(error);
  }
}

/** The cached page with the sequence moved, when both ends of the move are on it. */
export function movedPage(
  page: Page<SequenceListItem>,
  sequenceId: string,
  position: number,
  pageSize: number,
): Page<SequenceListItem> {
  const from = page.rows.findIndex((row) => row.id === sequenceId);
  const to = position - (page.page - 1) * pageSize;
  if (from < 0 || to < 0 || to >= page.rows.length) return page;
  const rows = [...page.rows];
  const [moved] = rows.splice(from, 1);
  if (!moved) return page;
  rows.splice(to, 0, moved);
  const offset = (page.page - 1) * pageSize;
  return { ...page, rows: rows.map((row, index) => ({ ...row, position: offset + index })) };
}

export function useMoveFlowSequence({
  organisationId,
  pageSize,
  mutationConfig,
}: {
  organisationId: string;
  pageSize: number;
  mutationConfig?: OptimisticMutationConfig<typeof moveFlowSequence>;
}) {
  return useOptimisticMutation({
    mutationFn: moveFlowSequence,
    apply: async (queryClient, { projectId, sequenceId, position }) => {
      const key = projectQueries.sequenceLists(organisationId, projectId);
      const snapshot = await snapshotQueries(queryClient, [key]);
      queryClient.setQueriesData<Page<SequenceListItem>>({ queryKey: key }, (old) =>
        old ? movedPage(old, sequenceId, position, pageSize) : old,
      );
      return snapshot;
    },
    invalidate: ({ projectId }) => [projectQueries.sequenceLists(organisationId, projectId)],
    mutationConfig,
  });
}
