import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** What the cache held under some keys before an optimistic change, to put back on error. */
export type CacheSnapshot = Array<[QueryKey, unknown]>;

/**
 * Stop fetches under `keys` (a late answer would overwrite the optimistic change) and remember
 * what every query under them holds now.
 */
export async function snapshotQueries(
  queryClient: QueryClient,
  keys: readonly QueryKey[],
): Promise<CacheSnapshot> {
  await Promise.all(keys.map((queryKey) => queryClient.cancelQueries({ queryKey })));
  return keys.flatMap((queryKey) => queryClient.getQueriesData({ queryKey }));
}

export function restoreSnapshot(queryClient: QueryClient, snapshot: CacheSnapshot | undefined) {
  for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
}

/**
 * Patch the row with `id` in every cached list (an array of rows) under `listsKey`; other
 * shapes under the key are left alone.
 */
export function patchListRows<T extends { id: string }>(
  queryClient: QueryClient,
  listsKey: QueryKey,
  id: string,
  patch: Partial<T> | ((row: T) => Partial<T>),
) {
  queryClient.setQueriesData<T[]>({ queryKey: listsKey }, (old) =>
    Array.isArray(old)
      ? old.map((row) =>
          row.id === id ? { ...row, ...(typeof patch === 'function' ? patch(row) : patch) } : row,
        )
      : old,
  );
}
