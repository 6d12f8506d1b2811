import type { User } from '@supabase/supabase-js';
import { LogOut } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { AppLayout } from '@/components/layouts/app-layout';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { Button } from '@/components/ui/button';
import { FullPageSpinner, Spinner } from '@/components/ui/spinner';
import { ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { MyInvitations } from '@/features/members/components/my-invitations';
import { CreateOrganisationForm } from '@/features/organisations/components/create-organisation-form';
import { OrganisationSwitcher } from '@/features/organisations/components/organisation-switcher';
import { useCurrentOrganisationChoice } from '@/features/organisations/hooks/use-current-organisation-choice';
import { organisationQueries } from '@/features/organisations/api/queries';
import { signOut, useAuth } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { OrganisationContext } from '@/lib/organisation';
import { navigation } from '../../navigation';
import { useDisplayTimeZone } from './use-display-time-zone';
import { UserMenu } from './user-menu';

/** Everything under "/" needs a session and an organisation. */
export function AppRoot() {
  const auth = useAuth();
  const location = useLocation();

  if (auth.status === 'loading') return <FullPageSpinner />;
  if (auth.status === 'signed-out') {
    const here = `${location.pathname}${location.search}`;
    return <Navigate to={paths.auth.signIn.getHref(here === '/' ? null : here)} replace />;
  }
  return <SignedInShell user={auth.user} />;
}

function SignedInShell({ user }: { user: User }) {
  const { memberships, list, current, select } = useCurrentOrganisationChoice(user.id);
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();

  // An accepted invitation: the new organisation joins the list and becomes the current one.
  const joined = useCallback(
    async (organisationId: string) => {
      await queryClient.invalidateQueries({
        queryKey: organisationQueries.memberships(user.id).queryKey,
      });
      select(organisationId);
    },
    [queryClient, user.id, select],
  );

  const switchTo = useCallback(
    (organisationId: string) => {
      if (organisationId === current?.id) return;
      select(organisationId);
      // A record page belongs to the old organisation: go to the section's list.
      const section = location.pathname.split('/')[1];
      navigate(section ? `/${section}` : paths.home.getHref());
    },
    [current?.id, select, navigate, location.pathname],
  );

  if (memberships.isPending) return <FullPageSpinner label="Loading your organisations" />;

  if (memberships.isError) {
    return (
      <div className="flex min-h-dvh items-center justify-center bg-slate-50">
        <ErrorState
          title="Couldn't load your organisations"
          message={getErrorMessage(memberships.error)}
          onRetry={() => void memberships.refetch()}
          isRetrying={memberships.isFetching}
        />
      </div>
    );
  }

  if (!current)
    return (
      <CreateFirstOrganisation
        user={user}
        onCreated={select}
        invitations={<MyInvitations userId={user.id} onAccepted={(id) => void joined(id)} />}
      />
    );

  return (
    <OrganisationContext value={current}>
      <AppLayout
        navigation={navigation}
        header={
          <OrganisationSwitcher
            userId={user.id}
            current={current}
            memberships={list}
            onSelect={switchTo}
          />
        }
        footer={<UserMenu user={user} />}
      >
        <div className="mb-4 empty:hidden">
          <MyInvitations userId={user.id} onAccepted={(id) => void joined(id)} />
        </div>
        {/* Keyed by organisation: nothing from the previous tenant survives a switch. */}
        <OrganisationPages key={current.id} organisationId={current.id} />
      </AppLayout>
    </OrganisationContext>
  );
}

/** The pages, once the zone their dates are shown in is known. */
function OrganisationPages({ organisationId }: { organisationId: string }) {
  const { ready } = useDisplayTimeZone(organisationId);
  if (!ready)
    return (
      <div className="flex justify-center py-16 text-brand-600" role="status">
        <Spinner className="size-6" label="Loading" />
      </div>
    );
  return <Outlet />;
}

function CreateFirstOrganisation({
  user,
  onCreated,
  invitations,
}: {
  user: User;
  onCreated: (id: string) => void;
  /** Invitations for this user's email: joining one is the other way in. */
  invitations: ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <AuthLayout
      title="Create your organisation"
      subtitle="Organisations hold your team’s restaurants, tasks and sequences. You can invite colleagues later."
      footer={
        <span className="inline-flex items-center gap-1">
          Signed in as {user.email}.
          <Button
            variant="link"
            onClick={async () => {
              await signOut();
              navigate(paths.auth.signIn.getHref(), { replace: true });
            }}
          >
            <LogOut className="size-3.5" aria-hidden />
            Sign out
          </Button>
        </span>
      }
    >
      <title>Create your organisation · Forkflow</title>
      <div className="mb-6 empty:hidden">{invitations}</div>
      <CreateOrganisationForm
        userId={user.id}
        onCreated={(organisation) => onCreated(organisation.id)}
      />
    </AuthLayout>
  );
}
