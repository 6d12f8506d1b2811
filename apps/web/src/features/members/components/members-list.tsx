import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import type { OrganisationRole } from '@/lib/organisation';
import { useChangeMemberRole } from '../api/change-member-role';
import { assignableRoles, canManageMember, isLastOwner, roleLabels } from './member-rules';
import { RemoveMemberDialog } from './remove-member-dialog';

export type MemberRow = {
  userId: string;
  role: OrganisationRole;
  fullName: string;
  email: string;
};

type Props = {
  organisationId: string;
  organisationName: string;
  members: MemberRow[];
  myUserId: string;
  myRole: OrganisationRole;
  /** The signed-in user left the organisation. */
  onLeft: () => void;
};

/** The organisation's members with their roles; owners/admins change roles and remove. */
export function MembersList({
  organisationId,
  organisationName,
  members,
  myUserId,
  myRole,
  onLeft,
}: Props) {
  const { toast } = useToast();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const changeRole = useChangeMemberRole({
    organisationId,
    mutationConfig: {
      onError: (error) =>
        toast({
          title: "The role wasn't changed",
          description: getErrorMessage(error),
          tone: 'error',
        }),
    },
  });

  return (
    <>
      <ul className="divide-y divide-slate-100" aria-label="Members">
        {members.map((member) => {
          const isMe = member.userId === myUserId;
          const manageable = canManageMember(myRole, myUserId, member);
          return (
            <li key={member.userId} className="flex flex-wrap items-center gap-3 px-4 py-3">
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">
                  {member.fullName}
                  {isMe ? <span className="ml-1 text-slate-500">(you)</span> : null}
                </p>
                <p className="truncate text-sm text-slate-500">{member.email}</p>
              </div>
              {manageable ? (
                <label className="flex items-center gap-2 text-sm text-slate-600">
                  <span className="sr-only">Role of {member.fullName}</span>
                  <Select
                    className="w-32"
                    value={member.role}
                    disabled={changeRole.isPending}
                    onChange={(event) =>
                      changeRole.mutate({
                        organisationId,
                        userId: member.userId,
                        role: event.target.value as OrganisationRole,
                      })
                    }
                  >
                    {/* An owner's row is only manageable by an owner, so "owner" is offered then. */}
                    {assignableRoles(myRole).map((role) => (
                      <option key={role} value={role}>
                        {roleLabels[role]}
                      </option>
                    ))}
                  </Select>
                </label>
              ) : (
                <Badge
                  tone={
                    member.role === 'owner'
                      ? 'violet'
                      : member.role === 'admin'
                        ? 'indigo'
                        : 'slate'
                  }
                >
                  {roleLabels[member.role]}
                </Badge>
              )}
              {manageable ? (
                <Button variant="secondary" size="sm" onClick={() => setRemoving(member)}>
                  Remove<span className="sr-only"> {member.fullName}</span>
                </Button>
              ) : isMe && isLastOwner(member, members) ? (
                <p className="text-xs text-slate-500">
                  The only owner: make someone else owner to leave
                </p>
              ) : isMe ? (
                <Button variant="secondary" size="sm" onClick={() => setRemoving(member)}>
                  Leave organisation
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <RemoveMemberDialog
        organisationId={organisationId}
        organisationName={organisationName}
        member={removing}
        isSelf={removing?.userId === myUserId}
        members={members}
        onOpenChange={(open) => {
          if (!open) setRemoving(null);
        }}
        onRemoved={(member) => {
          setRemoving(null);
          if (member.userId === myUserId) onLeft();
          else toast({ title: `${member.fullName} was removed` });
        }}
      />
    </>
  );
}
