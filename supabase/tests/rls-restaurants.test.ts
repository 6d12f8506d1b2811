import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// RLS on public.restaurants, as real users through PostgREST. A denied UPDATE or DELETE
// is not an error under RLS, it just matches no rows: those cases re-read the row with
// the service role and assert it is unchanged.

const fx = createFixtures('restaurants');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;

beforeAll(async () => {
  ({ owner, admin, member, outsider } = await fx.users('owner', 'admin', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

/** A restaurant written by the service role, so setup never depends on the policy under test. */
async function seedRestaurant(
  values: { name?: string; organisation_id?: string; notes?: string; cuisine?: string } = {},
) {
  const { data, error } = await service
    .from('restaurants')
    .insert({ organisation_id: organisationId, name: 'Seeded Bistro', ...values })
    .select()
    .single();
  if (error) throw new Error(`seed restaurant: ${error.message}`);
  return data;
}

async function readRestaurant(id: string) {
  const { data, error } = await service.from('restaurants').select().eq('id', id).maybeSingle();
  if (error) throw new Error(`read restaurant: ${error.message}`);
  return data;
}

const as = (who: 'owner' | 'admin' | 'member' | 'outsider'): TestUser =>
  ({ owner, admin, member, outsider })[who];

describe('reading restaurants', () => {
  it.each(['owner', 'member'] as const)("%s reads the organisation's restaurants", async (who) => {
    const restaurant = await seedRestaurant({ name: `Visible to ${who}` });
    const { data, error } = await as(who)
      .client.from('restaurants')
      .select('id, name')
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: restaurant.id, name: `Visible to ${who}` }]);
  });

  it("outsider cannot read another organisation's restaurants", async () => {
    const restaurant = await seedRestaurant();
    const { data, error } = await outsider.client
      .from('restaurants')
      .select('id')
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect(data).toEqual([]);

    const all = await outsider.client.from('restaurants').select('organisation_id');
    expect(all.data?.every((r) => r.organisation_id === otherOrganisationId)).toBe(true);
  });

  it('anon sees no restaurants', async () => {
    await seedRestaurant();
    const { data, error } = await anonClient().from('restaurants').select('id');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});

describe('adding restaurants', () => {
  it.each(['owner', 'member'] as const)(
    '%s adds a restaurant to their organisation',
    async (who) => {
      const user = as(who);
      const { data, error } = await user.client
        .from('restaurants')
        .insert({ organisation_id: organisationId, name: `Added by ${who}`, city: 'Bristol' })
        .select()
        .single();
      expect(error).toBeNull();
      expect(data).toMatchObject({
        organisation_id: organisationId,
        name: `Added by ${who}`,
        lead_stage: 'new',
        lead_warmth: 'cold',
        lead_status: 'active',
        metadata: {},
        created_by: user.id,
      });
    },
  );

  it("a restaurant cannot be inserted with another organisation's id", async () => {
    const { data, error } = await member.client
      .from('restaurants')
      .insert({ organisation_id: otherOrganisationId, name: 'Sneaky Diner' })
      .select();
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');

    const { data: rows } = await service
      .from('restaurants')
      .select('id')
      .eq('name', 'Sneaky Diner');
    expect(rows).toEqual([]);
  });

  it('outsider cannot add a restaurant to the first organisation', async () => {
    const { error } = await outsider.client
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: 'Outsider Grill' });
    expect(error?.code).toBe('42501');
    const { data: rows } = await service
      .from('restaurants')
      .select('id')
      .eq('name', 'Outsider Grill');
    expect(rows).toEqual([]);
  });

  it('anon cannot add a restaurant', async () => {
    const { error } = await anonClient()
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: 'Anonymous Eats' });
    expect(error?.code).toBe('42501');
    const { data: rows } = await service
      .from('restaurants')
      .select('id')
      .eq('name', 'Anonymous Eats');
    expect(rows).toEqual([]);
  });

  it("a member cannot add a restaurant in someone else's name", async () => {
    const { error } = await member.client
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: 'Ghost Written', created_by: owner.id });
    expect(error?.code).toBe('42501');
  });
});

