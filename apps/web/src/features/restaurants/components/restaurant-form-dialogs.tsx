import { emptyRestaurantFormValues, restaurantToFormValues } from '@forkflow/domain/restaurants';
import { useQuery } from '@tanstack/react-query';
import { Dialog } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useCreateRestaurant } from '../api/create-restaurant';
import { restaurantQueries, type RestaurantDetail } from '../api/queries';
import { useUpdateRestaurant } from '../api/update-restaurant';
import { DuplicateWarning } from '../import/components/duplicate-warning';
import type { Rep } from '../types';
import { RestaurantForm } from './restaurant-form';

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  reps: Rep[];
};

export function CreateRestaurantDialog({
  open,
  onOpenChange,
  reps,
  onCreated,
}: DialogProps & { onCreated?: (restaurant: RestaurantDetail) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Add restaurant" size="lg" bare>
      <CreateRestaurantBody onDone={() => onOpenChange(false)} reps={reps} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateRestaurantBody({
  onDone,
  reps,
  onCreated,
}: {
  onDone: () => void;
  reps: Rep[];
  onCreated: ((restaurant: RestaurantDetail) => void) | undefined;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const create = useCreateRestaurant({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (restaurant) => {
        toast({
          title: 'Restaurant added',
          description: `${restaurant.name} is now in your list.`,
        });
        onDone();
        onCreated?.(restaurant);
      },
    },
  });
  return (
    <RestaurantForm
      defaultValues={emptyRestaurantFormValues}
      reps={reps}
      submitLabel="Add restaurant"
      renderNotice={(values) => <DuplicateWarning {...values} />}
      isPending={create.isPending}
      serverError={create.error ? getErrorMessage(create.error) : null}
      onCancel={onDone}
      onSubmit={(data) => create.mutate({ organisationId: organisation.id, data })}
    />
  );
}

export function EditRestaurantDialog({
  open,
  onOpenChange,
  reps,
  restaurantId,
}: DialogProps & { restaurantId: string | null }) {
  return (
    <Dialog
      open={open && restaurantId !== null}
      onOpenChange={onOpenChange}
      title="Edit restaurant"
      size="lg"
      bare
    >
      {restaurantId ? (
        <EditRestaurantBody id={restaurantId} reps={reps} onDone={() => onOpenChange(false)} />
      ) : null}
    </Dialog>
  );
}

function EditRestaurantBody({ id, reps, onDone }: { id: string; reps: Rep[]; onDone: () => void }) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const restaurant = useQuery(restaurantQueries.detail(organisation.id, id));
  const update = useUpdateRestaurant({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        toast({ title: 'Changes saved', description: row.name });
        onDone();
      },
    },
  });

  if (restaurant.isPending) {
    return (
      <div className="space-y-5 px-6 py-6" role="status" aria-label="Loading restaurant">
        {Array.from({ length: 5 }, (_, index) => (
          <div key={index} className="space-y-2">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-10 w-full" />
          </div>
        ))}
      </div>
    );
  }
  if (restaurant.isError) {
    return (
      <ErrorState
        title="Couldn't load this restaurant"
        message={getErrorMessage(restaurant.error)}
        onRetry={() => void restaurant.refetch()}
        isRetrying={restaurant.isRefetching}
      />
    );
  }

  return (
    <RestaurantForm
      defaultValues={restaurantToFormValues(restaurant.data)}
      reps={reps}
      submitLabel="Save changes"
      isPending={update.isPending}
      serverError={update.error ? getErrorMessage(update.error) : null}
      onCancel={onDone}
      // The page behind updates at once (optimistic); the dialog stays until the server
      // agrees, so a refusal rolls the page back and is shown here, next to the fields.
      onSubmit={(data) => update.mutate({ organisationId: organisation.id, id, data })}
    />
  );
}
