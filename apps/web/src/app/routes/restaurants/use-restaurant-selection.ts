import { useCallback, useMemo, useState } from 'react';
import type { RestaurantSelection } from '@/features/restaurants/components/restaurants-list';

export type SelectedRestaurant = { id: string; name: string };

/**
 * Which restaurants are ticked for a bulk action. Kept across pages and filters (by id, with
 * the name for the confirmation), until cleared.
 */
export function useRestaurantSelection() {
  const [selected, setSelected] = useState<Map<string, string>>(() => new Map());

  const selection: RestaurantSelection = useMemo(
    () => ({
      isSelected: (id) => selected.has(id),
      onToggle: (restaurant, on) =>
        setSelected((current) => {
          const next = new Map(current);
          if (on) next.set(restaurant.id, restaurant.name);
          else next.delete(restaurant.id);
          return next;
        }),
      onTogglePage: (restaurants, on) =>
        setSelected((current) => {
          const next = new Map(current);
          for (const restaurant of restaurants) {
            if (on) next.set(restaurant.id, restaurant.name);
            else next.delete(restaurant.id);
          }
          return next;
        }),
    }),
    [selected],
  );

  const restaurants: SelectedRestaurant[] = useMemo(
    () => [...selected].map(([id, name]) => ({ id, name })),
    [selected],
  );
  const clear = useCallback(() => setSelected(new Map()), []);

  return { selection, restaurants, count: selected.size, clear };
}
