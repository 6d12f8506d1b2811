import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, createFixtures, type Role, type TestUser } from './support/users.ts';

// RLS on public.profiles and public.organisation_members and the membership invariants (no
// self-promotion, the last owner stays). Denied UPDATE/DELETE match no rows rather than fail:
// re-read with the service role.

const fx = createFixtures('members');
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

async function readProfile(id: string) {
  const { data, error } = await service.from('profiles').select().eq('id', id).maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

async function roleOf(organisation: string, user: TestUser): Promise<Role | null> {
  const { data, error } = await service
    .from('organisation_members')
    .select('role')
    .eq('organisation_id', organisation)
    .eq('user_id', user.id)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return (data?.role as Role | undefined) ?? null;
}

/** A fresh organisation for tests that change memberships: owner, admin and member. */
const team = () => fx.organisation(owner, { admins: [admin], members: [member] });

const as = (who: 'owner' | 'admin' | 'member' | 'outsider'): TestUser =>
  ({ owner, admin, member, outsider })[who];

describe('profiles', () => {
  it('sign-up creates a profile with the full name from the user metadata', async () => {
    const user = await fx.user('named', { fullName: 'Nadia Named' });
    expect(await readProfile(user.id)).toMatchObject({
      id: user.id,
      email: user.email,
      full_name: 'Nadia Named',
    });
  });

  it('without a full name the profile takes the local part of the email', async () => {
    const user = await fx.user('unnamed', { fullName: null });
    expect((await readProfile(user.id))?.full_name).toBe(user.email.split('@')[0]);
  });

  it('a user reads their own profile even before joining an organisation', async () => {
    const loner = await fx.user('loner');
    const { data, error } = await loner.client.from('profiles').select('id, email');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: loner.id, email: loner.email }]);
  });

  it.each(['owner', 'member'] as const)(
    '%s reads the profiles of people in their organisation',
    async (who) => {
      const { data, error } = await as(who)
        .client.from('profiles')
        .select('id')
        .in('id', [owner.id, admin.id, member.id]);
      expect(error).toBeNull();
      expect(data?.map((p) => p.id).sort()).toEqual([owner.id, admin.id, member.id].sort());
    },
  );

  it('outsider cannot read the profiles of another organisation', async () => {
    const { data, error } = await outsider.client
      .from('profiles')
      .select('id')
      .in('id', [owner.id, member.id]);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon cannot read profiles', async () => {
    const { data, error } = await anonClient().from('profiles').select('id');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('a user updates their own full name and avatar', async () => {
    const { error } = await member.client
      .from('profiles')
      .update({ full_name: 'Mia Member', avatar_url: 'https://example.test/mia.png' })
      .eq('id', member.id);
    expect(error).toBeNull();
    expect(await readProfile(member.id)).toMatchObject({
      full_name: 'Mia Member',
      avatar_url: 'https://example.test/mia.png',
    });
  });

  it('a user cannot change their own email in the profile', async () => {
    const { error } = await member.client
      .from('profiles')
      .update({ email: 'spoof@forkflow.test' })
      .eq('id', member.id);
    expect(error?.code).toBe('42501');
    expect((await readProfile(member.id))?.email).toBe(member.email);
  });

  it.each(['member', 'outsider'] as const)(
    "%s cannot update someone else's profile",
    async (who) => {
      const before = await readProfile(owner.id);
      const { data, error } = await as(who)
        .client.from('profiles')
        .update({ full_name: 'Hijacked' })
        .eq('id', owner.id)
        .select();
      expect(error).toBeNull();
      expect(data).toEqual([]);
      expect((await readProfile(owner.id))?.full_name).toBe(before?.full_name);
    },
  );

  it('anon cannot update profiles', async () => {
    const before = await readProfile(owner.id);
    await anonClient().from('profiles').update({ full_name: 'Hijacked' }).eq('id', owner.id);
    expect((await readProfile(owner.id))?.full_name).toBe(before?.full_name);
  });

  it('nobody inserts or deletes profiles through the API', async () => {
    const insert = await member.client
      .from('profiles')
      .insert({ id: member.id, email: member.email });
    expect(insert.error?.code).toBe('42501');

    const remove = await member.client.from('profiles').delete().eq('id', member.id);
    expect(remove.error?.code).toBe('42501');
    expect(await readProfile(member.id)).not.toBeNull();
  });
});

