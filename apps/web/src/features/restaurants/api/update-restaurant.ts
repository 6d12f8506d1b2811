import { restaurantInputSchema, type RestaurantFormValues } from '@forkflow/domain/restaurants';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { raise } from '@/lib/errors';
import { snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import {
  DETAIL_COLUMNS,
  restaurantQueries,
  type RestaurantDetail,
  type RestaurantPage,
} from './queries';

export const updateRestaurantInputSchema = restaurantInputSchema;

export async function updateRestaurant({
  organisationId,
  id,
  data,
}: {
  organisationId: string;
  id: string;
  data: RestaurantFormValues;
}) {
  const input = updateRestaurantInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('restaurants')
    .update(input)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .select(DETAIL_COLUMNS)
    .single();
  if (error) raise(error);
  return row;
}

export function useUpdateRestaurant({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof updateRestaurant>;
}) {
  return useOptimisticMutation({
    mutationFn: updateRestaurant,
    // Show the edit everywhere at once; put it all back if the server says no.
    apply: async (queryClient, { id, data }) => {
      const parsed = updateRestaurantInputSchema.safeParse(data);
      const detailKey = restaurantQueries.detail(organisationId, id).queryKey;
      const listsKey = restaurantQueries.lists(organisationId);
      const snapshot = await snapshotQueries(queryClient, [detailKey, listsKey]);
      if (parsed.success) {
        const patch = { ...parsed.data, updated_at: new Date().toISOString() };
        queryClient.setQueryData<RestaurantDetail>(detailKey, (old) =>
          old ? { ...old, ...patch } : old,
        );
        queryClient.setQueriesData<RestaurantPage>({ queryKey: listsKey }, (old) =>
          old
            ? { ...old, rows: old.rows.map((row) => (row.id === id ? { ...row, ...patch } : row)) }
            : old,
        );
      }
      return snapshot;
    },
    onServerResult: (queryClient, row) =>
      queryClient.setQueryData(restaurantQueries.detail(organisationId, row.id).queryKey, row),
    // Filters and sort order may have changed which rows belong on which page.
    invalidate: () => [restaurantQueries.lists(organisationId)],
    mutationConfig,
  });
}
