import type { Tables } from '@forkflow/db';
import { UUID_PATTERN } from '@forkflow/domain/ids';
import {
  afterJobCursor,
  isActiveJobStatus,
  JOB_STATUSES,
  jobCursorAfter,
  type JobCursor,
  type JobStatus,
} from '@forkflow/domain/jobs';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

export type Job = Tables<'jobs'>;
export type JobEvent = Tables<'job_events'>;

export const jobStatusLabels: Record<JobStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  awaiting_retry: 'Awaiting retry',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Cancellable (contract: cancel_job) and retryable (retry_job) states. */
export const canCancelJob = (job: Pick<Job, 'status'>) => isActiveJobStatus(job.status);
export const canRetryJob = (job: Pick<Job, 'status' | 'started_at'>) =>
  job.status === 'failed' || (job.status === 'cancelled' && job.started_at !== null);

const isoDate = z.iso.date();
/** The server's UUID rule (zod's z.uuid() is stricter about versions than Postgres). */
export const uuidSchema = z.string().regex(UUID_PATTERN, 'must be a UUID');

// The list's filters live in the URL (?status=&workflow=&from=&to=&scope=); junk there is
// ignored rather than breaking the page.
export const jobFiltersSchema = z.object({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  workflow: uuidSchema.optional().catch(undefined),
  /** Created on or after this day (the viewer's time zone), YYYY-MM-DD. */
  from: isoDate.optional().catch(undefined),
  /** Created on or before this day, inclusive. */
  to: isoDate.optional().catch(undefined),
  /** Admins may see everyone's jobs; members only ever see their own (RLS). */
  scope: z.enum(['mine', 'everyone']).catch('mine'),
});
export type JobFilters = z.output<typeof jobFiltersSchema>;

export const defaultJobFilters: JobFilters = { scope: 'mine' };

export function parseJobFilters(params: URLSearchParams): JobFilters {
  return jobFiltersSchema.parse({
    status: params.get('status') ?? undefined,
    workflow: params.get('workflow') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    scope: params.get('scope') ?? undefined,
  });
}

/** The URL form of the filters, defaults left out (so /jobs is "my jobs"). */
export function jobFiltersToParams(filters: JobFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.status) out.set('status', filters.status);
  if (filters.workflow) out.set('workflow', filters.workflow);
  if (filters.from) out.set('from', filters.from);
  if (filters.to) out.set('to', filters.to);
  if (filters.scope !== defaultJobFilters.scope) out.set('scope', filters.scope);
  return out;
}

/**
 * What the server is asked for: the filters with "mine" replaced by the user's id (so the
 * cache key says whose jobs these are) and the days turned into instants.
 */
export type JobQuery = {
  status?: JobStatus | undefined;
  workflowId?: string | undefined;
  /** Inclusive lower bound on created_at (ISO instant). */
  createdFrom?: string | undefined;
  /** Exclusive upper bound on created_at (ISO instant). */
  createdBefore?: string | undefined;
  /** null = everyone the caller may see. */
  userId: string | null;
};

const startOfLocalDay = (day: string) => {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1);
};

export function toJobQuery(filters: JobFilters, userId: string): JobQuery {
  const next = filters.to ? startOfLocalDay(filters.to) : null;
  next?.setDate(next.getDate() + 1);
  return {
    status: filters.status,
    workflowId: filters.workflow,
    createdFrom: filters.from ? startOfLocalDay(filters.from).toISOString() : undefined,
    createdBefore: next ? next.toISOString() : undefined,
    userId: filters.scope === 'everyone' ? null : userId,
  };
}

export const JOBS_PAGE_SIZE = 25;

const LIST_COLUMNS =
  'id, organisation_id, workflow_id, workflow_version, user_id, status, current_step_id, ' +
  'error_code, error_message, retry_count, max_retries, next_retry_at, started_at, ' +
  'completed_at, created_at, last_updated_at, trigger_id, sequence_task_id, flow_run_flow_id';

export type JobListItem = Pick<
  Job,
  | 'id'
  | 'organisation_id'
  | 'workflow_id'
  | 'workflow_version'
  | 'user_id'
  | 'status'
  | 'current_step_id'
  | 'error_code'
  | 'error_message'
  | 'retry_count'
  | 'max_retries'
  | 'next_retry_at'
  | 'started_at'
  | 'completed_at'
  | 'created_at'
  | 'last_updated_at'
  // What started it (issue 14): a trigger, an automated sequence step, a flow run, or else
  // user_id by hand.
  | 'trigger_id'
  | 'sequence_task_id'
  | 'flow_run_flow_id'
>;

