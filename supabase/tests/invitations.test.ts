import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, createFixtures, type Role, type TestUser } from './support/users.ts';

// Members join only by consent (issue 10 §3): organisation_invitations (RLS per verb), the
// invite/accept/decline RPCs matched by the JWT's email, and remove_organisation_member's
// handover. Denied SELECT/DELETE match no rows rather than fail: re-read with the service role.

const fx = createFixtures('invites');
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

const as = (who: 'owner' | 'admin' | 'member' | 'outsider'): TestUser =>
  ({ owner, admin, member, outsider })[who];

/** A fresh organisation for tests that change memberships: owner, admin and member. */
const team = () => fx.organisation(owner, { admins: [admin], members: [member] });

async function invite(by: TestUser, organisation: string, email: string, role: Role = 'member') {
  const { data, error } = await by.client
    .rpc('invite_organisation_member', {
      p_organisation_id: organisation,
      p_email: email,
      p_role: role,
    })
    .single();
  if (error || !data) throw new Error(`invite failed: ${error?.message}`);
  return data;
}

async function invitationRow(id: string) {
  const { data, error } = await service
    .from('organisation_invitations')
    .select()
    .eq('id', id)
    .maybeSingle();
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

describe('inviting', () => {
  it.each([
    ['owner', 'member'],
    ['owner', 'admin'],
    ['owner', 'owner'],
    ['admin', 'member'],
    ['admin', 'admin'],
  ] as const)('%s invites an email as %s', async (who, role) => {
    const newcomer = await fx.user('newcomer');
    const { data, error } = await as(who)
      .client.rpc('invite_organisation_member', {
        p_organisation_id: organisationId,
        p_email: `  ${newcomer.email.toUpperCase()} `,
        p_role: role,
      })
      .single();
    expect(error).toBeNull();
    expect(data).toMatchObject({ email: newcomer.email, role });
    expect(data?.token).toMatch(/^[0-9a-f]{64}$/);
    // Stored hashed; the invitee is not a member until they accept.
    const row = await invitationRow(data!.id);
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.token_hash).not.toBe(data?.token);
    expect(await roleOf(organisationId, newcomer)).toBeNull();
  });

  it('the answer is the same whether or not the email has an account', async () => {
    const existing = await fx.user('existing');
    const known = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: existing.email,
    });
    const unknown = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: `nobody-${existing.id.slice(0, 8)}@forkflow.test`,
    });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(known.error).toBeNull();
    expect(unknown.error).toBeNull();
    expect(Object.keys(known.data![0]!).sort()).toEqual(Object.keys(unknown.data![0]!).sort());
  });

  it('inviting again renews the invitation with a new token', async () => {
    const again = await fx.user('again');
    const first = await invite(owner, organisationId, again.email, 'member');
    const second = await invite(owner, organisationId, again.email, 'admin');
    expect(second.id).toBe(first.id);
    expect(second.token).not.toBe(first.token);
    expect(second.role).toBe('admin');
  });

  it('admin cannot invite an owner', async () => {
    const { error } = await admin.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: 'would-be-owner@forkflow.test',
      p_role: 'owner',
    });
    expect(error?.code).toBe('42501');
  });

  it.each(['member', 'outsider'] as const)('%s cannot invite', async (who) => {
    const { error } = await as(who).client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: 'someone@forkflow.test',
    });
    expect(error?.code).toBe('42501');
  });

  it('anon cannot invite', async () => {
    const { error } = await anonClient().rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: 'someone@forkflow.test',
    });
    expect(error?.code).toBe('42501');
  });

  it('an unknown role and a malformed email are refused', async () => {
    const role = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: 'someone@forkflow.test',
      p_role: 'superuser',
    });
    expect(role.error?.code).toBe('22023');
    const email = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: 'not an email',
    });
    expect(email.error?.code).toBe('22023');
  });

  it('inviting someone who is already a member is refused', async () => {
    const { error } = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisationId,
      p_email: member.email,
    });
    expect(error?.code).toBe('23505');
  });

  it('an organisation holds at most 100 open invitations', async () => {
    const organisation = await fx.organisation(owner);
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const { error: seedError } = await service.from('organisation_invitations').insert(
      Array.from({ length: 100 }, (_, i) => ({
        organisation_id: organisation,
        email: `bulk-${i}@forkflow.test`,
        token_hash: `${organisation}-${i}`,
        expires_at: expires,
      })),
    );
    expect(seedError).toBeNull();
    const over = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisation,
      p_email: 'one-too-many@forkflow.test',
    });
    expect(over.status).toBe(409);
    expect(over.error?.code).toBe('too_many_invitations');
    // Renewing one of them is not a new one.
    const renew = await owner.client.rpc('invite_organisation_member', {
      p_organisation_id: organisation,
      p_email: 'bulk-0@forkflow.test',
    });
    expect(renew.error).toBeNull();
  });

  it('nobody inserts or updates invitations through the API', async () => {
    const insert = await owner.client.from('organisation_invitations').insert({
      organisation_id: organisationId,
      email: 'direct@forkflow.test',
      token_hash: 'x',
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(insert.error?.code).toBe('42501');
    const pending = await invite(owner, organisationId, 'update-me@forkflow.test');
    const update = await owner.client
      .from('organisation_invitations')
      .update({ role: 'owner' })
      .eq('id', pending.id);
    expect(update.error?.code).toBe('42501');
    expect((await invitationRow(pending.id))?.role).toBe('member');
  });
});

