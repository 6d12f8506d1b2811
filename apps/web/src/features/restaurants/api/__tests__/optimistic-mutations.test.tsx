import { emptyRestaurantFormValues } from '@forkflow/domain/restaurants';
import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganisationContext } from '@/lib/organisation';
import { createTestQueryClient, postgrestResponse, testOrganisation } from '@/testing/test-utils';
import { DeleteUndoneError, useDeleteRestaurant } from '../delete-restaurant';
import {
  parseRestaurantFilters,
  restaurantQueries,
  type RestaurantDetail,
  type RestaurantPage,
} from '../queries';
import { useUpdateRestaurant } from '../update-restaurant';

const orgId = testOrganisation.id;
const id = '20000000-0000-4000-8000-000000000003';

const detail: RestaurantDetail = {
  id,
  organisation_id: orgId,
  name: 'Spice Route',
  contact_name: 'Arjun Patel',
  contact_email: null,
  contact_phone: null,
  website: null,
  address: null,
  city: 'Cardiff',
  cuisine: 'Indian',
  lead_stage: 'qualified',
  lead_warmth: 'hot',
  lead_status: 'active',
  assigned_sales_rep: null,
  notes: null,
  metadata: {},
  created_by: null,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:00:00Z',
};

const page: RestaurantPage = {
  rows: [
    { ...detail },
    { ...detail, id: '20000000-0000-4000-8000-000000000004', name: 'Le Petit Bistro' },
  ],
  total: 2,
  estimated: false,
  page: 1,
  pageCount: 1,
};

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const queryClient = createTestQueryClient();
  const listKey = restaurantQueries.list(
    orgId,
    parseRestaurantFilters(new URLSearchParams()),
  ).queryKey;
  const detailKey = restaurantQueries.detail(orgId, id).queryKey;
  queryClient.setQueryData(listKey, page);
  queryClient.setQueryData(detailKey, detail);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <OrganisationContext value={testOrganisation}>{children}</OrganisationContext>
    </QueryClientProvider>
  );
  return {
    queryClient,
    wrapper,
    list: () => queryClient.getQueryData<RestaurantPage>(listKey),
    detail: () => queryClient.getQueryData<RestaurantDetail>(detailKey),
  };
}

/** A fetch that answers only when the test says so. */
function deferredFetch() {
  let answer: (response: Response) => void = () => undefined;
  fetchMock.mockImplementationOnce(() => new Promise<Response>((resolve) => (answer = resolve)));
  return (response: Response) => answer(response);
}

describe('updating a restaurant', () => {
  it('shows the edit at once and rolls it back when the server refuses', async () => {
    const { wrapper, list, detail: cached } = setup();
    const respond = deferredFetch();
    const { result } = renderHook(() => useUpdateRestaurant({ organisationId: orgId }), {
      wrapper,
    });

    act(() => {
      result.current.mutate({
        organisationId: orgId,
        id,
        data: { ...emptyRestaurantFormValues, name: 'Spice Route Canton', lead_stage: 'proposal' },
      });
    });

    await waitFor(() => expect(cached()?.name).toBe('Spice Route Canton'));
    expect(cached()?.lead_stage).toBe('proposal');
    expect(list()?.rows[0]?.name).toBe('Spice Route Canton');
    expect(list()?.rows[1]?.name).toBe('Le Petit Bistro');

    respond(
      postgrestResponse(
        {
          code: '42501',
          message: 'new row violates row-level security policy',
          details: null,
          hint: null,
        },
        { status: 403 },
      ),
    );

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toBe(
      "You don't have permission to do that in this organisation.",
    );
    expect(cached()).toEqual(detail);
    expect(list()).toEqual(page);
  });

  it('keeps what the server saved', async () => {
    const { wrapper, detail: cached } = setup();
    const saved = { ...detail, name: 'Spice Route Canton', updated_at: '2026-02-01T00:00:00Z' };
    fetchMock.mockResolvedValueOnce(postgrestResponse(saved));
    const { result } = renderHook(() => useUpdateRestaurant({ organisationId: orgId }), {
      wrapper,
    });

    act(() => {
      result.current.mutate({
        organisationId: orgId,
        id,
        data: { ...emptyRestaurantFormValues, name: 'Spice Route Canton' },
      });
    });

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(cached()).toEqual(saved);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(init?.method).toBe('PATCH');
    expect(new URL(String(url)).searchParams.get('organisation_id')).toBe(`eq.${orgId}`);
  });
});

describe('deleting a restaurant', () => {
  it('hides it at once, and Undo puts it back without sending anything', async () => {
    const { wrapper, list } = setup();
    const { result } = renderHook(() => useDeleteRestaurant({ organisationId: orgId }), {
      wrapper,
    });
    const undo = new AbortController();

    act(() => {
      result.current.mutate({ organisationId: orgId, id, name: 'Spice Route', undo: undo.signal });
    });
    await waitFor(() => expect(list()?.rows.map((row) => row.name)).toEqual(['Le Petit Bistro']));
    expect(list()?.total).toBe(1);

    act(() => undo.abort());

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(DeleteUndoneError);
    expect(list()).toEqual(page);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('moves it to the trash once the undo window has passed', async () => {
    const { wrapper, list, detail: cached } = setup();
    fetchMock.mockResolvedValueOnce(postgrestResponse([{ id }]));
    const { result } = renderHook(() => useDeleteRestaurant({ organisationId: orgId }), {
      wrapper,
    });

    act(() => {
      result.current.mutate({ organisationId: orgId, id, name: 'Spice Route', undoWindowMs: 20 });
    });

    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(url)).toContain('/rest/v1/rpc/move_to_trash');
    expect(JSON.parse(String(init?.body))).toEqual({ p_kind: 'restaurant', p_ids: [id] });
    expect(list()?.rows.map((row) => row.name)).toEqual(['Le Petit Bistro']);
    expect(cached()).toBeUndefined();
  });

  it('puts it back when nothing was deleted (not theirs to delete)', async () => {
    const { wrapper, list } = setup();
    fetchMock.mockResolvedValueOnce(postgrestResponse([]));
    const { result } = renderHook(() => useDeleteRestaurant({ organisationId: orgId }), {
      wrapper,
    });

    act(() => {
      result.current.mutate({ organisationId: orgId, id, name: 'Spice Route', undoWindowMs: 0 });
    });

    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.message).toMatch(/was not deleted/);
    expect(list()).toEqual(page);
  });
});