export type JobExportItem = JobListItem & Pick<Job, 'input_data' | 'final_result'>;

async function getJobsPageWith<T extends JobListItem>(
  columns: string,
  organisationId: string,
  query: JobQuery,
  cursor: JobCursor | null,
  limit: number,
): Promise<T[]> {
  let request = supabase
    .from('jobs')
    .select(columns)
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId);
  if (query.userId) request = request.eq('user_id', query.userId);
  if (query.status) request = request.eq('status', query.status);
  if (query.workflowId) request = request.eq('workflow_id', query.workflowId);
  if (query.createdFrom) request = request.gte('created_at', query.createdFrom);
  if (query.createdBefore) request = request.lt('created_at', query.createdBefore);
  if (cursor) request = afterJobCursor(request, cursor);
  const { data, error } = await request
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(limit)
    .overrideTypes<T[], { merge: false }>();
  if (error) raise(error);
  return data;
}

export const getJobsPage = (
  organisationId: string,
  query: JobQuery,
  cursor: JobCursor | null,
  limit: number = JOBS_PAGE_SIZE,
) => getJobsPageWith<JobListItem>(LIST_COLUMNS, organisationId, query, cursor, limit);

export const JOBS_EXPORT_CAP = 10_000;
const EXPORT_PAGE = 1_000;

/** Every job matching the query, page by page, up to `cap` rows. */
export async function getJobsForExport(
  organisationId: string,
  query: JobQuery,
  cap: number = JOBS_EXPORT_CAP,
): Promise<{ rows: JobExportItem[]; capped: boolean }> {
  const rows: JobExportItem[] = [];
  let cursor: JobCursor | null = null;
  for (;;) {
    const limit = Math.min(EXPORT_PAGE, cap + 1 - rows.length);
    const page: JobExportItem[] = await getJobsPageWith<JobExportItem>(
      `${LIST_COLUMNS}, input_data, final_result`,
      organisationId,
      query,
      cursor,
      limit,
    );
    rows.push(...page);
    if (rows.length > cap) return { rows: rows.slice(0, cap), capped: true };
    const last = page[page.length - 1];
    if (page.length < limit || !last) return { rows, capped: false };
    cursor = jobCursorAfter(last);
  }
}

export type JobDetail = {
  job: Job;
  events: JobEvent[];
  /**
   * The inputs the job's workflow version declares (definition.inputs), to show its input in
   * their order (definition-order.ts); undefined when it declares none or cannot be read.
   */
  inputs?: unknown;
};

/** The declared inputs of the version a job ran; undefined on any failure (order only). */
async function declaredInputsOf(job: Pick<Job, 'workflow_id' | 'workflow_version'>) {
  const { data, error } = await supabase
    .from('workflow_versions')
    .select('inputs:definition->inputs')
    .eq('workflow_id', job.workflow_id)
    .eq('version', job.workflow_version)
    .limit(1);
  if (error || !Array.isArray(data)) return undefined;
  return (data[0] as { inputs?: unknown } | undefined)?.inputs ?? undefined;
}

export async function getJob(organisationId: string, id: string): Promise<JobDetail> {
  if (!uuidSchema.safeParse(id).success) {
    throw new AppError('This job doesn’t exist, or you can’t see it.', { code: 'not_found' });
  }
  const [job, events] = await Promise.all([
    supabase
      .from('jobs')
      .select('*')
      .eq('organisation_id', organisationId)
      .eq('id', id)
      .maybeSingle(),
    supabase.from('job_events').select('*').eq('job_id', id).order('id'),
  ]);
  if (job.error) raise(job.error);
  if (events.error) raise(events.error);
  if (!job.data) {
    throw new AppError(
      'This job doesn’t exist, belongs to someone else or to another organisation.',
      { code: 'not_found' },
    );
  }
  return { job: job.data, events: events.data, inputs: await declaredInputsOf(job.data) };
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const jobQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'jobs'] as const,
  lists: (organisationId: string) => [...jobQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string, query: JobQuery) =>
    infiniteQueryOptions({
      queryKey: [...jobQueries.lists(organisationId), query] as const,
      queryFn: ({ pageParam }) => getJobsPage(organisationId, query, pageParam),
      initialPageParam: null as JobCursor | null,
      getNextPageParam: (last): JobCursor | undefined => {
        const row = last[last.length - 1];
        return last.length === JOBS_PAGE_SIZE && row ? jobCursorAfter(row) : undefined;
      },
    }),
  details: (organisationId: string) => [...jobQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...jobQueries.details(organisationId), id] as const,
      queryFn: () => getJob(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
};