describe('reading and revoking invitations', () => {
  let pendingId: string;
  beforeAll(async () => {
    pendingId = (await invite(owner, organisationId, 'pending-reader@forkflow.test')).id;
  });

  it.each(['owner', 'admin'] as const)("%s lists the organisation's invitations", async (who) => {
    const { data, error } = await as(who)
      .client.from('organisation_invitations')
      .select('id, email, role, expires_at')
      .eq('id', pendingId);
    expect(error).toBeNull();
    expect(data).toEqual([
      expect.objectContaining({ id: pendingId, email: 'pending-reader@forkflow.test' }),
    ]);
  });

  it('the token hash is not readable through the API', async () => {
    const { error } = await owner.client.from('organisation_invitations').select('token_hash');
    expect(error?.code).toBe('42501');
  });

  it.each(['member', 'outsider'] as const)('%s cannot list invitations', async (who) => {
    const { data, error } = await as(who)
      .client.from('organisation_invitations')
      .select('id')
      .eq('id', pendingId);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon cannot list invitations', async () => {
    const { data, error } = await anonClient().from('organisation_invitations').select('id');
    expect(data ?? []).toEqual([]);
    expect(error === null || error.code === '42501').toBe(true);
  });

  it.each(['member', 'outsider'] as const)('%s cannot revoke an invitation', async (who) => {
    await as(who).client.from('organisation_invitations').delete().eq('id', pendingId);
    expect(await invitationRow(pendingId)).not.toBeNull();
  });

  it('anon cannot revoke an invitation', async () => {
    await anonClient().from('organisation_invitations').delete().eq('id', pendingId);
    expect(await invitationRow(pendingId)).not.toBeNull();
  });

  it('admin cannot revoke an invitation as owner', async () => {
    const ownerInvite = await invite(owner, organisationId, 'future-owner@forkflow.test', 'owner');
    await admin.client.from('organisation_invitations').delete().eq('id', ownerInvite.id);
    expect(await invitationRow(ownerInvite.id)).not.toBeNull();
  });

  it.each(['owner', 'admin'] as const)('%s revokes an invitation', async (who) => {
    const invitee = await fx.user('revoked');
    const pending = await invite(owner, organisationId, invitee.email);
    const { error } = await as(who)
      .client.from('organisation_invitations')
      .delete()
      .eq('id', pending.id);
    expect(error).toBeNull();
    expect(await invitationRow(pending.id)).toBeNull();
    const accept = await invitee.client.rpc('accept_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    expect(accept.status).toBe(404);
    expect(await roleOf(organisationId, invitee)).toBeNull();
  });
});

describe('answering an invitation', () => {
  it('the invitee sees it after signing in, accepts and becomes a member with that role', async () => {
    const organisation = await team();
    const invitee = await fx.user('invitee');
    const pending = await invite(admin, organisation, invitee.email, 'admin');

    const mine = await invitee.client.rpc('my_organisation_invitations');
    expect(mine.error).toBeNull();
    expect(mine.data).toEqual([
      expect.objectContaining({
        id: pending.id,
        organisation_id: organisation,
        role: 'admin',
        invited_by_email: admin.email,
      }),
    ]);

    const accepted = await invitee.client.rpc('accept_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    expect(accepted.error).toBeNull();
    expect(await roleOf(organisation, invitee)).toBe('admin');
    expect(await invitationRow(pending.id)).toBeNull();
    const visible = await invitee.client.from('organisations').select('id').eq('id', organisation);
    expect(visible.data).toEqual([{ id: organisation }]);
  });

  it('someone who signs up later with the invited email sees the invitation', async () => {
    const pending = await invite(owner, organisationId, `late-${Date.now()}@forkflow.test`);
    // fx.user makes its own address; sign up with the invited one instead.
    const { createTestClient } = await import('./support/env.ts');
    const client = createTestClient();
    const signUp = await client.auth.signUp({ email: pending.email, password: 'late-password-1' });
    expect(signUp.error).toBeNull();
    try {
      if (!signUp.data.session) {
        const signIn = await client.auth.signInWithPassword({
          email: pending.email,
          password: 'late-password-1',
        });
        expect(signIn.error).toBeNull();
      }
      const mine = await client.rpc('my_organisation_invitations');
      expect(mine.data?.map((i) => i.id)).toEqual([pending.id]);
    } finally {
      if (signUp.data.user) await service.auth.admin.deleteUser(signUp.data.user.id);
    }
  });

  it('the link token finds the invitation for the invited user only', async () => {
    const invitee = await fx.user('linked');
    const pending = await invite(owner, organisationId, invitee.email);
    const found = await invitee.client
      .rpc('organisation_invitation_by_token', { p_token: pending.token })
      .single();
    expect(found.error).toBeNull();
    expect(found.data).toMatchObject({ id: pending.id, organisation_id: organisationId });

    const stolen = await outsider.client.rpc('organisation_invitation_by_token', {
      p_token: pending.token,
    });
    const forged = await invitee.client.rpc('organisation_invitation_by_token', {
      p_token: '0'.repeat(64),
    });
    expect([stolen.status, forged.status]).toEqual([404, 404]);
    expect(stolen.error?.code).toBe('invitation_not_found');
  });

  it('the invitee declines and does not become a member', async () => {
    const invitee = await fx.user('decliner');
    const pending = await invite(owner, organisationId, invitee.email);
    const { error } = await invitee.client.rpc('decline_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    expect(error).toBeNull();
    expect(await invitationRow(pending.id)).toBeNull();
    expect(await roleOf(organisationId, invitee)).toBeNull();
  });

  it.each(['member', 'outsider', 'owner'] as const)(
    "%s cannot accept or decline someone else's invitation",
    async (who) => {
      const invitee = await fx.user('someone-else');
      const pending = await invite(owner, organisationId, invitee.email);
      const accept = await as(who).client.rpc('accept_organisation_invitation', {
        p_invitation_id: pending.id,
      });
      const decline = await as(who).client.rpc('decline_organisation_invitation', {
        p_invitation_id: pending.id,
      });
      expect([accept.status, decline.status]).toEqual([404, 404]);
      expect(await invitationRow(pending.id)).not.toBeNull();
      expect(await roleOf(organisationId, invitee)).toBeNull();
    },
  );

  it('anon cannot see, accept or decline invitations', async () => {
    const invitee = await fx.user('anon-target');
    const pending = await invite(owner, organisationId, invitee.email);
    const anon = anonClient();
    const mine = await anon.rpc('my_organisation_invitations');
    const accept = await anon.rpc('accept_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    const decline = await anon.rpc('decline_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    expect([mine.error?.code, accept.error?.code, decline.error?.code]).toEqual([
      '42501',
      '42501',
      '42501',
    ]);
    expect(await invitationRow(pending.id)).not.toBeNull();
  });

  it('an expired invitation is neither listed nor accepted', async () => {
    const invitee = await fx.user('late');
    const pending = await invite(owner, organisationId, invitee.email);
    const { error } = await service
      .from('organisation_invitations')
      .update({ expires_at: new Date(Date.now() - 60_000).toISOString() })
      .eq('id', pending.id);
    expect(error).toBeNull();
    const mine = await invitee.client.rpc('my_organisation_invitations');
    expect(mine.data).toEqual([]);
    const accept = await invitee.client.rpc('accept_organisation_invitation', {
      p_invitation_id: pending.id,
    });
    expect(accept.status).toBe(404);
    expect(await roleOf(organisationId, invitee)).toBeNull();
  });
});

describe('the stranger attack', () => {
  it("a stranger's look-alike organisation gets nothing of the user without their consent", async () => {
    const victim = await fx.user('victim');
    const stranger = await fx.user('stranger');
    const { data: lookAlike } = await stranger.client.rpc('create_organisation', {
      p_name: 'Harbour Street Sales',
    });
    const lookAlikeId = lookAlike!.id;

    // No direct way in ...
    const direct = await stranger.client
      .from('organisation_members')
      .insert({ organisation_id: lookAlikeId, user_id: victim.id, role: 'member' });
    expect(direct.error?.code).toBe('42501');

    // ... and an invitation adds nobody until the victim accepts.
    const pending = await invite(stranger, lookAlikeId, victim.email);
    expect(await roleOf(lookAlikeId, victim)).toBeNull();
    const profile = await stranger.client.from('profiles').select('id').eq('id', victim.id);
    expect(profile.data).toEqual([]);
    const members = await stranger.client
      .from('organisation_members')
      .select('user_id')
      .eq('organisation_id', lookAlikeId);
    expect(members.data?.map((m) => m.user_id)).toEqual([stranger.id]);

    // The victim sees who invited them, and nothing of the organisation itself.
    const mine = await victim.client.rpc('my_organisation_invitations');
    expect(mine.data).toEqual([
      expect.objectContaining({ id: pending.id, invited_by_email: stranger.email }),
    ]);
    const orgs = await victim.client.from('organisations').select('id').eq('id', lookAlikeId);
    expect(orgs.data).toEqual([]);
  });
});

describe('removing a member', () => {
  async function restaurantFor(organisation: string, rep: TestUser) {
    const { data, error } = await service
      .from('restaurants')
      .insert({ organisation_id: organisation, name: 'Handover Diner', assigned_sales_rep: rep.id })
      .select('id')
      .single();
    if (error) throw new Error(error.message);
    return data.id;
  }

  async function taskFor(organisation: string, assignee: TestUser, status: 'active' | 'completed') {
    const { data, error } = await service
      .from('tasks')
      .insert({
        organisation_id: organisation,
        name: `handover ${status}`,
        assigned_to: assignee.id,
        status,
        completed_at: status === 'completed' ? new Date().toISOString() : null,
      })
      .select('id')
      .single();
    if (error) throw new Error(error.message);
    return data.id;
  }

  it('admin removes a member and hands their restaurants and open tasks to a successor', async () => {
    const organisation = await team();
    const restaurant = await restaurantFor(organisation, member);
    const open = await taskFor(organisation, member, 'active');
    const { error } = await admin.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: member.id,
      p_successor_id: admin.id,
    });
    expect(error).toBeNull();
    expect(await roleOf(organisation, member)).toBeNull();
    const r = await service.from('restaurants').select('assigned_sales_rep').eq('id', restaurant);
    expect(r.data).toEqual([{ assigned_sales_rep: admin.id }]);
    const t = await service.from('tasks').select('assigned_to').eq('id', open);
    expect(t.data).toEqual([{ assigned_to: admin.id }]);
  });

  it('a member leaves, handing their restaurants to a colleague', async () => {
    const organisation = await team();
    const restaurant = await restaurantFor(organisation, member);
    const { error } = await member.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: member.id,
      p_successor_id: owner.id,
    });
    expect(error).toBeNull();
    expect(await roleOf(organisation, member)).toBeNull();
    const r = await service.from('restaurants').select('assigned_sales_rep').eq('id', restaurant);
    expect(r.data).toEqual([{ assigned_sales_rep: owner.id }]);
  });

  it('the successor must be another member', async () => {
    const organisation = await team();
    const { error } = await owner.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: member.id,
      p_successor_id: outsider.id,
    });
    expect(error?.code).toBe('22023');
    expect(await roleOf(organisation, member)).toBe('member');
  });

  it('member cannot remove another member', async () => {
    const organisation = await team();
    const { error } = await member.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: admin.id,
    });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, admin)).toBe('admin');
  });

  it('admin cannot remove an owner', async () => {
    const organisation = await team();
    const { error } = await admin.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: owner.id,
    });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisation, owner)).toBe('owner');
  });

  it('outsider cannot remove members of another organisation', async () => {
    const { status } = await outsider.client.rpc('remove_organisation_member', {
      p_organisation_id: organisationId,
      p_user_id: member.id,
    });
    expect(status).toBe(404);
    expect(await roleOf(organisationId, member)).toBe('member');
  });

  it('anon cannot remove members', async () => {
    const { error } = await anonClient().rpc('remove_organisation_member', {
      p_organisation_id: organisationId,
      p_user_id: member.id,
    });
    expect(error?.code).toBe('42501');
    expect(await roleOf(organisationId, member)).toBe('member');
  });

  it('the last owner cannot be removed, and nothing is handed over', async () => {
    const organisation = await team();
    const restaurant = await restaurantFor(organisation, owner);
    const { error } = await owner.client.rpc('remove_organisation_member', {
      p_organisation_id: organisation,
      p_user_id: owner.id,
      p_successor_id: admin.id,
    });
    expect(error?.code).toBe('23514');
    expect(await roleOf(organisation, owner)).toBe('owner');
    const r = await service.from('restaurants').select('assigned_sales_rep').eq('id', restaurant);
    expect(r.data).toEqual([{ assigned_sales_rep: owner.id }]);
  });
});
