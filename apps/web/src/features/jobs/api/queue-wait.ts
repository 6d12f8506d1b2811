import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// The job page's "waiting for a worker" note (issue 12 §10; migration …007400): how long a
// workflow's jobs usually wait for their first claim, and how many due jobs are ahead of one.

/** With no figure for the workflow (no job finished in 24 h), a wait past this is unusual. */
export const DEFAULT_QUEUE_WAIT_MS = 10_000;

/** p95 queue wait (ms) of the workflow's jobs that finished in the last 24 h; null: none. */
export async function getWorkflowQueueWaitP95(
  organisationId: string,
  workflowId: string,
): Promise<number | null> {
  const { data, error } = await supabase.rpc('workflow_queue_wait', {
    p_organisation_id: organisationId,
    p_workflow_id: workflowId,
  });
  if (error) raise(error);
  return data[0]?.p95_ms ?? null;
}

/** Due jobs an orchestrator takes before this pending one (null once it is not pending). */
export async function getJobsAhead(jobId: string): Promise<number | null> {
  const { data, error } = await supabase.rpc('jobs_ahead', { p_job_id: jobId });
  if (error) raise(error);
  return data;
}

export const queueWaitQueries = {
  p95: (organisationId: string, workflowId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'queue-wait', workflowId] as const,
      queryFn: () => getWorkflowQueueWaitP95(organisationId, workflowId),
      // A day's percentile moves slowly.
      staleTime: 60_000,
    }),
  ahead: (organisationId: string, jobId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'jobs', 'ahead', jobId] as const,
      queryFn: () => getJobsAhead(jobId),
    }),
};
