import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { CurrentOrganisation, OrganisationRole } from '@/lib/organisation';
import { supabase } from '@/lib/supabase';

const roles = new Set<OrganisationRole>(['owner', 'admin', 'member']);
const asRole = (role: string): OrganisationRole =>
  roles.has(role as OrganisationRole) ? (role as OrganisationRole) : 'member';

/** The organisations a user belongs to, with their role in each, by name. */
export async function getMemberships(userId: string): Promise<CurrentOrganisation[]> {
  const { data, error } = await supabase
    .from('organisation_members')
    .select('role, organisations(id, name)')
    .eq('user_id', userId);
  if (error) raise(error);
  return data
    .flatMap((row) =>
      row.organisations
        ? [{ id: row.organisations.id, name: row.organisations.name, role: asRole(row.role) }]
        : [],
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

export type OrganisationMember = {
  userId: string;
  role: OrganisationRole;
  fullName: string;
  email: string;
};

/** Everyone in an organisation (the rep list for filters and assignment). */
export async function getOrganisationMembers(
  organisationId: string,
): Promise<OrganisationMember[]> {
  const { data, error } = await supabase
    .from('organisation_members')
    .select('role, user_id, profiles(full_name, email)')
    .eq('organisation_id', organisationId);
  if (error) raise(error);
  return data
    .map((row) => ({
      userId: row.user_id,
      role: asRole(row.role),
      fullName: row.profiles?.full_name || row.profiles?.email || 'Unknown member',
      email: row.profiles?.email ?? '',
    }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}

export const organisationQueries = {
  // Not tenant data: keyed by the user, so another user's list is never reused.
  memberships: (userId: string) =>
    queryOptions({
      queryKey: ['users', userId, 'memberships'] as const,
      queryFn: () => getMemberships(userId),
    }),
  members: (organisationId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'members'] as const,
      queryFn: () => getOrganisationMembers(organisationId),
      staleTime: 5 * 60_000,
    }),
};
