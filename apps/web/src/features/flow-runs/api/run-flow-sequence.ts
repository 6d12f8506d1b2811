import {
  runFlowSequenceBodySchema,
  type RunMode,
  type RunStatus,
} from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { flowRunQueries } from './queries';

/**
 * Starts a run of the saved sequence on the server (run-flow-sequence): 201 { run_id,
 * status }; 400 unresolved_parameters or invalid_sequence with details naming each problem.
 */
export async function runFlowSequence({
  sequenceId,
  mode,
}: {
  organisationId: string;
  sequenceId: string;
  mode: RunMode;
}) {
  const body = runFlowSequenceBodySchema.parse({ sequence_id: sequenceId, mode });
  return invokeFunction<{ run_id: string; status: RunStatus }>('run-flow-sequence', { body });
}

export function useRunFlowSequence({
  mutationConfig,
}: {
  mutationConfig?: MutationConfig<typeof runFlowSequence>;
} = {}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: runFlowSequence,
    onSuccess: async (result, variables, ...args) => {
      await queryClient.invalidateQueries({
        queryKey: flowRunQueries.lists(variables.organisationId, variables.sequenceId),
      });
      return onSuccess?.(result, variables, ...args);
    },
  });
}
