import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  DELETE_UNDO_WINDOW_MS,
  DeleteUndoneError,
  useDeleteRestaurant,
} from '../api/delete-restaurant';

type Props = {
  restaurant: { id: string; name: string } | null;
  onOpenChange: (open: boolean) => void;
  /** Called once the user confirms (e.g. to leave the detail page). */
  onConfirmed?: () => void;
};

/**
 * Confirms, then deletes with an undo window: the row disappears at once, a toast
 * offers Undo, and the move to the trash (tasks and sequences with it) is only sent when
 * the window passes.
 */
export function DeleteRestaurantDialog({ restaurant, onOpenChange, onConfirmed }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const remove = useDeleteRestaurant({
    organisationId: organisation.id,
    mutationConfig: {
      onError: (error, variables) => {
        if (error instanceof DeleteUndoneError) {
          toast({ tone: 'info', title: 'Restored', description: variables.name });
          return;
        }
        toast({
          tone: 'error',
          title: `Couldn't delete ${variables.name ?? 'the restaurant'}`,
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const confirm = () => {
    if (!restaurant) return;
    const undo = new AbortController();
    remove.mutate({
      organisationId: organisation.id,
      id: restaurant.id,
      name: restaurant.name,
      undo: undo.signal,
    });
    onOpenChange(false);
    onConfirmed?.();
    toast({
      title: 'Restaurant deleted',
      description: restaurant.name,
      duration: DELETE_UNDO_WINDOW_MS,
      action: { label: 'Undo', onClick: () => undo.abort() },
    });
  };

  return (
    <ConfirmDialog
      open={restaurant !== null}
      onOpenChange={onOpenChange}
      title={`Delete ${restaurant?.name ?? 'restaurant'}?`}
      description="It goes to the trash with its tasks and sequences, which stop showing anywhere. Undo is offered for a few seconds; after that it can be restored from Trash for 30 days."
      confirmLabel="Delete restaurant"
      onConfirm={confirm}
    />
  );
}