describe('reading memberships', () => {
  it.each(['owner', 'member'] as const)(
    '%s lists the members of their organisation',
    async (who) => {
      const { data, error } = await as(who)
        .client.from('organisation_members')
        .select('user_id, role')
        .eq('organisation_id', organisationId)
        .order('role');
      expect(error).toBeNull();
      expect(data).toEqual([
        { user_id: admin.id, role: 'admin' },
        { user_id: member.id, role: 'member' },
        { user_id: owner.id, role: 'owner' },
      ]);
    },
  );

  it('outsider cannot list the members of another organisation', async () => {
    const { data, error } = await outsider.client
      .from('organisation_members')
      .select('user_id')
      .eq('organisation_id', organisationId);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon cannot list members', async () => {
    const { data, error } = await anonClient().from('organisation_members').select('user_id');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});

// Members join only by accepting an invitation (invitations.test.ts): no API role inserts a
// membership row, which is how a stranger once put a user into their organisation.
describe('inserting memberships directly', () => {
  it('owner cannot insert a membership row directly', async () => {
    const organisation = await team();
    const { error } = await owner.client
      .from('organisation_members')
      .insert({ organisation_id: organisation, user_id: outsider.id, role: 'member' });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, outsider)).toBeNull();
  });

  it('admin cannot insert an owner row directly', async () => {
    const organisation = await team();
    const { error } = await admin.client
      .from('organisation_members')
      .insert({ organisation_id: organisation, user_id: outsider.id, role: 'owner' });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, outsider)).toBeNull();
  });

  it('member cannot insert a membership row directly', async () => {
    const organisation = await team();
    const { error } = await member.client
      .from('organisation_members')
      .insert({ organisation_id: organisation, user_id: outsider.id, role: 'member' });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, outsider)).toBeNull();
  });

  it('outsider cannot add themselves to an organisation', async () => {
    const { error } = await outsider.client
      .from('organisation_members')
      .insert({ organisation_id: organisationId, user_id: outsider.id, role: 'owner' });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisationId, outsider)).toBeNull();
  });
});

