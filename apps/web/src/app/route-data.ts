import type { FetchQueryOptions, QueryClient } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';
import { organisationQueries } from '@/features/organisations/api/queries';
import { chooseOrganisation } from '@/features/organisations/hooks/use-current-organisation-choice';
import { readStoredOrganisationId } from '@/lib/organisation';
import { supabase } from '@/lib/supabase';

/** What a page will ask for, given the current organisation and user, the URL and its params. */
export type RouteData = (context: {
  organisationId: string;
  userId: string;
  params: LoaderFunctionArgs['params'];
  url: URL;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each query has its own data type
}) => Array<FetchQueryOptions<any, any, any, any>>;

/**
 * A route loader that starts the page's queries while its code loads (the route's `lazy`
 * import and this run side by side), so a page opens with its data instead of a row of
 * skeletons, one query after another. `load` imports the page's small data module, not the
 * page. Nothing here decides what is shown: a signed-out user, a user without an
 * organisation, or a query that fails all fall through to the page, which handles them as
 * before (a failed query is in the cache as an error, and the page offers to retry).
 */
export function loadRouteData(queryClient: QueryClient, load: () => Promise<RouteData>) {
  return async ({ params, request }: LoaderFunctionArgs) => {
    const [routeData, session] = await Promise.all([load(), supabase.auth.getSession()]);
    const userId = session.data.session?.user.id;
    if (!userId) return null;
    const memberships = await queryClient
      .ensureQueryData(organisationQueries.memberships(userId))
      .catch(() => []);
    const organisation = chooseOrganisation(memberships, readStoredOrganisationId(userId));
    if (!organisation) return null;
    const queries = routeData({
      organisationId: organisation.id,
      userId,
      params,
      url: new URL(request.url),
    });
    // No retries here: a failing query should not hold the page back; the page retries it.
    await Promise.allSettled(
      queries.map((query) => queryClient.ensureQueryData({ ...query, retry: false })),
    );
    return null;
  };
}