describe('changing restaurants', () => {
  it.each(['owner', 'member'] as const)(
    '%s updates a restaurant of their organisation',
    async (who) => {
      const restaurant = await seedRestaurant();
      const { data, error } = await as(who)
        .client.from('restaurants')
        .update({ lead_stage: 'contacted', lead_warmth: 'hot', notes: `called by ${who}` })
        .eq('id', restaurant.id)
        .select()
        .single();
      expect(error).toBeNull();
      expect(data).toMatchObject({
        lead_stage: 'contacted',
        lead_warmth: 'hot',
        notes: `called by ${who}`,
      });
      expect(new Date(data!.updated_at).getTime()).toBeGreaterThan(
        new Date(restaurant.updated_at).getTime(),
      );
    },
  );

  it("outsider cannot update the first organisation's restaurants", async () => {
    const restaurant = await seedRestaurant({ name: 'Untouched' });
    const { data, error } = await outsider.client
      .from('restaurants')
      .update({ name: 'Defaced' })
      .eq('id', restaurant.id)
      .select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect((await readRestaurant(restaurant.id))?.name).toBe('Untouched');
  });

  it('anon cannot update restaurants', async () => {
    const restaurant = await seedRestaurant({ name: 'Untouched' });
    await anonClient().from('restaurants').update({ name: 'Defaced' }).eq('id', restaurant.id);
    expect((await readRestaurant(restaurant.id))?.name).toBe('Untouched');
  });

  it('moving a restaurant to another organisation is refused', async () => {
    // A member of both organisations, so only the move itself is at stake.
    const both = await fx.user('both');
    await fx.addMember(owner, organisationId, both, 'member');
    await fx.addMember(outsider, otherOrganisationId, both, 'member');
    const restaurant = await seedRestaurant();

    const { error } = await both.client
      .from('restaurants')
      .update({ organisation_id: otherOrganisationId })
      .eq('id', restaurant.id);
    expect(error?.code).toBe('23514');
    expect(error?.message).toBe('a restaurant cannot be moved to another organisation');
    expect((await readRestaurant(restaurant.id))?.organisation_id).toBe(organisationId);
  });

  it('sending the unchanged organisation id with an update is fine', async () => {
    const restaurant = await seedRestaurant();
    const { error } = await member.client
      .from('restaurants')
      .update({ organisation_id: organisationId, city: 'Bath' })
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect((await readRestaurant(restaurant.id))?.city).toBe('Bath');
  });
});

// Deleting goes through move_to_trash (supabase/tests/trash.test.ts): no DELETE for anyone.
describe('deleting restaurants', () => {
  it.each(['owner', 'member'] as const)(
    '%s cannot DELETE a restaurant through the API (move_to_trash instead)',
    async (who) => {
      const restaurant = await seedRestaurant();
      const { error } = await as(who).client.from('restaurants').delete().eq('id', restaurant.id);
      expect(error?.code).toBe('42501');
      expect(await readRestaurant(restaurant.id)).not.toBeNull();
    },
  );

  it("outsider cannot delete the first organisation's restaurants", async () => {
    const restaurant = await seedRestaurant();
    const { error } = await outsider.client.from('restaurants').delete().eq('id', restaurant.id);
    expect(error?.code).toBe('42501');
    expect(await readRestaurant(restaurant.id)).not.toBeNull();
  });

  it('anon cannot delete restaurants', async () => {
    const restaurant = await seedRestaurant();
    await anonClient().from('restaurants').delete().eq('id', restaurant.id);
    expect(await readRestaurant(restaurant.id)).not.toBeNull();
  });
});

