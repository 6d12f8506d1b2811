import { organisationQueries } from '@/features/organisations/api/queries';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import type { RouteData } from '../../route-data';

/**
 * My tasks: the reps and the calendar. The sections' pages and counts are cut in the
 * calendar's time zone, so they start once it is known (the page asks for them).
 */
export const tasksData: RouteData = ({ organisationId }) => [
  organisationQueries.members(organisationId),
  businessCalendarQueries.detail(organisationId),
];
