import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { raiseJobError, useJobAction, type JobActionFn } from './job-action';
import { uuidSchema } from './queries';

export const retryJobInputSchema = z.object({ id: uuidSchema });

/** Failed (or cancelled after it started) → runs again from the failed step, same version. */
export async function retryJob({
  organisationId: _organisationId,
  ...data
}: Parameters<JobActionFn>[0]) {
  const { id } = retryJobInputSchema.parse(data);
  const { data: result, error } = await supabase.rpc('retry_job', { p_job_id: id });
  if (error) raiseJobError(error);
  return result;
}

export function useRetryJob(options: {
  organisationId: string;
  mutationConfig?: MutationConfig<JobActionFn>;
}) {
  return useJobAction(retryJob, options);
}
