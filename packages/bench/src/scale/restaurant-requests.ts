// Every request the Restaurants page makes (apps/web/src/features/restaurants/api/queries.ts),
// as the signed-in rep, with the page's arguments: 20 rows a page, newest first unless sorted
// by name, the count in the same call; the rep picker (the organisation's members) and the
// saved views menu.
import type { SupabaseClient } from '@supabase/supabase-js';
import { must, type ScaleContext, type ScaleRequest } from './requests.ts';

const PAGE_SIZE = 20;

function list(
  client: SupabaseClient,
  ctx: ScaleContext,
  args: Record<string, unknown> = {},
): PromiseLike<{ data: unknown; error: { message: string } | null }> {
  return client.rpc('list_restaurants', {
    p_organisation_id: ctx.organisationId,
    p_limit: PAGE_SIZE,
    ...args,
  });
}

const listRequest = (
  name: string,
  args: (ctx: ScaleContext) => Record<string, unknown>,
): ScaleRequest => ({
  name: `restaurants: ${name}`,
  run: async (client, ctx) => must(await list(client, ctx, args(ctx)), name),
});

export const restaurantRequests: ScaleRequest[] = [
  listRequest('page 1 (last updated)', () => ({})),
  listRequest('sort by name', () => ({ p_sort: 'name' })),
  listRequest('page 100', () => ({ p_offset: 99 * PAGE_SIZE })),
  listRequest('page 100 by name', () => ({ p_sort: 'name', p_offset: 99 * PAGE_SIZE })),
  listRequest('stage filter', () => ({ p_stage: 'contacted' })),
  listRequest('warmth filter', () => ({ p_warmth: 'hot' })),
  listRequest('warmth filter by name', () => ({ p_warmth: 'hot', p_sort: 'name' })),
  listRequest('rep filter', (ctx) => ({ p_rep: ctx.repUserId })),
  listRequest('unassigned', () => ({ p_unassigned: true })),
  listRequest('search, common word', (ctx) => ({ p_search: ctx.commonWord })),
  listRequest('search, common word by name', (ctx) => ({
    p_search: ctx.commonWord,
    p_sort: 'name',
  })),
  listRequest('search, rare word', (ctx) => ({ p_search: ctx.rareWord })),
  listRequest('search as typed (2 letters)', (ctx) => ({ p_search: ctx.commonWord.slice(0, 2) })),
  listRequest('stage + warmth + rep', (ctx) => ({
    p_stage: 'contacted',
    p_warmth: 'hot',
    p_rep: ctx.repUserId,
  })),
  {
    name: 'restaurants: rep picker (members)',
    run: async (client, ctx) =>
      must(
        await client
          .from('organisation_members')
          .select('role, user_id, profiles(full_name, email)')
          .eq('organisation_id', ctx.organisationId),
        'members',
      ),
  },
  {
    name: 'restaurants: saved views',
    run: async (client, ctx) =>
      must(
        await client
          .from('saved_views')
          .select('id, name, filters')
          .eq('organisation_id', ctx.organisationId)
          .eq('page', 'restaurants')
          .order('name'),
        'saved views',
      ),
  },
];
