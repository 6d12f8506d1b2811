import {
  PROJECT_STATUSES,
  type ApiHosts,
  type EnvironmentVariable,
  type Flow,
  type ProjectStatus,
  type ProjectVariable,
  type RunStatus,
} from '@forkflow/domain/flows/schemas';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

export const PROJECTS_PAGE_SIZE = 20;
export const SEQUENCES_PAGE_SIZE = 20;

export type Project = {
  id: string;
  organisation_id: string;
  slug: string;
  name: string;
  description: string | null;
  status: ProjectStatus;
  environment_id: string | null;
  api_hosts: ApiHosts;
  variables: ProjectVariable[];
  workflow_ids: string[];
  created_at: string;
  updated_at: string;
};

/**
 * What the project page needs of an environment (the app passes the environments feature's
 * rows, which have this shape): its variables' names and plain values (secrets: null), hosts.
 */
export type LinkedEnvironment = {
  id: string;
  name: string;
  api_hosts: ApiHosts;
  variables: EnvironmentVariable[];
};

/** What the project page needs of a workflow (the app passes the workflows feature's rows). */
export type ProjectWorkflow = { id: string; name: string; status: string };

const PROJECT_COLUMNS =
  'id, organisation_id, slug, name, description, status, environment_id, api_hosts, variables, workflow_ids, created_at, updated_at';

type ProjectRow = Omit<Project, 'status' | 'api_hosts' | 'variables' | 'workflow_ids'> & {
  status: string;
  api_hosts: unknown;
  variables: unknown;
  workflow_ids: string[] | null;
};

/** The jsonb columns come back as `Json`: their shapes are the domain's (CHECKed in SQL). */
const toProject = (row: ProjectRow): Project => ({
  ...row,
  status: row.status === 'archived' ? 'archived' : 'active',
  api_hosts: (row.api_hosts ?? {}) as ApiHosts,
  variables: Array.isArray(row.variables) ? (row.variables as ProjectVariable[]) : [],
  workflow_ids: row.workflow_ids ?? [],
});

// The list's filters live in the URL (?q=&status=&page=); junk there is ignored.
export const projectFiltersSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  status: z.enum([...PROJECT_STATUSES, 'all']).catch('active'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type ProjectFilters = z.output<typeof projectFiltersSchema>;

export function parseProjectFilters(params: URLSearchParams): ProjectFilters {
  return projectFiltersSchema.parse({
    q: params.get('q') ?? '',
    status: params.get('status') ?? undefined,
    page: params.get('page') ?? undefined,
  });
}

/**
 * A search term as a PostgREST `ilike` pattern inside an `or=(…)` filter: quoted (so commas
 * and brackets are text), and LIKE's own wildcards and PostgREST's `*` in what was typed
 * match any run of characters rather than breaking the filter.
 */
export function ilikeContains(q: string): string {
  const text = q.replace(/["\\%_*]/g, '*');
  return `"*${text}*"`;
}

export type Page<T> = { rows: T[]; total: number; page: number; pageCount: number };

const pageOf = <T>(rows: T[], count: number | null, page: number, size: number): Page<T> => {
  const total = count ?? rows.length;
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / size)) };
};

export type ProjectListItem = Pick<
  Project,
  'id' | 'slug' | 'name' | 'description' | 'status' | 'environment_id' | 'updated_at'
>;

/** One page of the organisation's projects, searched by name or slug on the server. */
export async function getProjects(
  organisationId: string,
  filters: ProjectFilters,
): Promise<Page<ProjectListItem>> {
  const from = (filters.page - 1) * PROJECTS_PAGE_SIZE;
  let query = supabase
    .from('projects')
    .select('id, slug, name, description, status, environment_id, updated_at', { count: 'exact' })
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId);
  if (filters.status !== 'all') query = query.eq('status', filters.status);
  if (filters.q) {
    const pattern = ilikeContains(filters.q);
    query = query.or(`name.ilike.${pattern},slug.ilike.${pattern}`);
  }
  // A unique tiebreaker keeps pages stable when names repeat.
  const { data, count, error } = await query
    .order('name')
    .order('id')
    .range(from, from + PROJECTS_PAGE_SIZE - 1);
  if (error) {
    // A page past the end (rows were deleted, or an old link): an empty page.
    if (error.code === 'PGRST103') return { rows: [], total: 0, page: filters.page, pageCount: 0 };
    raise(error);
  }
  const rows = data.map((row) => ({
    ...row,
    status: (row.status === 'archived' ? 'archived' : 'active') as ProjectStatus,
  }));
  return pageOf(rows, count, filters.page, PROJECTS_PAGE_SIZE);
}

