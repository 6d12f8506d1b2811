import { QueryClient, type DefaultOptions, type UseMutationOptions } from '@tanstack/react-query';
import { isRetryable } from './errors';

export const queryConfig = {
  queries: {
    staleTime: 30_000,
    refetchOnWindowFocus: true,
    retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
  },
} satisfies DefaultOptions;

export function createQueryClient() {
  return new QueryClient({ defaultOptions: queryConfig });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AsyncFn = (...args: any[]) => Promise<unknown>;

export type ApiFnReturnType<Fn extends AsyncFn> = Awaited<ReturnType<Fn>>;

/** Options a caller may add to a feature's mutation hook (callbacks, meta…). */
export type MutationConfig<Fn extends AsyncFn, TContext = unknown> = Omit<
  UseMutationOptions<ApiFnReturnType<Fn>, Error, Parameters<Fn>[0], TContext>,
  'mutationFn'
>;
