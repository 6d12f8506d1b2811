import { restaurantInputSchema, type RestaurantFormValues } from '@forkflow/domain/restaurants';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { DETAIL_COLUMNS, restaurantQueries } from './queries';

// The form and this request share one schema (packages/domain).
export const createRestaurantInputSchema = restaurantInputSchema;

export async function createRestaurant({
  organisationId,
  data,
}: {
  organisationId: string;
  data: RestaurantFormValues;
}) {
  const input = createRestaurantInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('restaurants')
    .insert({ ...input, organisation_id: organisationId })
    .select(DETAIL_COLUMNS)
    .single();
  if (error) raise(error);
  return row;
}

export function useCreateRestaurant({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof createRestaurant>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createRestaurant,
    onSuccess: (row, ...args) => {
      queryClient.setQueryData(restaurantQueries.detail(organisationId, row.id).queryKey, row);
      void queryClient.invalidateQueries({ queryKey: restaurantQueries.lists(organisationId) });
      return onSuccess?.(row, ...args);
    },
  });
}
