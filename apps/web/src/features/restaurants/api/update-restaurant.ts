import { restaurantInputSchema, type RestaurantFormValues } from '@forkflow/domain/restaurants';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
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

type Snapshot = Array<[QueryKey, unknown]>;

export function useUpdateRestaurant({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof updateRestaurant, { snapshot: Snapshot }>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, onError, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: updateRestaurant,
    // Show the edit everywhere at once; put it all back if the server says no.
    onMutate: async ({ id, data }) => {
      const parsed = updateRestaurantInputSchema.safeParse(data);
      const detailKey = restaurantQueries.detail(organisationId, id).queryKey;
      const listsKey = restaurantQueries.lists(organisationId);
      await queryClient.cancelQueries({ queryKey: detailKey });
      await queryClient.cancelQueries({ queryKey: listsKey });
      const snapshot: Snapshot = [
        [detailKey, queryClient.getQueryData(detailKey)],
        ...queryClient.getQueriesData({ queryKey: listsKey }),
      ];
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
      return { snapshot };
    },
    onError: (error, variables, context, ...more) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
      return onError?.(error, variables, context, ...more);
    },
    onSuccess: (row, ...args) => {
      queryClient.setQueryData(restaurantQueries.detail(organisationId, row.id).queryKey, row);
      return onSuccess?.(row, ...args);
    },
    onSettled: () =>
      // Filters and sort order may have changed which rows belong on which page.
      queryClient.invalidateQueries({ queryKey: restaurantQueries.lists(organisationId) }),
  });
}
