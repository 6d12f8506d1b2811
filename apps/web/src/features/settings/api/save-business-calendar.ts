import {
  businessCalendarSchema,
  type BusinessCalendarInput,
} from '@forkflow/domain/business-calendar';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { businessCalendarQueries, toOrganisationCalendar } from './queries';

// The settings form and this request share one schema (packages/domain).
export const saveBusinessCalendarInputSchema = businessCalendarSchema;

/** Creates the organisation's calendar or replaces it (one row per organisation). */
export async function saveBusinessCalendar({
  organisationId,
  data,
}: {
  organisationId: string;
  data: BusinessCalendarInput;
}) {
  const input = saveBusinessCalendarInputSchema.parse(data);
  const { data: row, error } = await supabase
    .from('business_calendars')
    .upsert({ organisation_id: organisationId, ...input }, { onConflict: 'organisation_id' })
    .select('organisation_id, time_zone, working_days, windows, holidays, created_at, updated_at')
    .single();
  if (error) raise(error);
  return toOrganisationCalendar(row);
}

export function useSaveBusinessCalendar({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveBusinessCalendar>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveBusinessCalendar,
    onSuccess: (calendar, ...args) => {
      queryClient.setQueryData(businessCalendarQueries.detail(organisationId).queryKey, calendar);
      return onSuccess?.(calendar, ...args);
    },
  });
}
