import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { memberQueries } from '@/features/members/api/queries';
import { InvitationCard } from '@/features/members/components/my-invitations';
import { organisationQueries } from '@/features/organisations/api/queries';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';

/** A copied invitation link: the invitation, if it is for the signed-in user's email. */
export function Component() {
  const { token = '' } = useParams();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const query = useQuery(memberQueries.byToken(user.id, token));

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <title>Invitation · Forkflow</title>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Invitation</h1>
      {query.isPending ? (
        <div role="status" aria-label="Loading the invitation">
          <Skeleton className="h-16 w-full" />
        </div>
      ) : query.isError ? (
        <ErrorState
          title="Couldn't load the invitation"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
        />
      ) : query.data ? (
        <InvitationCard
          userId={user.id}
          invitation={query.data}
          onAccepted={async () => {
            await queryClient.invalidateQueries({
              queryKey: organisationQueries.memberships(user.id).queryKey,
            });
            navigate(paths.home.getHref(), { replace: true });
          }}
          onDeclined={() => navigate(paths.home.getHref(), { replace: true })}
        />
      ) : (
        <EmptyState
          title="This invitation isn't open for you"
          description={`It may have expired, been revoked or answered already, or be for another email than ${user.email ?? 'yours'}. Ask for a new link, and sign in with the email it was sent to.`}
        />
      )}
    </div>
  );
}