export async function getProject(organisationId: string, id: string): Promise<Project> {
  const { data, error } = await supabase
    .from('projects')
    .select(PROJECT_COLUMNS)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) {
    throw new AppError('This project doesn’t exist, or it belongs to another organisation.', {
      code: 'not_found',
    });
  }
  return toProject(data);
}

export type SequenceLastRun = { id: string; status: RunStatus; created_at: string };

export type SequenceListItem = {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  position: number;
  flows_count: number;
  updated_at: string;
  /** The newest run, or null when it never ran. */
  last_run: SequenceLastRun | null;
};

/** One page of a project's flow sequences, in their order. */
export async function getProjectSequences(
  organisationId: string,
  projectId: string,
  page: number,
): Promise<Page<SequenceListItem>> {
  const from = (page - 1) * SEQUENCES_PAGE_SIZE;
  const { data, count, error } = await supabase
    .from('flow_sequences')
    // `flows` is at most MAX_FLOWS small objects: counting them here is cheap enough. The
    // newest run of each sequence is one index probe per row (flow_sequence_runs'
    // (organisation_id, sequence_id, created_at desc) index; PostgREST embeds it laterally).
    .select(
      'id, project_id, name, description, position, flows, updated_at, flow_sequence_runs(id, status, created_at)',
      { count: 'exact' },
    )
    .eq('organisation_id', organisationId)
    .eq('project_id', projectId)
    .order('position')
    .order('id')
    .order('created_at', { referencedTable: 'flow_sequence_runs', ascending: false })
    .limit(1, { referencedTable: 'flow_sequence_runs' })
    .range(from, from + SEQUENCES_PAGE_SIZE - 1);
  if (error) {
    if (error.code === 'PGRST103') return { rows: [], total: 0, page, pageCount: 0 };
    raise(error);
  }
  const rows = data.map(({ flows, flow_sequence_runs: runs, ...row }) => {
    const last = Array.isArray(runs) ? runs[0] : undefined;
    return {
      ...row,
      flows_count: Array.isArray(flows) ? (flows as Flow[]).length : 0,
      last_run: last ? { ...last, status: last.status as RunStatus } : null,
    };
  });
  return pageOf(rows, count, page, SEQUENCES_PAGE_SIZE);
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const projectQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'projects'] as const,
  lists: (organisationId: string) => [...projectQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string, filters: ProjectFilters) =>
    queryOptions({
      queryKey: [...projectQueries.lists(organisationId), filters] as const,
      queryFn: () => getProjects(organisationId, filters),
      // Paging and searching keep the old rows on screen until the new ones arrive, but
      // never rows of another organisation.
      placeholderData: (previous, previousQuery) =>
        previousQuery?.queryKey[1] === organisationId ? keepPreviousData(previous) : undefined,
    }),
  details: (organisationId: string) => [...projectQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...projectQueries.details(organisationId), id] as const,
      queryFn: () => getProject(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  /** Every page of one project's sequences (a move renumbers them all). */
  sequenceLists: (organisationId: string, projectId: string) =>
    [...projectQueries.all(organisationId), 'sequences', projectId] as const,
  sequences: (organisationId: string, projectId: string, page: number) =>
    queryOptions({
      queryKey: [...projectQueries.sequenceLists(organisationId, projectId), page] as const,
      queryFn: () => getProjectSequences(organisationId, projectId, page),
      // The sequence editor (another feature) changes flows and runs: read afresh on return.
      staleTime: 0,
      placeholderData: keepPreviousData,
    }),
};
