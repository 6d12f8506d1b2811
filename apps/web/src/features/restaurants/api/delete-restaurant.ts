import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { AppError, raise } from '@/lib/errors';
import { snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import { restaurantQueries, type RestaurantPage } from './queries';

/** How long "Undo" is offered before the row goes to the trash (restorable there for 30 days). */
export const DELETE_UNDO_WINDOW_MS = 5000;

export class DeleteUndoneError extends Error {
  constructor() {
    super('Delete undone');
    this.name = 'DeleteUndoneError';
  }
}

// Deletes waiting out their undo window. If the page is being left, send them now
// rather than silently dropping them.
const pending = new Set<() => void>();
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    for (const flush of pending) flush();
  });
}

function waitForUndoWindow(ms: number, undo?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    if (undo?.aborted) return reject(new DeleteUndoneError());
    const done = () => {
      clearTimeout(timer);
      pending.delete(done);
      undo?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      clearTimeout(timer);
      pending.delete(done);
      reject(new DeleteUndoneError());
    };
    const timer = setTimeout(done, ms);
    pending.add(done);
    undo?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function deleteRestaurant({
  id,
  undo,
  undoWindowMs = DELETE_UNDO_WINDOW_MS,
}: {
  organisationId: string;
  id: string;
  name?: string;
  /** Abort to cancel the delete while it waits out the undo window. */
  undo?: AbortSignal;
  undoWindowMs?: number;
}) {
  await waitForUndoWindow(undoWindowMs, undo);
  // Into the organisation's trash (restorable for 30 days); the RPC takes ids only.
  const { data, error } = await supabase.rpc('move_to_trash', {
    p_kind: 'restaurant',
    p_ids: [id],
  });
  if (error) raise(error);
  // Rows you may not delete are left alone: zero rows back means nothing happened.
  if (data.length === 0) {
    throw new AppError(
      'This restaurant was not deleted: it no longer exists, or only its creator, its sales rep or an owner or admin may delete it.',
      {
        code: 'not_deleted',
      },
    );
  }
  return { id };
}

export function useDeleteRestaurant({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof deleteRestaurant>;
}) {
  return useOptimisticMutation({
    mutationFn: deleteRestaurant,
    // Gone from every list at once; back where it was if the delete is undone or fails.
    apply: async (queryClient, { id }) => {
      const listsKey = restaurantQueries.lists(organisationId);
      const detailKey = restaurantQueries.detail(organisationId, id).queryKey;
      const snapshot = await snapshotQueries(queryClient, [detailKey, listsKey]);
      queryClient.setQueriesData<RestaurantPage>({ queryKey: listsKey }, (old) => {
        if (!old || !old.rows.some((row) => row.id === id)) return old;
        return {
          ...old,
          rows: old.rows.filter((row) => row.id !== id),
          total: Math.max(0, old.total - 1),
        };
      });
      return snapshot;
    },
    onServerResult: (queryClient, result) =>
      queryClient.removeQueries({
        queryKey: restaurantQueries.detail(organisationId, result.id).queryKey,
      }),
    invalidate: () => [restaurantQueries.lists(organisationId)],
    mutationConfig,
  });
}
