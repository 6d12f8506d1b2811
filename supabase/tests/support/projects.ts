import type { SupabaseClient } from '@supabase/supabase-js';
import { serviceClient } from './env.ts';
import type { TestUser } from './users.ts';
import { createWorkflowOrganisation, saveWorkflow } from './workflows.ts';

/**
 * Helpers for the tests of environments, projects and flow sequences (issue 11): an
 * organisation with one user per role (createWorkflowOrganisation's), rows made through the
 * service-role save RPCs as its owner would, and untyped clients for calls whose nullable
 * arguments the generated types spell as required strings.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = SupabaseClient<any, 'public', any>;

export const untyped = (client: unknown): Untyped => client as Untyped;

export const untypedService = (): Untyped => untyped(serviceClient());

/** An RPC's answer: its data, or the error PostgREST answered with and the HTTP status. */
export async function call(
  client: Untyped,
  fn: string,
  args: Record<string, unknown>,
): Promise<{ data: unknown; error: { code: string; message: string } | null; status: number }> {
  const { data, error, status } = await client.rpc(fn, args);
  return { data, error: error ? { code: error.code, message: error.message } : null, status };
}

/** The RPC's data; throws with its message otherwise. */
export async function ok<T = Record<string, unknown>>(
  client: Untyped,
  fn: string,
  args: Record<string, unknown>,
): Promise<T> {
  const { data, error } = await call(client, fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

export type EnvironmentRow = {
  id: string;
  organisation_id: string;
  name: string;
  api_hosts: Record<string, string>;
  variables: { name: string; secret: boolean; value: string | null; has_value: boolean }[];
  updated_at: string;
};
export type ProjectRow = {
  id: string;
  organisation_id: string;
  slug: string;
  environment_id: string | null;
  variables: unknown[];
  workflow_ids: string[];
  updated_at: string;
};
export type SequenceRow = {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  position: number;
  flows: unknown[];
  parameters: unknown[];
  updated_at: string;
};

export const suffix = () => Math.random().toString(36).slice(2, 8);

export function environmentArgs(
  by: TestUser,
  organisationId: string,
  input: {
    id?: string | null;
    name?: string;
    api_hosts?: Record<string, string>;
    variables?: { name: string; secret: boolean; value?: string | null }[];
  } = {},
) {
  return {
    p_user_id: by.id,
    p_organisation_id: organisationId,
    p_environment_id: input.id ?? null,
    p_name: input.name ?? `env-${suffix()}`,
    p_description: null,
    p_api_hosts: input.api_hosts ?? {},
    p_variables: input.variables ?? [],
  };
}

export function projectArgs(
  by: TestUser,
  organisationId: string,
  input: {
    id?: string | null;
    slug?: string;
    environment_id?: string | null;
    variables?: unknown[];
    api_hosts?: Record<string, string>;
    workflow_ids?: string[];
  } = {},
) {
  const slug = input.slug ?? `project-${suffix()}`;
  return {
    p_user_id: by.id,
    p_organisation_id: organisationId,
    p_project_id: input.id ?? null,
    p_slug: slug,
    p_name: `Project ${slug}`,
    p_description: null,
    p_status: 'active',
    p_environment_id: input.environment_id ?? null,
    p_api_hosts: input.api_hosts ?? {},
    p_variables: input.variables ?? [],
    p_workflow_ids: input.workflow_ids ?? [],
  };
}

export function sequenceArgs(
  by: TestUser,
  projectId: string,
  input: {
    id?: string | null;
    name?: string;
    parameters?: unknown[];
    flows?: unknown[];
    expected_updated_at?: string | null;
  } = {},
) {
  return {
    p_user_id: by.id,
    p_project_id: projectId,
    p_sequence_id: input.id ?? null,
    p_name: input.name ?? `Sequence ${suffix()}`,
    p_description: null,
    p_parameters: input.parameters ?? [],
    p_flows: input.flows ?? [],
    p_expected_updated_at: input.expected_updated_at ?? null,
  };
}

/** An echo workflow declaring its inputs (definition.inputs) and its outputs (output_map). */
export function echoDefinition(
  inputs: { name: string; type: string; required?: boolean; default?: unknown }[],
  outputs: string[],
) {
  return {
    inputs,
    start_step: 'echo',
    steps: {
      echo: {
        transformer_id: 'echo-transformer',
        input_map: { data: '$.job_input' },
        next_step: null,
      },
    },
    output_map: Object.fromEntries(outputs.map((o) => [o, `$.echo.output.echoed_data.${o}`])),
  };
}

/**
 * createWorkflowOrganisation's organisation (owner, admin, member, colleague; an outsider
 * with an organisation of their own) plus an environment, a project linked to it, and a
 * sequence in each organisation, made as their owners.
 */
export async function createProjectsOrganisation(label: string) {
  const t = await createWorkflowOrganisation(label);
  const service = untypedService();
  const environment = await ok<EnvironmentRow>(
    service,
    'save_environment',
    environmentArgs(t.owner, t.organisationId, {
      name: 'staging',
      api_hosts: { crm_api: 'https://crm.staging.example' },
      variables: [
        { name: 'region', secret: false, value: 'eu' },
        { name: 'api_key', secret: true, value: 'sk-staging-123' },
      ],
    }),
  );
  const project = await ok<ProjectRow>(
    service,
    'save_project',
    projectArgs(t.owner, t.organisationId, { environment_id: environment.id }),
  );
  const flow = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    definition: echoDefinition([{ name: 'customer', type: 'string' }], ['customer']),
  });
  const sequence = await ok<SequenceRow>(
    service,
    'save_flow_sequence',
    sequenceArgs(t.owner, project.id, {
      flows: [{ id: 'flow1', workflow_id: flow.id, mappings: {}, assertions: [] }],
    }),
  );
  const otherEnvironment = await ok<EnvironmentRow>(
    service,
    'save_environment',
    environmentArgs(t.outsider, t.otherOrganisationId, { name: 'staging' }),
  );
  const otherProject = await ok<ProjectRow>(
    service,
    'save_project',
    projectArgs(t.outsider, t.otherOrganisationId, { environment_id: otherEnvironment.id }),
  );
  const otherSequence = await ok<SequenceRow>(
    service,
    'save_flow_sequence',
    sequenceArgs(t.outsider, otherProject.id),
  );
  return {
    ...t,
    untypedService: service,
    flow,
    environment,
    project,
    sequence,
    otherEnvironment,
    otherProject,
    otherSequence,
  };
}
