import { randomUUID } from 'node:crypto';
import { createTestClient, serviceClient, type Client } from './env.ts';

/**
 * Fresh users and organisations for one test file, so the RLS tests depend neither on the
 * demo data nor on each other. Users are made by the service role's admin API (confirmed,
 * as an invited user would be) and then sign in with their password through the anon key,
 * exactly as the browser does; organisations and memberships go through the same RPCs the
 * web app calls. `cleanup()` removes everything the file created.
 */

export type Role = 'owner' | 'admin' | 'member';

export interface TestUser {
  id: string;
  email: string;
  fullName: string;
  /** A supabase-js client signed in as this user. */
  client: Client;
}

const PASSWORD = 'rls-test-password-1';

export function createFixtures(label: string) {
  const userIds: string[] = [];
  const service = serviceClient();

  /** Creates a confirmed user and signs them in. */
  async function user(name: string, options: { fullName?: string | null } = {}): Promise<TestUser> {
    const email = `${label}-${name}-${randomUUID().slice(0, 8)}@forkflow.test`.toLowerCase();
    const fullName = options.fullName === undefined ? `${label} ${name}` : options.fullName;
    const { data, error } = await service.auth.admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: fullName === null ? {} : { full_name: fullName },
    });
    if (error || !data.user)
      throw new Error(`could not create ${email}: ${error?.message ?? 'no user'}`);
    userIds.push(data.user.id);

    const client = createTestClient();
    const signIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
    if (signIn.error) throw new Error(`could not sign in ${email}: ${signIn.error.message}`);
    return { id: data.user.id, email, fullName: fullName ?? '', client };
  }

  /** Several users at once, keyed by name. */
  async function users<const N extends string>(...names: N[]): Promise<Record<N, TestUser>> {
    const created = await Promise.all(names.map((name) => user(name)));
    return Object.fromEntries(names.map((name, i) => [name, created[i]])) as Record<N, TestUser>;
  }

  /** An organisation created by `owner` through the RPC, with the others invited and accepting. */
  async function organisation(
    owner: TestUser,
    members: { admins?: TestUser[]; members?: TestUser[]; owners?: TestUser[] } = {},
  ): Promise<string> {
    const { data, error } = await owner.client.rpc('create_organisation', {
      p_name: `${label} ${randomUUID().slice(0, 8)}`,
    });
    if (error || !data)
      throw new Error(`could not create organisation: ${error?.message ?? 'no data'}`);
    const organisationId = data.id;
    const additions: [TestUser, Role][] = [
      ...(members.owners ?? []).map((u): [TestUser, Role] => [u, 'owner']),
      ...(members.admins ?? []).map((u): [TestUser, Role] => [u, 'admin']),
      ...(members.members ?? []).map((u): [TestUser, Role] => [u, 'member']),
    ];
    for (const [member, role] of additions) await addMember(owner, organisationId, member, role);
    return organisationId;
  }

  /** `by` invites `user` and `user` accepts, as they would in the app. */
  async function addMember(
    by: TestUser,
    organisationId: string,
    user: TestUser,
    role: Role,
  ): Promise<void> {
    const invited = await by.client
      .rpc('invite_organisation_member', {
        p_organisation_id: organisationId,
        p_email: user.email,
        p_role: role,
      })
      .single();
    if (invited.error || !invited.data)
      throw new Error(`could not invite ${user.email} as ${role}: ${invited.error?.message}`);
    const { error } = await user.client.rpc('accept_organisation_invitation', {
      p_invitation_id: invited.data.id,
    });
    if (error) throw new Error(`${user.email} could not accept: ${error.message}`);
  }

  /** Deletes every organisation these users belong to, then the users (profiles cascade). */
  async function cleanup(): Promise<void> {
    if (userIds.length === 0) return;
    const { data: memberships } = await service
      .from('organisation_members')
      .select('organisation_id')
      .in('user_id', userIds);
    const organisationIds = [...new Set((memberships ?? []).map((m) => m.organisation_id))];
    if (organisationIds.length > 0) {
      // A job a test just started may still be finishing: the orchestrator's finish batch
      // locks its job and then its events, while the organisation's cascade reaches them the
      // other way round, so Postgres may abort one of the two as a deadlock (40P01). The
      // orchestrator sends its batch again; so does the clean-up.
      for (let attempt = 1; ; attempt++) {
        const { error } = await service.from('organisations').delete().in('id', organisationIds);
        if (!error) break;
        if (error.code !== '40P01' || attempt === 5) throw new Error(`cleanup: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    await Promise.all(userIds.map((id) => service.auth.admin.deleteUser(id)));
    userIds.length = 0;
  }

  return { user, users, organisation, addMember, cleanup, service };
}

/** A client with only the anon key: a visitor who has not signed in. */
export const anonClient = (): Client => createTestClient();
