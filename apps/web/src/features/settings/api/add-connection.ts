import { connectionInputSchema, type ConnectionInput } from '@forkflow/domain/connections';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { connectionQueries, type Connection } from './connections-queries';

// The form and this request share one schema (packages/domain/connections.ts), which is the
// table's check constraint in TypeScript.
export const addConnectionInputSchema = connectionInputSchema;

/** Adds a host to the organisation's connections (owners and admins; RLS decides). */
export async function addConnection({
  organisationId,
  data,
}: {
  organisationId: string;
  data: ConnectionInput;
}): Promise<Connection> {
  const input = addConnectionInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('organisation_connections')
    .insert({
      organisation_id: organisationId,
      host: input.host,
      description: input.description ?? null,
    })
    .select('id, host, description, created_at')
    .single();
  if (error?.code === '23505')
    throw new AppError(`${input.host} is already a connection`, {
      code: 'duplicate',
      cause: error,
    });
  if (error) raise(error);
  return row;
}

export function useAddConnection({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof addConnection>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: addConnection,
    onSuccess: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: connectionQueries.all(organisationId) });
      return onSuccess?.(...args);
    },
  });
}
