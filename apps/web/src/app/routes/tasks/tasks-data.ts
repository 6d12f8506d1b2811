import { organisationQueries } from '@/features/organisations/api/queries';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { parseTaskFilters, taskQueries, toTaskQuery } from '@/features/tasks/api/queries';
import type { RouteData } from '../../route-data';

/** My tasks: the list as filtered in the URL, the filters' options, the reps, the calendar. */
export const tasksData: RouteData = ({ organisationId, userId, url }) => [
  taskQueries.list(organisationId, toTaskQuery(parseTaskFilters(url.searchParams), userId)),
  taskQueries.filterOptions(organisationId),
  organisationQueries.members(organisationId),
  businessCalendarQueries.detail(organisationId),
];
