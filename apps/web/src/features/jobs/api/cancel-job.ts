import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseJobError, useJobAction, type JobActionFn } from './job-action';
import { uuidSchema } from './queries';

export const cancelJobInputSchema = z.object({ id: uuidSchema });

/** Pending, running or awaiting retry → cancelled; a worker holding it has its result refused. */
export async function cancelJob({
  organisationId: _organisationId,
  ...data
}: Parameters<JobActionFn>[0]) {
  const { id } = cancelJobInputSchema.parse(data);
  const { data: result, error } = await supabase.rpc('cancel_job', { p_job_id: id });
  if (error) raiseJobError(error);
  return result;
}

export function useCancelJob(options: {
  organisationId: string;
  mutationConfig?: MutationConfig<JobActionFn>;
}) {
  return useJobAction(cancelJob, options);
}