describe('assigned sales rep', () => {
  it('a member of the organisation can be assigned as sales rep', async () => {
    const restaurant = await seedRestaurant();
    const { error } = await owner.client
      .from('restaurants')
      .update({ assigned_sales_rep: member.id })
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect((await readRestaurant(restaurant.id))?.assigned_sales_rep).toBe(member.id);
  });

  it('assigned_sales_rep outside the organisation is refused', async () => {
    const restaurant = await seedRestaurant();
    const update = await owner.client
      .from('restaurants')
      .update({ assigned_sales_rep: outsider.id })
      .eq('id', restaurant.id);
    expect(update.error?.code).toBe('23503');
    expect(update.error?.message).toContain('restaurants_assigned_sales_rep_member_fkey');
    expect((await readRestaurant(restaurant.id))?.assigned_sales_rep).toBeNull();

    const insert = await member.client.from('restaurants').insert({
      organisation_id: organisationId,
      name: 'Wrong Rep',
      assigned_sales_rep: outsider.id,
    });
    expect(insert.error?.code).toBe('23503');
  });

  it('a rep who leaves the organisation is unassigned from its restaurants', async () => {
    const leaver = await fx.user('leaver');
    await fx.addMember(owner, organisationId, leaver, 'member');
    const restaurant = await seedRestaurant();
    await service
      .from('restaurants')
      .update({ assigned_sales_rep: leaver.id })
      .eq('id', restaurant.id);

    const { error } = await leaver.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisationId)
      .eq('user_id', leaver.id);
    expect(error).toBeNull();
    expect((await readRestaurant(restaurant.id))?.assigned_sales_rep).toBeNull();
  });
});

describe('restaurant rules', () => {
  it('metadata must be a JSON object', async () => {
    const { error } = await member.client.from('restaurants').insert({
      organisation_id: organisationId,
      name: 'Array Meta',
      metadata: ['not', 'an', 'object'],
    });
    expect(error?.code).toBe('23514');
    expect(error?.message).toContain('restaurants_metadata_is_object');
  });

  it('an unknown lead stage is refused', async () => {
    const { error } = await member.client
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: 'Odd Stage', lead_stage: 'maybe' });
    expect(error?.code).toBe('23514');
  });

  it('a blank name is refused', async () => {
    const { error } = await member.client
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: '   ' });
    expect(error?.code).toBe('23514');
  });
});

describe('full-text search', () => {
  let searchOwner: TestUser;

  beforeAll(async () => {
    // An organisation of its own, so other tests' restaurants cannot change the results.
    searchOwner = await fx.user('searcher');
    const searchOrganisationId = await fx.organisation(searchOwner);
    const { error } = await service.from('restaurants').insert([
      {
        organisation_id: searchOrganisationId,
        name: 'Napoli Pizza House',
        cuisine: 'Italian',
        city: 'Bristol',
      },
      {
        organisation_id: searchOrganisationId,
        name: 'Curry Club',
        cuisine: 'Indian',
        notes: 'Also bakes pizza on Fridays',
      },
      {
        organisation_id: searchOrganisationId,
        name: 'Sushi Corner',
        cuisine: 'Japanese',
        city: 'Bath',
      },
      { organisation_id: otherOrganisationId, name: 'Pizza North', cuisine: 'Italian' },
    ]);
    if (error) throw new Error(error.message);
  });

  const search = (user: TestUser, query: string) =>
    user.client
      .from('restaurants')
      .select('name')
      .textSearch('search', query, { config: 'simple', type: 'websearch' })
      .order('name');

  it('full-text search finds restaurants by name, cuisine, city and notes', async () => {
    const pizza = await search(searchOwner, 'pizza');
    expect(pizza.error).toBeNull();
    expect(pizza.data?.map((r) => r.name)).toEqual(['Curry Club', 'Napoli Pizza House']);

    expect((await search(searchOwner, 'japanese')).data?.map((r) => r.name)).toEqual([
      'Sushi Corner',
    ]);
    expect((await search(searchOwner, 'bath')).data?.map((r) => r.name)).toEqual(['Sushi Corner']);
    expect((await search(searchOwner, 'pizza -curry')).data?.map((r) => r.name)).toEqual([
      'Napoli Pizza House',
    ]);
  });

  it("search never returns another organisation's restaurants", async () => {
    expect((await search(searchOwner, 'pizza')).data?.map((r) => r.name)).not.toContain(
      'Pizza North',
    );
    expect((await search(outsider, 'pizza')).data?.map((r) => r.name)).toEqual(['Pizza North']);
    expect((await search(member, 'pizza')).data).toEqual([]);
  });

  it('anon finds nothing', async () => {
    const { data } = await anonClient()
      .from('restaurants')
      .select('name')
      .textSearch('search', 'pizza', { config: 'simple', type: 'websearch' });
    expect(data).toEqual([]);
  });
});
