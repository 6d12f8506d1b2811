import {
  useMutation,
  useQueryClient,
  type MutationFunctionContext,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { restoreSnapshot, type CacheSnapshot } from '@/lib/optimistic';
import type { MutationConfig } from '@/lib/react-query';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AsyncFn = (input: any) => Promise<unknown>;
type Input<Fn extends AsyncFn> = Parameters<Fn>[0];
type Result<Fn extends AsyncFn> = Awaited<ReturnType<Fn>>;

export type OptimisticContext = { snapshot: CacheSnapshot };

/**
 * What a caller may add to an optimistic mutation hook. Its `onMutate` runs before the
 * optimistic change (so it can't leave the cache half-patched by throwing); what it returns is
 * not the context, which belongs to the rollback.
 */
export type OptimisticMutationConfig<Fn extends AsyncFn> = Omit<
  MutationConfig<Fn, OptimisticContext>,
  'onMutate'
> & {
  onMutate?: (variables: Input<Fn>, context: MutationFunctionContext) => unknown;
};

/**
 * The one shape of every optimistic mutation: `apply` changes the cache at once and returns
 * what was there (see lib/optimistic.ts), an error puts it back, `onServerResult` keeps the
 * server's answer until the refetch, and `invalidate` lists what to refetch once settled.
 * The caller's own callbacks all run too.
 */
export function useOptimisticMutation<Fn extends AsyncFn>({
  mutationFn,
  apply,
  onServerResult,
  invalidate,
  mutationConfig,
}: {
  mutationFn: Fn;
  apply: (queryClient: QueryClient, variables: Input<Fn>) => Promise<CacheSnapshot>;
  onServerResult?: (queryClient: QueryClient, result: Result<Fn>, variables: Input<Fn>) => void;
  invalidate: (variables: Input<Fn>) => QueryKey[];
  mutationConfig?: OptimisticMutationConfig<Fn>;
}) {
  const queryClient = useQueryClient();
  const { onMutate, onError, onSuccess, onSettled, ...rest } = mutationConfig ?? {};
  return useMutation<Result<Fn>, Error, Input<Fn>, OptimisticContext>({
    ...rest,
    mutationFn: mutationFn as (input: Input<Fn>) => Promise<Result<Fn>>,
    onMutate: async (variables, context) => {
      await onMutate?.(variables, context);
      return { snapshot: await apply(queryClient, variables) };
    },
    onError: (error, variables, onMutateResult, context) => {
      restoreSnapshot(queryClient, onMutateResult?.snapshot);
      return onError?.(error, variables, onMutateResult, context);
    },
    onSuccess: (result, variables, onMutateResult, context) => {
      onServerResult?.(queryClient, result, variables);
      return onSuccess?.(result, variables, onMutateResult, context);
    },
    onSettled: (result, error, variables, onMutateResult, context) => {
      // Not awaited: the optimistic change is already on screen, the refetch needn't hold
      // the mutation pending.
      for (const queryKey of invalidate(variables)) {
        void queryClient.invalidateQueries({ queryKey });
      }
      return onSettled?.(result, error, variables, onMutateResult, context);
    },
  });
}
