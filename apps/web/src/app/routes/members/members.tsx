import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { canManageMembers } from '@/features/members/components/member-rules';
import { InvitationsList } from '@/features/members/components/invitations-list';
import { InviteMemberForm } from '@/features/members/components/invite-member-form';
import { MembersList } from '@/features/members/components/members-list';
import { organisationQueries } from '@/features/organisations/api/queries';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';

const linkFor = (token: string) =>
  new URL(paths.app.invitation.getHref(token), window.location.origin).toString();

/** Who is in the organisation; owners and admins invite, change roles and remove. */
export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The organisations feature's member list (the reps everyone picks from), shared here.
  const members = useQuery(organisationQueries.members(organisation.id));
  const manages = canManageMembers(organisation.role);

  return (
    <div className="space-y-6">
      <title>{`Members · ${organisation.name} · Forkflow`}</title>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Members</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          {manages
            ? `Who works in ${organisation.name}. People join only by accepting an invitation sent to their email.`
            : `Who works in ${organisation.name}. Owners and admins invite people and change roles.`}
        </p>
      </header>

      {manages ? (
        <section className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200">
          <h2 className="text-base font-semibold text-slate-900">Invite someone</h2>
          <InviteMemberForm
            organisationId={organisation.id}
            myRole={organisation.role}
            linkFor={linkFor}
          />
        </section>
      ) : null}

      <section className="rounded-xl bg-white ring-1 ring-slate-200">
        <h2 className="border-b border-slate-100 px-4 py-3 text-base font-semibold text-slate-900">
          People
        </h2>
        {members.isPending ? (
          <div role="status" aria-label="Loading members" className="space-y-2 p-4">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : members.isError ? (
          <ErrorState
            title="Couldn't load the members"
            message={getErrorMessage(members.error)}
            onRetry={() => void members.refetch()}
            isRetrying={members.isFetching}
          />
        ) : (
          <MembersList
            organisationId={organisation.id}
            organisationName={organisation.name}
            members={members.data}
            myUserId={user.id}
            myRole={organisation.role}
            onLeft={async () => {
              await queryClient.invalidateQueries({
                queryKey: organisationQueries.memberships(user.id).queryKey,
              });
              navigate(paths.home.getHref(), { replace: true });
            }}
          />
        )}
      </section>

      {manages ? (
        <section className="rounded-xl bg-white ring-1 ring-slate-200">
          <h2 className="border-b border-slate-100 px-4 py-3 text-base font-semibold text-slate-900">
            Open invitations
          </h2>
          <InvitationsList organisationId={organisation.id} />
        </section>
      ) : null}
    </div>
  );
}
