import type {
  EnvironmentVariable,
  Flow,
  ProjectVariable,
  SequenceParameter,
} from '@forkflow/domain/flows/schemas';
import { UUID_PATTERN } from '@forkflow/domain/ids';
import { queryOptions } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// The sequence editor's reads: the sequence, its project (variables and linked environment,
// to show each variable's current value), the organisation's workflows (declared inputs and
// outputs) and what each flow last returned (nested output fields to map). Shapes as in
// docs/projects-contract.md ("Tables").

// jsonb columns come typed as Json: their shapes are the domain's (schemas.ts), written only
// by the save functions, which parse them with the same schemas.
export type FlowSequence = {
  id: string;
  organisation_id: string;
  project_id: string;
  name: string;
  description: string | null;
  position: number;
  parameters: SequenceParameter[];
  flows: Flow[];
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export type SequenceProject = {
  id: string;
  name: string;
  environment_id: string | null;
  variables: ProjectVariable[];
};

export type SequenceEnvironment = { id: string; name: string; variables: EnvironmentVariable[] };

/** A workflow as the editor needs it: its declared inputs and its outputs come from the definition. */
export type SequenceWorkflow = {
  id: string;
  name: string;
  key: string;
  status: string;
  definition: unknown;
};

/** Flow id → the output (final_result) of its latest passed attempt in this sequence's runs. */
export type LastOutputs = Record<string, unknown>;

const notFoundError = (what: string) =>
  new AppError(`This ${what} doesn’t exist, or it belongs to another organisation.`, {
    code: 'not_found',
  });

export async function getFlowSequence(organisationId: string, id: string): Promise<FlowSequence> {
  if (!UUID_PATTERN.test(id)) throw notFoundError('sequence');
  const { data, error } = await supabase
    .from('flow_sequences')
    .select('*')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) throw notFoundError('sequence');
  return data as unknown as FlowSequence;
}

export async function getSequenceProject(
  organisationId: string,
  projectId: string,
): Promise<{ project: SequenceProject; environment: SequenceEnvironment | null }> {
  if (!UUID_PATTERN.test(projectId)) throw notFoundError('project');
  const { data, error } = await supabase
    .from('projects')
    .select('id, name, environment_id, variables')
    .eq('organisation_id', organisationId)
    .eq('id', projectId)
    .maybeSingle();
  if (error) raise(error);
  if (!data) throw notFoundError('project');
  const project = data as unknown as SequenceProject;
  if (!project.environment_id) return { project, environment: null };
  const environment = await supabase
    .from('environments')
    .select('id, name, variables')
    .eq('organisation_id', organisationId)
    .eq('id', project.environment_id)
    .maybeSingle();
  if (environment.error) raise(environment.error);
  return {
    project,
    environment: (environment.data as unknown as SequenceEnvironment | null) ?? null,
  };
}

export async function getSequenceWorkflows(organisationId: string): Promise<SequenceWorkflow[]> {
  const { data, error } = await supabase
    .from('workflows')
    .select('id, name, key, status, definition')
    .eq('organisation_id', organisationId)
    .order('name');
  if (error) raise(error);
  return data;
}

/** How many recent run flows are read to find each flow's last output. */
const LAST_OUTPUT_ROWS = 50;

export async function getLastOutputs(
  organisationId: string,
  sequenceId: string,
): Promise<LastOutputs> {
  const { data, error } = await supabase
    .from('flow_sequence_run_flows')
    .select('flow_id, output, finished_at, run:flow_sequence_runs!inner(sequence_id)')
    .eq('organisation_id', organisationId)
    .eq('run.sequence_id', sequenceId)
    .eq('status', 'passed')
    .order('finished_at', { ascending: false, nullsFirst: false })
    .limit(LAST_OUTPUT_ROWS);
  if (error) raise(error);
  const outputs: LastOutputs = {};
  for (const row of (data ?? []) as Array<{ flow_id: string; output: unknown }>) {
    if (!(row.flow_id in outputs)) outputs[row.flow_id] = row.output;
  }
  return outputs;
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const flowSequenceQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'flow-sequences'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...flowSequenceQueries.all(organisationId), 'detail', id] as const,
      queryFn: () => getFlowSequence(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  project: (organisationId: string, projectId: string) =>
    queryOptions({
      queryKey: [...flowSequenceQueries.all(organisationId), 'project', projectId] as const,
      queryFn: () => getSequenceProject(organisationId, projectId),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  workflows: (organisationId: string) =>
    queryOptions({
      queryKey: [...flowSequenceQueries.all(organisationId), 'workflows'] as const,
      queryFn: () => getSequenceWorkflows(organisationId),
    }),
  lastOutputs: (organisationId: string, sequenceId: string) =>
    queryOptions({
      queryKey: [...flowSequenceQueries.all(organisationId), 'last-outputs', sequenceId] as const,
      queryFn: () => getLastOutputs(organisationId, sequenceId),
    }),
};
