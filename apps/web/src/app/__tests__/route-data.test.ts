import { queryOptions } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { organisationQueries } from '@/features/organisations/api/queries';
import { createTestQueryClient, testOrganisation } from '@/testing/test-utils';
import { loadRouteData } from '../route-data';

const session = vi.hoisted(() => ({ current: null as { user: { id: string } } | null }));
vi.mock('@/lib/supabase', () => ({
  supabase: { auth: { getSession: async () => ({ data: { session: session.current } }) } },
}));

const userId = '10000000-0000-4000-8000-000000000001';
const args = (url: string, params: Record<string, string> = {}) =>
  ({ request: new Request(url), params }) as unknown as LoaderFunctionArgs;

beforeEach(() => {
  session.current = { user: { id: userId } };
  localStorage.clear();
});

describe('loadRouteData', () => {
  it("starts the page's queries for the current organisation before the page renders", async () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(organisationQueries.memberships(userId).queryKey, [testOrganisation]);
    const queryFn = vi.fn(async () => 'the job');
    const loader = loadRouteData(queryClient, async () => ({ organisationId, params, url }) => [
      queryOptions({
        queryKey: ['orgs', organisationId, 'jobs', params.jobId, url.searchParams.get('tab')],
        queryFn,
      }),
    ]);

    await loader(args('http://app.test/jobs/j1?tab=steps', { jobId: 'j1' }));

    expect(queryFn).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(['orgs', testOrganisation.id, 'jobs', 'j1', 'steps'])).toBe(
      'the job',
    );
  });

  it('leaves a failing query to the page instead of failing the navigation', async () => {
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(organisationQueries.memberships(userId).queryKey, [testOrganisation]);
    const loader = loadRouteData(queryClient, async () => () => [
      queryOptions({
        queryKey: ['orgs', 'x', 'broken'],
        queryFn: async (): Promise<string> => {
          throw new Error('down');
        },
      }),
    ]);
    await expect(loader(args('http://app.test/broken'))).resolves.toBeNull();
    expect(queryClient.getQueryState(['orgs', 'x', 'broken'])?.status).toBe('error');
  });

  it('fetches nothing for a signed-out visitor', async () => {
    session.current = null;
    const queryClient = createTestQueryClient();
    const routeData = vi.fn(() => []);
    await loadRouteData(queryClient, async () => routeData)(args('http://app.test/tasks'));
    expect(routeData).not.toHaveBeenCalled();
  });
});
