import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useDeleteSequenceInstance } from '../api/delete-sequence-instance';
import type { SequenceInstance } from '../api/queries';

type Props = {
  /** An ended (completed or cancelled) sequence; null = closed. */
  instance: SequenceInstance | null;
  onOpenChange: (open: boolean) => void;
  onChanged?: () => void;
};

/** Deletes an ended sequence; its tasks stay on the restaurant, no longer linked to it. */
export function DeleteInstanceDialog({ instance, onOpenChange, onChanged }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const remove = useDeleteSequenceInstance({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: () => {
        toast({ title: 'Sequence deleted', description: instance?.name });
        onOpenChange(false);
      },
      onError: (error) =>
        toast({
          tone: 'error',
          title: 'Couldn’t delete the sequence',
          description: getErrorMessage(error),
        }),
      onSettled: () => onChanged?.(),
    },
  });
  const count = instance?.tasks.length ?? 0;
  return (
    <ConfirmDialog
      open={instance !== null}
      onOpenChange={onOpenChange}
      title="Delete this sequence?"
      description={
        <>
          {instance?.name}. Its {count === 1 ? 'task stays' : `${count} tasks stay`} on the
          restaurant, no longer part of a sequence. This can’t be undone.
        </>
      }
      confirmLabel="Delete sequence"
      cancelLabel="Keep sequence"
      isPending={remove.isPending}
      onConfirm={() => {
        if (instance) remove.mutate({ instanceId: instance.id });
      }}
    />
  );
}
