import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Select } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { useRemoveMember } from '../api/remove-member';
import type { MemberRow } from './members-list';

type Props = {
  organisationId: string;
  organisationName: string;
  /** The member leaving; `isSelf` words it as leaving. */
  member: MemberRow | null;
  isSelf: boolean;
  members: MemberRow[];
  onOpenChange: (open: boolean) => void;
  onRemoved: (member: MemberRow) => void;
};

/** Asks who takes over the member's restaurants and open tasks, then removes them. */
export function RemoveMemberDialog({
  organisationId,
  organisationName,
  member,
  isSelf,
  members,
  onOpenChange,
  onRemoved,
}: Props) {
  const [successorId, setSuccessorId] = useState('');
  const remove = useRemoveMember({
    organisationId,
    mutationConfig: {
      onSuccess: (_, variables) => {
        const removed = members.find((m) => m.userId === variables.userId);
        if (removed) onRemoved(removed);
      },
    },
  });
  const others = members.filter((m) => m.userId !== member?.userId);
  const name = member?.fullName ?? '';

  return (
    <Dialog
      open={member !== null}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
          setSuccessorId('');
        }
        onOpenChange(open);
      }}
      role="alertdialog"
      title={isSelf ? `Leave ${organisationName}?` : `Remove ${name}?`}
      description={
        isSelf
          ? `You will no longer see ${organisationName}'s restaurants, tasks or workflows. Someone must invite you again to come back.`
          : `${name} will no longer see ${organisationName}. They can only come back if invited again.`
      }
      footer={
        <>
          <Button variant="secondary" onClick={() => onOpenChange(false)} autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger"
            isLoading={remove.isPending}
            onClick={() =>
              member &&
              remove.mutate({
                organisationId,
                userId: member.userId,
                successorId: successorId || null,
              })
            }
          >
            {isSelf ? 'Leave organisation' : 'Remove member'}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <FormErrorSummary
          title={isSelf ? "You haven't left" : `${name} wasn't removed`}
          messages={remove.error ? [getErrorMessage(remove.error)] : []}
        />
        <Field
          label={
            isSelf
              ? 'Hand your restaurants and open tasks to'
              : 'Hand their restaurants and open tasks to'
          }
          hint="Their running sequences go along. Completed tasks keep their history."
        >
          {(control) => (
            <Select
              {...control}
              value={successorId}
              onChange={(event) => setSuccessorId(event.target.value)}
            >
              <option value="">Nobody (leave them unassigned)</option>
              {others.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.fullName}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
    </Dialog>
  );
}
