import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { patchListRows, snapshotQueries } from '@/lib/optimistic';
import { createTestQueryClient } from '@/testing/test-utils';
import { useOptimisticMutation, type OptimisticMutationConfig } from '../use-optimistic-mutation';

type Row = { id: string; done: boolean };
const listKey = ['orgs', 'o1', 'rows', 'list'] as const;

function setup(
  mutationFn: (input: { id: string }) => Promise<Row>,
  mutationConfig?: OptimisticMutationConfig<typeof mutationFn>,
) {
  const queryClient = createTestQueryClient();
  queryClient.setQueryData<Row[]>(listKey, [
    { id: 'a', done: false },
    { id: 'b', done: false },
  ]);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(
    () =>
      useOptimisticMutation({
        mutationFn,
        apply: async (client, { id }) => {
          const snapshot = await snapshotQueries(client, [listKey]);
          patchListRows<Row>(client, listKey, id, { done: true });
          return snapshot;
        },
        invalidate: () => [listKey],
        mutationConfig,
      }),
    { wrapper },
  );
  return { result, rows: () => queryClient.getQueryData<Row[]>(listKey) };
}

describe('useOptimisticMutation', () => {
  it("runs the caller's onMutate and onSuccess as well as its own", async () => {
    const onMutate = vi.fn();
    const onSuccess = vi.fn();
    const { result, rows } = setup(async ({ id }) => ({ id, done: true }), {
      onMutate,
      onSuccess,
    });
    await act(() => result.current.mutateAsync({ id: 'a' }));
    expect(onMutate).toHaveBeenCalledWith({ id: 'a' }, expect.anything());
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(rows()).toEqual([
      { id: 'a', done: true },
      { id: 'b', done: false },
    ]);
  });

  it('patches the row at once and puts it back when the server refuses', async () => {
    let refuse: (error: Error) => void = () => undefined;
    const onError = vi.fn();
    const { result, rows } = setup(
      () => new Promise<Row>((_resolve, reject) => (refuse = reject)),
      { onError },
    );
    act(() => result.current.mutate({ id: 'b' }));
    await waitFor(() => expect(rows()?.[1]?.done).toBe(true));
    act(() => refuse(new Error('no')));
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(rows()?.[1]?.done).toBe(false);
  });
});
