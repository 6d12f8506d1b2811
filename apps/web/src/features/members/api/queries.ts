import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { OrganisationRole } from '@/lib/organisation';
import { supabase } from '@/lib/supabase';

const roles = new Set<OrganisationRole>(['owner', 'admin', 'member']);
export const asRole = (role: string): OrganisationRole =>
  roles.has(role as OrganisationRole) ? (role as OrganisationRole) : 'member';

export type OrganisationInvitation = {
  id: string;
  email: string;
  role: OrganisationRole;
  createdAt: string;
  expiresAt: string;
};

/** The organisation's open invitations (owners and admins only: RLS shows others none). */
export async function getInvitations(organisationId: string): Promise<OrganisationInvitation[]> {
  const { data, error } = await supabase
    .from('organisation_invitations')
    // Named columns: token_hash is not readable through the API.
    .select('id, email, role, created_at, expires_at')
    .eq('organisation_id', organisationId)
    .order('created_at', { ascending: false });
  if (error) raise(error);
  return data.map((row) => ({
    id: row.id,
    email: row.email,
    role: asRole(row.role),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }));
}

export type MyInvitation = {
  id: string;
  organisationId: string;
  organisationName: string;
  role: OrganisationRole;
  invitedByName: string;
  invitedByEmail: string;
  expiresAt: string;
};

type InvitationRow = {
  id: string;
  organisation_id: string;
  organisation_name: string;
  role: string;
  invited_by_name: string | null;
  invited_by_email: string | null;
  expires_at: string;
};

const toMyInvitation = (row: InvitationRow): MyInvitation => ({
  id: row.id,
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  role: asRole(row.role),
  invitedByName: row.invited_by_name ?? '',
  invitedByEmail: row.invited_by_email ?? '',
  expiresAt: row.expires_at,
});

/** Open invitations addressed to the signed-in user's email. */
export async function getMyInvitations(): Promise<MyInvitation[]> {
  const { data, error } = await supabase.rpc('my_organisation_invitations');
  if (error) raise(error);
  return data.map(toMyInvitation);
}

/** The invitation behind a copied link; null when it is not (or no longer) for this user. */
export async function getInvitationByToken(token: string): Promise<MyInvitation | null> {
  const { data, error } = await supabase.rpc('organisation_invitation_by_token', {
    p_token: token,
  });
  if (error) {
    if (error.code === 'invitation_not_found') return null;
    raise(error);
  }
  const row = data[0];
  return row ? toMyInvitation(row) : null;
}

export const memberQueries = {
  // The prefix of the organisation's member list too (['orgs', id, 'members']), so a change
  // here refreshes every list of members.
  all: (organisationId: string) => ['orgs', organisationId, 'members'] as const,
  invitations: (organisationId: string) =>
    queryOptions({
      queryKey: [...memberQueries.all(organisationId), 'invitations'] as const,
      queryFn: () => getInvitations(organisationId),
    }),
  // Not tenant data: the user's own, keyed by the user.
  mine: (userId: string) =>
    queryOptions({
      queryKey: ['users', userId, 'invitations'] as const,
      queryFn: getMyInvitations,
    }),
  byToken: (userId: string, token: string) =>
    queryOptions({
      queryKey: ['users', userId, 'invitations', 'token', token] as const,
      queryFn: () => getInvitationByToken(token),
    }),
};
