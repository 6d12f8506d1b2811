import type { ApiHosts, EnvironmentVariable } from '@forkflow/domain/flows/schemas';
import { queryOptions } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

/**
 * An environment as every reader sees it: a secret's `value` is always null (its value lives
 * where no API role reads it; `has_value` says whether one is stored).
 */
export type Environment = {
  id: string;
  organisation_id: string;
  name: string;
  description: string | null;
  api_hosts: ApiHosts;
  variables: EnvironmentVariable[];
  created_at: string;
  updated_at: string;
};

export const ENVIRONMENT_COLUMNS =
  'id, organisation_id, name, description, api_hosts, variables, created_at, updated_at';

/** The jsonb columns come back as `Json`: their shapes are the domain's (CHECKed in SQL). */
export const toEnvironment = (row: {
  id: string;
  organisation_id: string;
  name: string;
  description: string | null;
  api_hosts: unknown;
  variables: unknown;
  created_at: string;
  updated_at: string;
}): Environment => ({
  ...row,
  api_hosts: (row.api_hosts ?? {}) as ApiHosts,
  variables: Array.isArray(row.variables) ? (row.variables as EnvironmentVariable[]) : [],
});

/** Every environment of the organisation, by name (a handful: staging, production…). */
export async function getEnvironments(organisationId: string): Promise<Environment[]> {
  const { data, error } = await supabase
    .from('environments')
    .select(ENVIRONMENT_COLUMNS)
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId)
    .order('name');
  if (error) raise(error);
  return data.map(toEnvironment);
}

export async function getEnvironment(organisationId: string, id: string): Promise<Environment> {
  const { data, error } = await supabase
    .from('environments')
    .select(ENVIRONMENT_COLUMNS)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) {
    throw new AppError('This environment doesn’t exist, or it belongs to another organisation.', {
      code: 'not_found',
    });
  }
  return toEnvironment(data);
}

export type EnvironmentProject = { id: string; name: string };

/** The projects linked to an environment (deleting it unlinks them). */
export async function getEnvironmentProjects(
  organisationId: string,
  environmentId: string,
): Promise<EnvironmentProject[]> {
  const { data, error } = await supabase
    .from('projects')
    .select('id, name')
    .eq('organisation_id', organisationId)
    .eq('environment_id', environmentId)
    .order('name');
  if (error) raise(error);
  return data;
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const environmentQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'environments'] as const,
  lists: (organisationId: string) => [...environmentQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: environmentQueries.lists(organisationId),
      queryFn: () => getEnvironments(organisationId),
    }),
  details: (organisationId: string) =>
    [...environmentQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...environmentQueries.details(organisationId), id] as const,
      queryFn: () => getEnvironment(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  projects: (organisationId: string, environmentId: string) =>
    queryOptions({
      queryKey: [...environmentQueries.all(organisationId), 'projects', environmentId] as const,
      queryFn: () => getEnvironmentProjects(organisationId, environmentId),
    }),
};
