import { organisationQueries } from '@/features/organisations/api/queries';
import { restaurantQueries } from '@/features/restaurants/api/queries';
import { sequenceInstanceQueries } from '@/features/sequence-instances/api/queries';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { taskQueries } from '@/features/tasks/api/queries';
import type { RouteData } from '../../route-data';

/** A restaurant with its tasks and sequences, the reps and the calendar. */
export const restaurantData: RouteData = ({ organisationId, params }) => {
  const id = params.restaurantId ?? '';
  return [
    restaurantQueries.detail(organisationId, id),
    taskQueries.forRestaurant(organisationId, id),
    sequenceInstanceQueries.forRestaurant(organisationId, id),
    organisationQueries.members(organisationId),
    businessCalendarQueries.detail(organisationId),
  ];
};
