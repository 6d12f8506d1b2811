import { infiniteQueryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Database } from '@forkflow/db';

/** Entries per page; the function accepts up to 200. */
export const TIMELINE_PAGE_SIZE = 30;

type TimelineRow = Database['public']['Functions']['restaurant_timeline']['Returns'][number];
type Nullable =
  'actor_id' | 'actor_name' | 'from_value' | 'to_value' | 'task_id' | 'sequence_instance_id';

/** A timeline row. The generator types a function's table columns as never null; these can be. */
export type TimelineEntry = Omit<TimelineRow, Nullable> & {
  [K in Nullable]: TimelineRow[K] | null;
};

/** The next page starts before the last entry's (created_at, id): rows of one change share a time. */
export type TimelineCursor = { before: string; beforeId: number } | null;

export async function getRestaurantTimeline(
  restaurantId: string,
  cursor: TimelineCursor,
): Promise<{ entries: TimelineEntry[]; next: TimelineCursor }> {
  const { data, error } = await supabase.rpc('restaurant_timeline', {
    p_restaurant_id: restaurantId,
    p_limit: TIMELINE_PAGE_SIZE,
    ...(cursor ? { p_before: cursor.before, p_before_id: cursor.beforeId } : {}),
  });
  if (error) raise(error);
  const last = data.at(-1);
  return {
    entries: data,
    next:
      data.length === TIMELINE_PAGE_SIZE && last
        ? { before: last.created_at, beforeId: last.id }
        : null,
  };
}

export const restaurantTimelineQueries = {
  // Under the restaurants' key: whatever refreshes restaurants (a board move) refreshes this.
  all: (organisationId: string) => ['orgs', organisationId, 'restaurants', 'timeline'] as const,
  /** `version` (the restaurant's updated_at): an edit on the page shows in its timeline. */
  timeline: (organisationId: string, restaurantId: string, version: string | undefined) =>
    infiniteQueryOptions({
      queryKey: [...restaurantTimelineQueries.all(organisationId), restaurantId, version] as const,
      queryFn: ({ pageParam }) => getRestaurantTimeline(restaurantId, pageParam),
      initialPageParam: null as TimelineCursor,
      getNextPageParam: (page) => page.next,
    }),
};