describe('changing roles', () => {
  it('owner promotes a member to admin', async () => {
    const organisation = await team();
    const { error } = await owner.client
      .from('organisation_members')
      .update({ role: 'admin' })
      .eq('organisation_id', organisation)
      .eq('user_id', member.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, member)).toBe('admin');
  });

  it('admin demotes another admin to member', async () => {
    const organisation = await team();
    const second = await fx.user('second-admin');
    await fx.addMember(owner, organisation, second, 'admin');
    const { error } = await admin.client
      .from('organisation_members')
      .update({ role: 'member' })
      .eq('organisation_id', organisation)
      .eq('user_id', second.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, second)).toBe('member');
  });

  it.each(['member', 'admin'] as const)('%s cannot promote themselves to owner', async (who) => {
    const organisation = await team();
    const { data, error } = await as(who)
      .client.from('organisation_members')
      .update({ role: 'owner' })
      .eq('organisation_id', organisation)
      .eq('user_id', as(who).id)
      .select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect(await roleOf(organisation, as(who))).toBe(who);
  });

  it('admin cannot make a member an owner', async () => {
    const organisation = await team();
    const { error } = await admin.client
      .from('organisation_members')
      .update({ role: 'owner' })
      .eq('organisation_id', organisation)
      .eq('user_id', member.id);
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, member)).toBe('member');
  });

  it('admin cannot demote an owner', async () => {
    const organisation = await team();
    await admin.client
      .from('organisation_members')
      .update({ role: 'member' })
      .eq('organisation_id', organisation)
      .eq('user_id', owner.id);
    expect(await roleOf(organisation, owner)).toBe('owner');
  });

  it("member cannot change someone else's role", async () => {
    const organisation = await team();
    await member.client
      .from('organisation_members')
      .update({ role: 'member' })
      .eq('organisation_id', organisation)
      .eq('user_id', admin.id);
    expect(await roleOf(organisation, admin)).toBe('admin');
  });

  it('outsider cannot change roles in another organisation', async () => {
    await outsider.client
      .from('organisation_members')
      .update({ role: 'owner' })
      .eq('organisation_id', organisationId)
      .eq('user_id', member.id);
    expect(await roleOf(organisationId, member)).toBe('member');
  });

  it('anon cannot change roles', async () => {
    await anonClient()
      .from('organisation_members')
      .update({ role: 'owner' })
      .eq('organisation_id', organisationId)
      .eq('user_id', member.id);
    expect(await roleOf(organisationId, member)).toBe('member');
  });

  it('the last owner cannot be demoted, even by the service role', async () => {
    const organisation = await team();
    const { error } = await service
      .from('organisation_members')
      .update({ role: 'admin' })
      .eq('organisation_id', organisation)
      .eq('user_id', owner.id);
    expect(error?.code).toBe('23514');
    expect(error?.message).toBe('an organisation must keep at least one owner');
    expect(await roleOf(organisation, owner)).toBe('owner');
  });

  it('a membership cannot be moved to another organisation', async () => {
    const [from, to] = await Promise.all([team(), team()]);
    const mover = await fx.user('mover');
    await fx.addMember(owner, from, mover, 'member');

    // Through the API only the role column is writable at all ...
    const api = await owner.client
      .from('organisation_members')
      .update({ organisation_id: to })
      .eq('organisation_id', from)
      .eq('user_id', mover.id);
    expect(api.error?.code).toBe('42501');

    // ... and the database refuses the move whoever asks.
    const direct = await service
      .from('organisation_members')
      .update({ organisation_id: to })
      .eq('organisation_id', from)
      .eq('user_id', mover.id);
    expect(direct.error?.code).toBe('23514');
    expect(await roleOf(from, mover)).toBe('member');
    expect(await roleOf(to, mover)).toBeNull();
  });
});

describe('removing members', () => {
  it('admin removes a member', async () => {
    const organisation = await team();
    const { error } = await admin.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', member.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, member)).toBeNull();
  });

  it('member leaves an organisation', async () => {
    const organisation = await team();
    const { error } = await member.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', member.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, member)).toBeNull();
    const visible = await member.client.from('organisations').select('id').eq('id', organisation);
    expect(visible.data).toEqual([]);
  });

  it('last owner cannot leave', async () => {
    const organisation = await team();
    const { error } = await owner.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', owner.id);
    expect(error?.code).toBe('23514');
    expect(error?.message).toBe('an organisation must keep at least one owner');
    expect(await roleOf(organisation, owner)).toBe('owner');
  });

  it('an owner leaves while another owner remains', async () => {
    const organisation = await team();
    const coOwner = await fx.user('co-owner');
    await fx.addMember(owner, organisation, coOwner, 'owner');
    const { error } = await owner.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', owner.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, owner)).toBeNull();
    expect(await roleOf(organisation, coOwner)).toBe('owner');
  });

  it('member cannot remove another member', async () => {
    const organisation = await team();
    const { error } = await member.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', admin.id);
    expect(error).toBeNull();
    expect(await roleOf(organisation, admin)).toBe('admin');
  });

  it('admin cannot remove an owner', async () => {
    const organisation = await team();
    await admin.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisation)
      .eq('user_id', owner.id);
    expect(await roleOf(organisation, owner)).toBe('owner');
  });

  it('outsider cannot remove members of another organisation', async () => {
    await outsider.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisationId)
      .eq('user_id', member.id);
    expect(await roleOf(organisationId, member)).toBe('member');
  });

  it('anon cannot remove members', async () => {
    await anonClient()
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisationId)
      .eq('user_id', member.id);
    expect(await roleOf(organisationId, member)).toBe('member');
  });
});
