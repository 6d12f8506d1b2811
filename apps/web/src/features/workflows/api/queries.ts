import type { Tables } from '@forkflow/db';
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

export type Workflow = Tables<'workflows'>;
export type WorkflowVersion = Tables<'workflow_versions'>;
export type Transformer = Pick<
  Tables<'transformers'>,
  'id' | 'organisation_id' | 'type' | 'description'
>;

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

// The list's filters live in the URL (?q=&status=); junk there is ignored.
export const workflowFiltersSchema = z.object({
  q: z.string().catch(''),
  status: z.enum([...workflowStatuses, 'all']).catch('active'),
});
export type WorkflowFilters = z.output<typeof workflowFiltersSchema>;

export function parseWorkflowFilters(params: URLSearchParams): WorkflowFilters {
  return workflowFiltersSchema.parse({
    q: params.get('q') ?? '',
    status: params.get('status') ?? undefined,
  });
}

/** Search by name or key, ignoring case; every word must match. */
export function matchesWorkflow(
  workflow: Pick<WorkflowListItem, 'name' | 'key' | 'status'>,
  filters: WorkflowFilters,
): boolean {
  if (filters.status !== 'all' && workflow.status !== filters.status) return false;
  const words = filters.q.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${workflow.name} ${workflow.key}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
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
    .select('id, organisation_id, type, description')
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
