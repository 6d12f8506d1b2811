import { runActionBodySchema, type RunActionBody } from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { flowRunQueries } from './queries';

/**
 * A debug control (flow-run-action): continue to the next flow, re-run the paused one (with
 * edited inputs on top of the last attempt's), or stop. 409 run_changed when the run is no
 * longer where the page saw it (a teammate acted, or a flow ended meanwhile).
 */
export async function flowRunAction({ body }: { organisationId: string; body: RunActionBody }) {
  return invokeFunction<unknown>('flow-run-action', { body: runActionBodySchema.parse(body) });
}

export function useFlowRunAction({
  mutationConfig,
}: {
  mutationConfig?: MutationConfig<typeof flowRunAction>;
} = {}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: flowRunAction,
    // Whatever happened (a 409 included), the page shows the run as it is now.
    onSettled: async (data, error, variables, ...args) => {
      await queryClient.invalidateQueries({
        queryKey: flowRunQueries.detail(variables.organisationId, variables.body.run_id).queryKey,
      });
      await queryClient.invalidateQueries({
        queryKey: flowRunQueries.all(variables.organisationId),
      });
      return onSettled?.(data, error, variables, ...args);
    },
  });
}
