import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { JobQuery } from './queries';

// Bulk actions of the Jobs list (issue 12 §7/§9): retry the selected failed jobs, delete the
// selected ones, or every finished job matching the list's filters — H6's RPCs (migration
// …007100; docs/workflows-contract.md): owners/admins any job of the organisation, members
// their own, finished jobs only, the rest skipped.

/** The list's query as the RPCs' p_filters (from inclusive, to exclusive, on created_at). */
export function toFinishedJobFilters(query: JobQuery): Record<string, unknown> {
  return {
    ...(query.status ? { status: [query.status] } : {}),
    ...(query.workflowId ? { workflow_id: query.workflowId } : {}),
    ...(query.createdFrom ? { from: query.createdFrom } : {}),
    ...(query.createdBefore ? { to: query.createdBefore } : {}),
    mine: query.userId !== null,
  };
}

export async function countFinishedJobs(organisationId: string, query: JobQuery) {
  const { data, error } = await supabase.rpc('count_finished_jobs', {
    p_organisation_id: organisationId,
    p_filters: toFinishedJobFilters(query) as never,
  });
  if (error) raise(error);
  return data;
}

export async function deleteFinishedJobs(organisationId: string, query: JobQuery) {
  const { data, error } = await supabase.rpc('delete_finished_jobs', {
    p_organisation_id: organisationId,
    p_filters: toFinishedJobFilters(query) as never,
  });
  if (error) raise(error);
  return data;
}

/** The RPC takes at most 1,000 ids; the list never selects more than it shows. */
export async function deleteJobs(ids: readonly string[]) {
  const { data, error } = await supabase.rpc('delete_jobs', { p_job_ids: [...ids] });
  if (error) raise(error);
  return data;
}

export type BulkRetryReport = {
  retried: number;
  /** Selected jobs that were not failed: retry is for failed ones. */
  notFailed: number;
  /** Refused by retry_job (the state moved on, or not allowed), with its words. */
  refused: { id: string; message: string }[];
};

/**
 * retry_job for each selected failed job, one after another (a handful at a time would race
 * the orchestrator for nothing; the list is at most a few pages). Never throws: the report
 * says what happened to each.
 */
export async function retryJobs(
  jobs: readonly { id: string; status: string }[],
): Promise<BulkRetryReport> {
  const report: BulkRetryReport = { retried: 0, notFailed: 0, refused: [] };
  for (const job of jobs) {
    if (job.status !== 'failed') {
      report.notFailed += 1;
      continue;
    }
    const { error } = await supabase.rpc('retry_job', { p_job_id: job.id });
    if (error) report.refused.push({ id: job.id, message: error.message });
    else report.retried += 1;
  }
  return report;
}
