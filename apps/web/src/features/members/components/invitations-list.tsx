import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { formatDayMonthInZone } from '@/lib/format-in-zone';
import { memberQueries, type OrganisationInvitation } from '../api/queries';
import { useRevokeInvitation } from '../api/revoke-invitation';
import { roleLabels } from './member-rules';

/** The organisation's open invitations, each revocable; expired ones say so. */
export function InvitationsList({
  organisationId,
  now = new Date(),
}: {
  organisationId: string;
  now?: Date;
}) {
  const { toast } = useToast();
  const query = useQuery(memberQueries.invitations(organisationId));
  const [revoking, setRevoking] = useState<OrganisationInvitation | null>(null);
  const revoke = useRevokeInvitation({
    organisationId,
    mutationConfig: {
      onSuccess: () => {
        toast({ title: 'Invitation revoked' });
        setRevoking(null);
      },
      onError: (error) =>
        toast({
          title: "The invitation wasn't revoked",
          description: getErrorMessage(error),
          tone: 'error',
        }),
    },
  });

  if (query.isPending)
    return (
      <div role="status" aria-label="Loading invitations" className="space-y-2 p-4">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  if (query.isError)
    return (
      <ErrorState
        title="Couldn't load the invitations"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  if (query.data.length === 0)
    return <p className="px-4 py-6 text-sm text-slate-500">No open invitations.</p>;

  return (
    <>
      <ul className="divide-y divide-slate-100" aria-label="Open invitations">
        {query.data.map((invitation) => {
          const expired = new Date(invitation.expiresAt) <= now;
          return (
            <li key={invitation.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">{invitation.email}</p>
                <p className="text-sm text-slate-500">
                  {expired
                    ? 'Expired: invite them again for a new link'
                    : `Expires ${formatDayMonthInZone(new Date(invitation.expiresAt))}`}
                </p>
              </div>
              <Badge tone={expired ? 'amber' : 'slate'}>{roleLabels[invitation.role]}</Badge>
              <Button variant="secondary" size="sm" onClick={() => setRevoking(invitation)}>
                Revoke<span className="sr-only"> the invitation for {invitation.email}</span>
              </Button>
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) setRevoking(null);
        }}
        title="Revoke this invitation?"
        description={`The link sent to ${revoking?.email ?? ''} will stop working.`}
        confirmLabel="Revoke invitation"
        isPending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ invitationId: revoking.id })}
      />
    </>
  );
}
