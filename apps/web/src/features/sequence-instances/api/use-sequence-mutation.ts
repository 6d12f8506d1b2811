import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { sequenceInstanceQueries } from './queries';

/**
 * A mutation that changes a restaurant's sequences: every cached sequence list refetches
 * when it settles. The page's onChanged refreshes the task lists.
 */
export function useSequenceMutation<TInput, TResult>(
  mutationFn: (input: TInput) => Promise<TResult>,
  organisationId: string,
  mutationConfig?: MutationConfig<(input: TInput) => Promise<TResult>>,
) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: mutationFn as (input: TInput) => Promise<Awaited<TResult>>,
    onSettled: (...args) => {
      void queryClient.invalidateQueries({
        queryKey: sequenceInstanceQueries.all(organisationId),
      });
      return onSettled?.(...args);
    },
  });
}
