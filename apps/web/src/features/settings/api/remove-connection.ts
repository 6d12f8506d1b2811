import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { connectionQueries, type Connection } from './connections-queries';

/** Removes a connection; answers the removed row so an Undo can add it back. */
export async function removeConnection({
  connection,
}: {
  organisationId: string;
  connection: Connection;
}): Promise<Connection> {
  const { error } = await supabase
    .from('organisation_connections')
    .delete()
    .eq('id', connection.id);
  if (error) raise(error);
  return connection;
}

export function useRemoveConnection({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof removeConnection>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: removeConnection,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: connectionQueries.all(organisationId) });
      return onSuccess?.(...args);
    },
  });
}
