import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { paths } from '@/config/paths';
import type { RestaurantDetail } from '@/features/restaurants/api/queries';
import { DeleteRestaurantDialog } from '@/features/restaurants/components/delete-restaurant-dialog';
import { RestaurantDetails } from '@/features/restaurants/components/restaurant-details';
import { EditRestaurantDialog } from '@/features/restaurants/components/restaurant-form-dialogs';
import { RestaurantTimeline } from '@/features/restaurants/timeline/restaurant-timeline';
import { RestaurantWork } from './restaurant-work';
import { useReps } from './use-reps';

export function Component() {
  const { restaurantId = '' } = useParams();
  const reps = useReps();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState<RestaurantDetail | null>(null);

  return (
    <>
      <RestaurantDetails
        id={restaurantId}
        reps={reps}
        onEdit={() => setEditing(true)}
        onDelete={setDeleting}
      />
      <RestaurantWork restaurantId={restaurantId} />
      <RestaurantTimeline restaurantId={restaurantId} reps={reps} />
      <EditRestaurantDialog
        open={editing}
        onOpenChange={setEditing}
        restaurantId={restaurantId}
        reps={reps}
      />
      <DeleteRestaurantDialog
        restaurant={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        onConfirmed={() => navigate(paths.app.restaurants.getHref(), { replace: true })}
      />
    </>
  );
}
