import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// RLS on public.organisations and the create_organisation RPC, as real users.
// Denied UPDATE/DELETE match no rows rather than fail: re-read with the service role.

const fx = createFixtures('organisations');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;

beforeAll(async () => {
  ({ owner, admin, member, outsider } = await fx.users('owner', 'admin', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

async function readOrganisation(id: string) {
  const { data, error } = await service.from('organisations').select().eq('id', id).maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

const as = (who: 'owner' | 'admin' | 'member' | 'outsider'): TestUser =>
  ({ owner, admin, member, outsider })[who];

describe('creating organisations', () => {
  it('a signed-in user creates an organisation and becomes its owner', async () => {
    const founder = await fx.user('founder');
    const { data, error } = await founder.client.rpc('create_organisation', {
      p_name: '  Harbour Test Co  ',
    });
    expect(error).toBeNull();
    expect(data?.name).toBe('Harbour Test Co');

    const { data: membership } = await service
      .from('organisation_members')
      .select('user_id, role')
      .eq('organisation_id', data!.id);
    expect(membership).toEqual([{ user_id: founder.id, role: 'owner' }]);

    const visible = await founder.client.from('organisations').select('id, name');
    expect(visible.data).toEqual([{ id: data!.id, name: 'Harbour Test Co' }]);
  });

  it('a blank organisation name is refused', async () => {
    const { error } = await member.client.rpc('create_organisation', { p_name: '   ' });
    expect(error?.code).toBe('23514');
  });

  it('an organisation name over 100 characters is refused', async () => {
    const { error } = await member.client.rpc('create_organisation', { p_name: 'x'.repeat(101) });
    expect(error?.code).toBe('23514');
  });

  it.each(['owner', 'member', 'outsider'] as const)(
    '%s cannot insert an organisation directly',
    async (who) => {
      const name = `direct insert by ${who}`;
      const { error } = await as(who).client.from('organisations').insert({ name });
      expect(error?.code).toBe('42501');
      const { data } = await service.from('organisations').select('id').eq('name', name);
      expect(data).toEqual([]);
    },
  );

  it('anon cannot create an organisation', async () => {
    const rpc = await anonClient().rpc('create_organisation', { p_name: 'Anonymous Ltd' });
    expect(rpc.error?.code).toBe('42501');
    const insert = await anonClient().from('organisations').insert({ name: 'Anonymous Ltd' });
    expect(insert.error?.code).toBe('42501');
    const { data } = await service.from('organisations').select('id').eq('name', 'Anonymous Ltd');
    expect(data).toEqual([]);
  });
});

describe('reading organisations', () => {
  it.each(['owner', 'admin', 'member'] as const)('%s reads their organisation', async (who) => {
    const { data, error } = await as(who)
      .client.from('organisations')
      .select('id')
      .eq('id', organisationId);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: organisationId }]);
  });

  it('outsider cannot read another organisation', async () => {
    const { data, error } = await outsider.client
      .from('organisations')
      .select('id')
      .eq('id', organisationId);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon sees no organisations', async () => {
    const { data, error } = await anonClient().from('organisations').select('id');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});

describe('renaming organisations', () => {
  it.each(['owner', 'admin'] as const)('%s renames the organisation', async (who) => {
    const { data, error } = await as(who)
      .client.from('organisations')
      .update({ name: `Renamed by ${who}` })
      .eq('id', organisationId)
      .select('name')
      .single();
    expect(error).toBeNull();
    expect(data?.name).toBe(`Renamed by ${who}`);
  });

  it.each(['member', 'outsider'] as const)('%s cannot rename the organisation', async (who) => {
    const before = await readOrganisation(organisationId);
    const { data, error } = await as(who)
      .client.from('organisations')
      .update({ name: `Renamed by ${who}` })
      .eq('id', organisationId)
      .select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect((await readOrganisation(organisationId))?.name).toBe(before?.name);
  });

  it('anon cannot rename an organisation', async () => {
    const before = await readOrganisation(organisationId);
    await anonClient()
      .from('organisations')
      .update({ name: 'Renamed by anon' })
      .eq('id', organisationId);
    expect((await readOrganisation(organisationId))?.name).toBe(before?.name);
  });

  it('a name over 100 characters is refused', async () => {
    const { error } = await owner.client
      .from('organisations')
      .update({ name: 'x'.repeat(101) })
      .eq('id', organisationId);
    expect(error?.code).toBe('23514');
  });

  it('only the name can be changed through the API', async () => {
    const { error } = await owner.client
      .from('organisations')
      .update({ created_at: '2000-01-01T00:00:00Z' })
      .eq('id', organisationId);
    expect(error?.code).toBe('42501');
  });
});

describe('deleting organisations', () => {
  it('owner deletes the organisation with its memberships and restaurants', async () => {
    const doomed = await fx.organisation(owner, { members: [member] });
    await service
      .from('restaurants')
      .insert({ organisation_id: doomed, name: 'Closing Down Cafe' });

    const { error } = await owner.client.from('organisations').delete().eq('id', doomed);
    expect(error).toBeNull();
    expect(await readOrganisation(doomed)).toBeNull();
    const members = await service
      .from('organisation_members')
      .select('user_id')
      .eq('organisation_id', doomed);
    expect(members.data).toEqual([]);
    const restaurants = await service
      .from('restaurants')
      .select('id')
      .eq('organisation_id', doomed);
    expect(restaurants.data).toEqual([]);
  });

  it.each(['admin', 'member', 'outsider'] as const)(
    '%s cannot delete the organisation',
    async (who) => {
      const { error } = await as(who)
        .client.from('organisations')
        .delete()
        .eq('id', organisationId);
      expect(error).toBeNull();
      expect(await readOrganisation(organisationId)).not.toBeNull();
    },
  );

  it('anon cannot delete an organisation', async () => {
    await anonClient().from('organisations').delete().eq('id', organisationId);
    expect(await readOrganisation(organisationId)).not.toBeNull();
  });
});
