import { useQuery } from '@tanstack/react-query';
import { Mail } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useAcceptInvitation } from '../api/accept-invitation';
import { useDeclineInvitation } from '../api/decline-invitation';
import { memberQueries, type MyInvitation } from '../api/queries';
import { roleLabels } from './member-rules';

type Props = {
  userId: string;
  /** After joining: the app refreshes the user's organisations and may switch to it. */
  onAccepted: (organisationId: string) => void;
};

/** Invitations addressed to the signed-in user, with Accept and Decline. Nothing when none. */
export function MyInvitations({ userId, onAccepted }: Props) {
  const query = useQuery(memberQueries.mine(userId));
  if (!query.data || query.data.length === 0) return null;
  return (
    <section aria-label="Invitations for you" className="space-y-2">
      {query.data.map((invitation) => (
        <InvitationCard
          key={invitation.id}
          userId={userId}
          invitation={invitation}
          onAccepted={onAccepted}
        />
      ))}
    </section>
  );
}

/** One invitation: who invited, to what, as what; Accept or Decline. */
export function InvitationCard({
  userId,
  invitation,
  onAccepted,
  onDeclined,
}: {
  userId: string;
  invitation: MyInvitation;
  onAccepted: (organisationId: string) => void;
  onDeclined?: () => void;
}) {
  const { toast } = useToast();
  const accept = useAcceptInvitation({
    userId,
    mutationConfig: {
      onSuccess: ({ organisationId }) => {
        toast({ title: `You joined ${invitation.organisationName}` });
        onAccepted(organisationId);
      },
      onError: (error) =>
        toast({ title: "You haven't joined", description: getErrorMessage(error), tone: 'error' }),
    },
  });
  const decline = useDeclineInvitation({
    userId,
    mutationConfig: {
      onSuccess: () => {
        toast({ title: 'Invitation declined' });
        onDeclined?.();
      },
      onError: (error) =>
        toast({
          title: "The invitation wasn't declined",
          description: getErrorMessage(error),
          tone: 'error',
        }),
    },
  });
  const inviter = invitation.invitedByName
    ? `${invitation.invitedByName} (${invitation.invitedByEmail})`
    : invitation.invitedByEmail || 'Someone';

  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg bg-brand-50 px-4 py-3 ring-1 ring-brand-200 ring-inset">
      <Mail className="size-5 shrink-0 text-brand-600" aria-hidden />
      <p className="min-w-0 flex-1 text-sm text-slate-800">
        {inviter} invited you to join <strong>{invitation.organisationName}</strong> as{' '}
        {roleLabels[invitation.role].toLowerCase()}.
      </p>
      <div className="flex gap-2">
        <Button
          variant="secondary"
          size="sm"
          isLoading={decline.isPending}
          disabled={accept.isPending}
          onClick={() => decline.mutate({ invitationId: invitation.id })}
        >
          Decline
        </Button>
        <Button
          size="sm"
          isLoading={accept.isPending}
          disabled={decline.isPending}
          onClick={() => accept.mutate({ invitationId: invitation.id })}
        >
          Accept
        </Button>
      </div>
    </div>
  );
}
