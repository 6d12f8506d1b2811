import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestQueryClient, postgrestResponse, testOrganisation } from '@/testing/test-utils';
import { sequenceTemplateQueries, type SequenceTemplateListItem } from '../queries';
import { useSetSequenceTemplateActive } from '../set-sequence-template-active';

const orgId = testOrganisation.id;
const id = '30000000-0000-4000-8000-000000000001';

const template: SequenceTemplateListItem = {
  id,
  organisation_id: orgId,
  name: 'Demo Follow-up',
  description: null,
  tags: ['demo'],
  is_active: true,
  usage_count: 3,
  start_delay_value: 0,
  start_delay_unit: 'days',
  exit_stages: [],
  metadata: {},
  created_by: null,
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
  step_count: 7,
};
const list = [template, { ...template, id: '30000000-0000-4000-8000-000000000002', name: 'Other' }];

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const queryClient = createTestQueryClient();
  const listKey = sequenceTemplateQueries.list(orgId).queryKey;
  queryClient.setQueryData(listKey, list);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(() => useSetSequenceTemplateActive({ organisationId: orgId }), {
    wrapper,
  });
  return { result, cached: () => queryClient.getQueryData<SequenceTemplateListItem[]>(listKey) };
}

describe('switching a sequence template off', () => {
  it('shows it off at once and switches it back when the server refuses', async () => {
    let answer: (response: Response) => void = () => undefined;
    fetchMock.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    // The refetch after settling.
    fetchMock.mockImplementation(async () => postgrestResponse([]));
    const { result, cached } = setup();

    act(() => result.current.mutate({ organisationId: orgId, id, is_active: false }));
    await waitFor(() => expect(cached()?.[0]?.is_active).toBe(false));
    expect(cached()?.[1]?.is_active).toBe(true);

    answer(postgrestResponse({ code: '42501', message: 'permission denied' }, { status: 403 }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe(
      "You don't have permission to do that in this organisation.",
    );
    expect(cached()?.[0]?.is_active).toBe(true);
  });

  it('is an error when RLS hid the row (nothing was updated)', async () => {
    fetchMock.mockResolvedValueOnce(postgrestResponse([]));
    const { result, cached } = setup();
    act(() => result.current.mutate({ organisationId: orgId, id, is_active: false }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toMatch(/Only the person who created this sequence/);
    expect(cached()?.[0]?.is_active).toBe(true);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(init?.method).toBe('PATCH');
    expect(JSON.parse(String(init?.body))).toEqual({ is_active: false });
    expect(new URL(String(url)).searchParams.get('id')).toBe(`eq.${id}`);
  });
});
