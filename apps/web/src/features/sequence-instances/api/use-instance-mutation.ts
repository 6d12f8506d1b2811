import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import {
  applyServerInstance,
  patchInstanceOptimistically,
  restoreInstances,
  type InstanceRow,
  type InstancesSnapshot,
} from './instance-cache';
import { sequenceInstanceQueries, type SequenceInstance } from './queries';

/**
 * The shared shape of pause, resume and cancel: the instance changes on screen at once, goes
 * back as it was if the server says no, and the lists refetch to pick up its tasks.
 */
export function useInstanceMutation<TInput extends { instanceId: string }>(
  mutationFn: (input: TInput) => Promise<InstanceRow>,
  optimisticPatch: () => Partial<SequenceInstance>,
  {
    organisationId,
    mutationConfig,
  }: {
    organisationId: string;
    mutationConfig?: MutationConfig<typeof mutationFn, { snapshot: InstancesSnapshot }>;
  },
) {
  const queryClient = useQueryClient();
  const { onError, onSuccess, onSettled, onMutate: _ignored, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn,
    onMutate: async ({ instanceId }: TInput) => ({
      snapshot: await patchInstanceOptimistically(
        queryClient,
        organisationId,
        instanceId,
        optimisticPatch(),
      ),
    }),
    onError: (error, variables, context, ...more) => {
      restoreInstances(queryClient, context?.snapshot);
      return onError?.(error, variables, context, ...more);
    },
    onSuccess: (row, ...args) => {
      applyServerInstance(queryClient, organisationId, row);
      return onSuccess?.(row, ...args);
    },
    onSettled: (...args) => {
      void queryClient.invalidateQueries({ queryKey: sequenceInstanceQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
