import { OPEN_AROUND_THE_CLOCK, type BusinessCalendar } from '@forkflow/domain/business-calendar';
import { useQuery } from '@tanstack/react-query';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { browserTimeZone } from '@/lib/format-in-zone';
import { useCurrentOrganisation } from '@/lib/organisation';

export type OrganisationTime = {
  /** For due-date maths: the organisation's row, or open around the clock (UTC) without one. */
  calendar: BusinessCalendar;
  calendarIsDefault: boolean;
  /** For showing dates and "today": the calendar's zone, or the browser's without a calendar. */
  timeZone: string;
};

/**
 * The organisation's business calendar as the tasks and sequences features need it. While it
 * loads (or if it can't be read) dates are shown in the browser's zone and counted 24/7, which
 * is also what an organisation without a calendar gets.
 */
export function useOrganisationCalendar(): OrganisationTime {
  const organisation = useCurrentOrganisation();
  const query = useQuery(businessCalendarQueries.detail(organisation.id));
  const data = query.data;
  if (!data || data.isDefault) {
    return {
      calendar: data?.calendar ?? { ...OPEN_AROUND_THE_CLOCK },
      calendarIsDefault: true,
      timeZone: browserTimeZone() ?? 'UTC',
    };
  }
  return { calendar: data.calendar, calendarIsDefault: false, timeZone: data.calendar.time_zone };
}
