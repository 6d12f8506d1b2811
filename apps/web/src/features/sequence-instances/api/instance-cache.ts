import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { Tables } from '@forkflow/db';
import { sequenceInstanceQueries, type SequenceInstance } from './queries';

export type InstancesSnapshot = Array<[QueryKey, unknown]>;

export type InstanceRow = Tables<'sequence_instances'>;

/** Change an instance in every cached restaurant list at once; returns what was there. */
export async function patchInstanceOptimistically(
  queryClient: QueryClient,
  organisationId: string,
  instanceId: string,
  patch: Partial<SequenceInstance>,
): Promise<InstancesSnapshot> {
  const key = sequenceInstanceQueries.forRestaurants(organisationId);
  await queryClient.cancelQueries({ queryKey: key });
  const snapshot: InstancesSnapshot = queryClient.getQueriesData({ queryKey: key });
  queryClient.setQueriesData<SequenceInstance[]>({ queryKey: key }, (old) =>
    Array.isArray(old)
      ? old.map((instance) => (instance.id === instanceId ? { ...instance, ...patch } : instance))
      : old,
  );
  return snapshot;
}

export function restoreInstances(
  queryClient: QueryClient,
  snapshot: InstancesSnapshot | undefined,
) {
  for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
}

/** Keep what the server returned until the lists refetch (tasks come with the refetch). */
export function applyServerInstance(
  queryClient: QueryClient,
  organisationId: string,
  row: InstanceRow,
) {
  queryClient.setQueriesData<SequenceInstance[]>(
    { queryKey: sequenceInstanceQueries.forRestaurants(organisationId) },
    (old) =>
      Array.isArray(old)
        ? old.map((instance) =>
            instance.id === row.id
              ? {
                  ...instance,
                  status: row.status,
                  current_step_order: row.current_step_order,
                  paused_at: row.paused_at,
                  resume_at: row.resume_at,
                  resumed_at: row.resumed_at,
                  completed_at: row.completed_at,
                  cancelled_at: row.cancelled_at,
                  updated_at: row.updated_at,
                }
              : instance,
          )
        : old,
  );
}
