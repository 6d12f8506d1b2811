import { useQuery } from '@tanstack/react-query';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { browserTimeZone, setDisplayTimeZone } from '@/lib/format-in-zone';

/**
 * Sets the zone every page shows dates in (lib/format-in-zone.ts) to the organisation's
 * calendar zone, or the browser's when it has none, and says whether the pages may render:
 * until the calendar is read once, a list would print its dates in the wrong zone and never
 * redraw them. A calendar that can't be read falls back to the browser's zone.
 */
export function useDisplayTimeZone(organisationId: string): { ready: boolean } {
  const calendar = useQuery(businessCalendarQueries.detail(organisationId));
  const data = calendar.data;
  // During render, before the children read it; the same inputs always set the same value.
  setDisplayTimeZone(data && !data.isDefault ? data.calendar.time_zone : browserTimeZone());
  return { ready: !calendar.isPending };
}
