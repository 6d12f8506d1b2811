// The database's membership rules (…000600 policies, …000750 remove_organisation_member),
// mirrored so the page offers only what the database allows.
import type { OrganisationRole } from '@/lib/organisation';

const isAdmin = (role: OrganisationRole) => role === 'owner' || role === 'admin';

export const canManageMembers = isAdmin;

/** Change another member's role or remove them: owners/admins, an owner only by an owner. */
export const canManageMember = (
  myRole: OrganisationRole,
  myUserId: string,
  member: { userId: string; role: OrganisationRole },
): boolean =>
  isAdmin(myRole) && member.userId !== myUserId && (member.role !== 'owner' || myRole === 'owner');

/** The last owner cannot leave (or be removed or demoted): an organisation always has one. */
export const isLastOwner = (
  member: { role: OrganisationRole },
  members: ReadonlyArray<{ role: OrganisationRole }>,
): boolean => member.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1;

/** Only owners make owners (and invite them). */
export const assignableRoles = (myRole: OrganisationRole): OrganisationRole[] =>
  myRole === 'owner' ? ['member', 'admin', 'owner'] : ['member', 'admin'];

export const roleLabels: Record<OrganisationRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
};
