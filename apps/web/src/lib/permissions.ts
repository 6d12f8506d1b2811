// The database's rules, mirrored so the UI never offers what RLS will refuse
// (supabase/migrations: templates are edited by their creator or an owner/admin).

export type OrganisationRole = 'owner' | 'admin' | 'member';

export const isOrganisationAdmin = (role: OrganisationRole): boolean =>
  role === 'owner' || role === 'admin';

/** Templates (task, message, sequence): their creator, or an owner/admin. */
export const canEditTemplate = (
  role: OrganisationRole,
  userId: string,
  template: { created_by: string | null },
): boolean => isOrganisationAdmin(role) || template.created_by === userId;

/** Workflows (create, edit, archive): owners and admins (docs/workflows-contract.md, "Roles"). */
export const canManageWorkflows = (role: OrganisationRole): boolean => isOrganisationAdmin(role);

/** Every job of the organisation (not just one's own): owners and admins. */
export const canSeeAllJobs = (role: OrganisationRole): boolean => isOrganisationAdmin(role);
