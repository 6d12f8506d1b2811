import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';

/** The database's bounds on organisations.job_retention_days (…007100_job_retention.sql). */
export const JOB_RETENTION_LIMITS = { min: 7, max: 3650, default: 90 } as const;

/** How many days the organisation keeps finished jobs (every member reads it). */
export async function getJobRetention(organisationId: string): Promise<number> {
  const { data, error } = await supabase
    .from('organisations')
    .select('job_retention_days')
    .eq('id', organisationId)
    .single();
  if (error) raise(error);
  return data.job_retention_days;
}

export const jobRetentionQueries = {
  detail: (organisationId: string) =>
    queryOptions({
      queryKey: ['organisations', organisationId, 'job-retention'] as const,
      queryFn: () => getJobRetention(organisationId),
    }),
};

/** Owners and admins: set_job_retention checks the role and the bounds again. */
export async function setJobRetention({
  organisationId,
  days,
}: {
  organisationId: string;
  days: number;
}): Promise<number> {
  const { data, error } = await supabase.rpc('set_job_retention', {
    p_organisation_id: organisationId,
    p_days: days,
  });
  if (error) raise(error);
  return data;
}

export function useSetJobRetention({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setJobRetention>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setJobRetention,
    onSuccess: (days, ...args) => {
      queryClient.setQueryData(jobRetentionQueries.detail(organisationId).queryKey, days);
      return onSuccess?.(days, ...args);
    },
  });
}
