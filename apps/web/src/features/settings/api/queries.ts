import {
  OPEN_AROUND_THE_CLOCK,
  openingWindowSchema,
  type BusinessCalendar,
} from '@forkflow/domain/business-calendar';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

export type BusinessCalendarRow = Tables<'business_calendars'>;

/** The organisation's calendar; `isDefault` when it has none (open around the clock, UTC). */
export type OrganisationCalendar = {
  calendar: BusinessCalendar;
  isDefault: boolean;
  updatedAt: string | null;
};

const windowsSchema = z.array(openingWindowSchema);

export function toOrganisationCalendar(row: BusinessCalendarRow | null): OrganisationCalendar {
  if (!row) return { calendar: { ...OPEN_AROUND_THE_CLOCK }, isDefault: true, updatedAt: null };
  const windows = windowsSchema.safeParse(row.windows);
  return {
    calendar: {
      time_zone: row.time_zone,
      working_days: row.working_days,
      // The table's check constraint guarantees the shape; the fallback is belt and braces.
      windows: windows.success ? windows.data : [...OPEN_AROUND_THE_CLOCK.windows],
      holidays: row.holidays,
    },
    isDefault: false,
    updatedAt: row.updated_at,
  };
}

export async function getBusinessCalendar(organisationId: string): Promise<OrganisationCalendar> {
  const { data, error } = await supabase
    .from('business_calendars')
    .select('organisation_id, time_zone, working_days, windows, holidays, created_at, updated_at')
    .eq('organisation_id', organisationId)
    .maybeSingle();
  if (error) raise(error);
  return toOrganisationCalendar(data);
}

export const businessCalendarQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'business-calendar'] as const,
  detail: (organisationId: string) =>
    queryOptions({
      queryKey: [...businessCalendarQueries.all(organisationId), 'detail'] as const,
      queryFn: () => getBusinessCalendar(organisationId),
      staleTime: 5 * 60_000,
    }),
};
