import type { Tables } from '@forkflow/db';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// `search` is the server's full-text vector (public.workflow_list reads it): never shown here.
export type Workflow = Omit<Tables<'workflows'>, 'search'>;
export type WorkflowVersion = Tables<'workflow_versions'>;
export type Transformer = Pick<
  Tables<'transformers'>,
  'id' | 'organisation_id' | 'type' | 'description'
> &
  // What a step's config is checked and edited against (issue 12 §3, StepConfigEditor).
  Partial<Pick<Tables<'transformers'>, 'config' | 'config_schema'>> & {
    /** Set when the organisation retired it: kept by steps using it, offered to no new one. */
    retired_at?: string | null;
  };

export const workflowStatuses = ['active', 'archived'] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];

const LIST_COLUMNS =
  'id, organisation_id, key, name, description, status, version, created_at, updated_at';

export type WorkflowListItem = Pick<
  Workflow,
  | 'id'
  | 'organisation_id'
  | 'key'
  | 'name'
  | 'description'
  | 'status'
  | 'version'
  | 'created_at'
  | 'updated_at'
>;

export const WORKFLOWS_PAGE_SIZE = 20;

export const workflowSorts = ['updated', 'name', 'created', 'last_run'] as const;
export type WorkflowSort = (typeof workflowSorts)[number];
export const workflowSortLabels: Record<WorkflowSort, string> = {
  updated: 'Last updated',
  name: 'Name',
  created: 'Newest',
  last_run: 'Last run',
};

// The list's filters live in the URL (?q=&status=&sort=&page=); junk there is ignored.
export const workflowFiltersSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  status: z.enum([...workflowStatuses, 'all']).catch('active'),
  sort: z.enum(workflowSorts).catch('updated'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type WorkflowFilters = z.output<typeof workflowFiltersSchema>;

export function parseWorkflowFilters(params: URLSearchParams): WorkflowFilters {
  return workflowFiltersSchema.parse({
    q: params.get('q') ?? '',
    status: params.get('status') ?? undefined,
    sort: params.get('sort') ?? undefined,
    page: params.get('page') ?? undefined,
  });
}

/** A row of the workflows page: the workflow and the newest run the user may open. */
export type WorkflowPageItem = WorkflowListItem & {
  last_run: { job_id: string; status: string; at: string } | null;
};
export type WorkflowPage = {
  rows: WorkflowPageItem[];
  total: number;
  page: number;
  pageCount: number;
};

/**
 * One page of the organisation's workflows from public.workflow_list: prefix full-text search
 * over name, key and description, status, sort and each row's last run, all on the server.
 */
export async function getWorkflowPage(
  organisationId: string,
  filters: WorkflowFilters,
): Promise<WorkflowPage> {
  const { data, error } = await supabase.rpc('workflow_list', {
    p_organisation_id: organisationId,
    p_query: filters.q,
    p_status: filters.status,
    p_sort: filters.sort,
    p_limit: WORKFLOWS_PAGE_SIZE,
    p_offset: (filters.page - 1) * WORKFLOWS_PAGE_SIZE,
  });
  if (error) raise(error);
  // Generated types call the last-run columns non-null; a workflow never run has nulls.
  const rows = data.map(
    ({ last_run_job_id, last_run_status, last_run_at, total_count: _, ...workflow }) => ({
      ...workflow,
      last_run:
        (last_run_job_id as string | null) === null
          ? null
          : { job_id: last_run_job_id, status: last_run_status, at: last_run_at },
    }),
  );
  // Past the last page there are no rows to carry the total: the list then goes back a page.
  const total = data[0]?.total_count ?? 0;
  return {
    rows,
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / WORKFLOWS_PAGE_SIZE)),
  };
}

/** Every workflow of the organisation (archived too: the list filters), newest change first. */
export async function getWorkflows(organisationId: string): Promise<WorkflowListItem[]> {
  const { data, error } = await supabase
    .from('workflows')
    .select(LIST_COLUMNS)
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId)
    .order('updated_at', { ascending: false })
    .order('id');
  if (error) raise(error);
  return data;
}

export async function getWorkflow(organisationId: string, id: string): Promise<Workflow> {
  const { data, error } = await supabase
    .from('workflows')
    .select('*')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) {
    throw new AppError('This workflow doesn’t exist, or it belongs to another organisation.', {
      code: 'not_found',
    });
  }
  return data;
}

/** Every saved version, newest first (append-only). */
export async function getWorkflowVersions(
  organisationId: string,
  workflowId: string,
): Promise<WorkflowVersion[]> {
  const { data, error } = await supabase
    .from('workflow_versions')
    .select('*')
    .eq('organisation_id', organisationId)
    .eq('workflow_id', workflowId)
    .order('version', { ascending: false });
  if (error) raise(error);
  return data;
}

/** Built-ins (no organisation) and the organisation's own transformers. */
export async function getTransformers(organisationId: string): Promise<Transformer[]> {
  const { data, error } = await supabase
    .from('transformers')
    .select('id, organisation_id, type, description, config, config_schema, retired_at')
    .or(`organisation_id.is.null,organisation_id.eq.${organisationId}`)
    .order('id');
  if (error) raise(error);
  return data;
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const workflowQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'workflows'] as const,
  lists: (organisationId: string) => [...workflowQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: workflowQueries.lists(organisationId),
      queryFn: () => getWorkflows(organisationId),
    }),
  page: (organisationId: string, filters: WorkflowFilters) =>
    queryOptions({
      queryKey: [...workflowQueries.lists(organisationId), filters] as const,
      queryFn: () => getWorkflowPage(organisationId, filters),
      // Paging and searching keep the old rows on screen until the new ones arrive, but
      // never rows of another organisation.
      placeholderData: (previous, previousQuery) =>
        previousQuery?.queryKey[1] === organisationId ? keepPreviousData(previous) : undefined,
    }),
  details: (organisationId: string) => [...workflowQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...workflowQueries.details(organisationId), id] as const,
      queryFn: () => getWorkflow(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  versions: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...workflowQueries.all(organisationId), 'versions', id] as const,
      queryFn: () => getWorkflowVersions(organisationId, id),
    }),
  transformers: (organisationId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'transformers'] as const,
      queryFn: () => getTransformers(organisationId),
      staleTime: 5 * 60_000,
    }),
};
