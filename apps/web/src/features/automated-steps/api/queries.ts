import type { ProjectForInputMap } from '@forkflow/domain/automated-steps';
import { SCALAR_TYPES, type ScalarType } from '@forkflow/domain/flows/schemas';
import { workflowInputsSchema, type WorkflowInput } from '@forkflow/domain/workflow-inputs';
import { queryOptions } from '@tanstack/react-query';
import type { SearchPickerOption } from '@/components/ui/search-picker';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// The builder's reads for an automated step: the organisation's active workflows (searched on
// the server as you type, so a long list is never cut), the picked one's declared inputs
// (its current definition's `inputs`), and the projects whose variables an input may take.

export type AutomatedWorkflow = {
  id: string;
  name: string;
  key: string;
  status: string;
  /** The current version's declared inputs; none when the definition declares none. */
  inputs: WorkflowInput[];
};

/** A project's variables by name and type: a secret's value never comes to the builder. */
export type AutomatedProject = ProjectForInputMap & {
  name: string;
  variables: Array<{ name: string; type: ScalarType }>;
  api_hosts: Record<string, string>;
};

/** The names an input may read from a project: its variables, then its API hosts. */
export const projectVariableNames = (project: AutomatedProject): string[] => [
  ...project.variables.map((variable) => variable.name),
  ...Object.keys(project.api_hosts).filter(
    (name) => !project.variables.some((variable) => variable.name === name),
  ),
];

/** Inputs the definition declares; anything malformed reads as none (the save re-checks). */
export function declaredInputs(definition: unknown): WorkflowInput[] {
  const inputs = (definition as { inputs?: unknown } | null)?.inputs;
  const parsed = workflowInputsSchema.safeParse(inputs ?? []);
  return parsed.success ? parsed.data : [];
}

/** A typed search as an `ilike` pattern: LIKE's own wildcards match literally-ish (any run). */
const containsPattern = (q: string) => `%${q.replace(/[\\%_*]/g, '*')}%`;

export async function searchWorkflows(
  organisationId: string,
  q: string,
  limit: number,
  signal: AbortSignal,
): Promise<SearchPickerOption[]> {
  let query = supabase
    .from('workflows')
    .select('id, name, key')
    .eq('organisation_id', organisationId)
    .eq('status', 'active')
    .order('name')
    .order('id')
    .limit(limit)
    .abortSignal(signal);
  if (q) query = query.ilike('name', containsPattern(q));
  const { data, error } = await query;
  if (error) raise(error);
  return data.map((row) => ({ value: row.id, label: row.name, description: row.key }));
}

export async function getAutomatedWorkflow(
  organisationId: string,
  id: string,
): Promise<AutomatedWorkflow | null> {
  const { data, error } = await supabase
    .from('workflows')
    .select('id, name, key, status, definition')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  if (error) raise(error);
  if (!data) return null;
  const { definition, ...workflow } = data;
  return { ...workflow, inputs: declaredInputs(definition) };
}

export async function getAutomatedProjects(organisationId: string): Promise<AutomatedProject[]> {
  const { data, error } = await supabase
    .from('projects')
    .select('id, name, variables, api_hosts')
    .eq('organisation_id', organisationId)
    .order('name');
  if (error) raise(error);
  return data.map((project) => ({
    id: project.id,
    name: project.name,
    variables: (Array.isArray(project.variables) ? project.variables : []).flatMap((variable) => {
      const item = variable as { name?: unknown; type?: unknown } | null;
      const type = SCALAR_TYPES.find((scalar) => scalar === item?.type) ?? 'string';
      return typeof item?.name === 'string' ? [{ name: item.name, type }] : [];
    }),
    // API hosts resolve as variables too (`$.variables.<name>`): their names, as strings.
    api_hosts: Object.fromEntries(
      Object.entries(
        project.api_hosts &&
          typeof project.api_hosts === 'object' &&
          !Array.isArray(project.api_hosts)
          ? project.api_hosts
          : {},
      ).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  }));
}

export const automatedStepQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'automated-steps'] as const,
  workflowSearchKey: (organisationId: string) =>
    [...automatedStepQueries.all(organisationId), 'workflow-search'] as const,
  workflow: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...automatedStepQueries.all(organisationId), 'workflow', id] as const,
      queryFn: () => getAutomatedWorkflow(organisationId, id),
    }),
  projects: (organisationId: string) =>
    queryOptions({
      queryKey: [...automatedStepQueries.all(organisationId), 'projects'] as const,
      queryFn: () => getAutomatedProjects(organisationId),
    }),
};
