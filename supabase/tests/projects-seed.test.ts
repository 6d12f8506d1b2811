import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  environmentVariableInputSchema,
  projectVariableSchema,
  saveFlowSequenceBodySchema,
  type EnvironmentVariable,
  type ProjectVariable,
  type SequenceParameter,
} from '@forkflow/domain/flows/schemas';
import {
  validateFlowSequence,
  workflowInputsOf,
  workflowOutputs,
  type WorkflowForSequence,
} from '@forkflow/domain/flows/validate-sequence';
import { resolveProjectVariables, resolveSequenceParameters } from '@forkflow/domain/flows/resolve';
import { createTestClient, type Client } from './support/env.ts';
import { ok, untyped, untypedService } from './support/projects.ts';

// The demo's "Lead enrichment" project (supabase/seed.sql, issue 11 "Demo"), as its owner
// Olivia sees it after signing in: two environments whose secrets are only stored privately,
// project variables from both sources, and a 3-flow sequence that saving would accept
// (validateFlowSequence finds nothing), its later flows reading earlier flows' outputs.

const ORGANISATION = '00000000-0000-4000-8000-000000000001';
const PROJECT = '60000000-0000-4000-8000-000000000001';
const SEQUENCE = '70000000-0000-4000-8000-000000000001';
const STAGING = '50000000-0000-4000-8000-000000000001';
const PRODUCTION = '50000000-0000-4000-8000-000000000002';

let olivia: Client;

beforeAll(async () => {
  olivia = createTestClient();
  const { error } = await olivia.auth.signInWithPassword({
    email: 'owner@forkflow.test',
    password: 'password123',
  });
  if (error) throw new Error(`sign in: ${error.message}`);
});

afterAll(async () => {
  await olivia?.auth.signOut();
});

describe('the demo project', () => {
  it('has staging and production, each with a plain variable, a secret and its own CRM host', async () => {
    const { data, error } = await untyped(olivia)
      .from('environments')
      .select('id, name, api_hosts, variables')
      .eq('organisation_id', ORGANISATION)
      .in('id', [STAGING, PRODUCTION])
      .order('name', { ascending: false });
    expect(error).toBeNull();
    const rows = data as {
      name: string;
      api_hosts: Record<string, string>;
      variables: EnvironmentVariable[];
    }[];
    expect(rows.map((r) => r.name)).toEqual(['staging', 'production']);
    expect(rows[0]?.api_hosts.crm_api).not.toBe(rows[1]?.api_hosts.crm_api);
    for (const row of rows) {
      for (const { has_value: _stored, ...variable } of row.variables) {
        expect(environmentVariableInputSchema.safeParse(variable).success).toBe(true);
      }
      expect(row.variables.filter((v) => !v.secret).length).toBeGreaterThan(0);
      expect(row.variables.filter((v) => v.secret)).toEqual([
        { name: 'api_token', secret: true, value: null, has_value: true },
      ]);
    }
    const secrets = await ok(untypedService(), 'flow_run_secret_values', {
      p_environment_id: STAGING,
    });
    expect(secrets).toEqual({ api_token: 'demo-staging-token' });
  });

  it('has variables from both sources, naming variables its environment has', async () => {
    const { data } = await untyped(olivia)
      .from('projects')
      .select('slug, environment_id, variables, workflow_ids')
      .eq('id', PROJECT)
      .single();
    const project = data as {
      slug: string;
      environment_id: string;
      variables: ProjectVariable[];
      workflow_ids: string[];
    };
    expect(project.slug).toBe('lead-enrichment');
    expect(project.environment_id).toBe(STAGING);
    for (const variable of project.variables)
      expect(projectVariableSchema.safeParse(variable).success).toBe(true);
    expect(new Set(project.variables.map((v) => v.source))).toEqual(
      new Set(['hardcoded', 'environment']),
    );
    const { data: environment } = await untyped(olivia)
      .from('environments')
      .select('variables')
      .eq('id', PRODUCTION)
      .single();
    const names = (environment as { variables: EnvironmentVariable[] }).variables.map(
      (v) => v.name,
    );
    for (const variable of project.variables) {
      if (variable.source === 'environment') expect(names).toContain(variable.environment_variable);
    }
  });

  it('has a 3-flow sequence that saving would accept, later flows reading earlier outputs', async () => {
    const { data } = await untyped(olivia)
      .from('flow_sequences')
      .select('name, parameters, flows')
      .eq('id', SEQUENCE)
      .single();
    const row = data as { name: string; parameters: unknown[]; flows: unknown[] };
    const parsed = saveFlowSequenceBodySchema.parse({ project_id: PROJECT, ...row });
    expect(parsed.flows.map((f) => f.id)).toEqual(['flow1', 'flow2', 'flow3']);
    expect(
      parsed.flows
        .slice(1)
        .every((f) => Object.values(f.mappings).some((m) => m.source === 'flow_output')),
    ).toBe(true);

    const { data: workflows } = await untyped(olivia)
      .from('workflows')
      .select('id, name, status, definition')
      .in(
        'id',
        parsed.flows.map((f) => f.workflow_id),
      );
    const map = new Map<string, WorkflowForSequence>(
      (workflows as { id: string; name: string; status: string; definition: unknown }[]).map(
        (w) => [
          w.id,
          {
            id: w.id,
            name: w.name,
            status: w.status,
            inputs: workflowInputsOf(w.definition),
            outputs: workflowOutputs(w.definition),
          },
        ],
      ),
    );
    const { data: project } = await untyped(olivia)
      .from('projects')
      .select('variables')
      .eq('id', PROJECT)
      .single();
    expect(
      validateFlowSequence(parsed, {
        workflows: map,
        projectVariables: (project as { variables: ProjectVariable[] }).variables,
      }),
    ).toEqual([]);
  });

  // Resolution as run-flow-sequence does it (without starting a run in the shared demo
  // organisation): both environments resolve every parameter, and switching changes them.
  it.each([
    [STAGING, { region: 'eu-staging', threshold: 50, crm_api: 'https://crm.staging.example' }],
    [PRODUCTION, { region: 'eu', threshold: 70, crm_api: 'https://crm.example' }],
  ] as const)('resolves every parameter with environment %s', async (environmentId, expected) => {
    const [{ data: project }, { data: environment }, { data: sequence }] = await Promise.all([
      untyped(olivia).from('projects').select('variables, api_hosts').eq('id', PROJECT).single(),
      untyped(olivia)
        .from('environments')
        .select('name, api_hosts, variables')
        .eq('id', environmentId)
        .single(),
      untyped(olivia).from('flow_sequences').select('parameters').eq('id', SEQUENCE).single(),
    ]);
    const secrets = await ok<Record<string, string>>(untypedService(), 'flow_run_secret_values', {
      p_environment_id: environmentId,
    });
    const variables = resolveProjectVariables(
      project as { variables: ProjectVariable[]; api_hosts: Record<string, string> },
      {
        ...(environment as {
          name: string;
          api_hosts: Record<string, string>;
          variables: EnvironmentVariable[];
        }),
        secrets,
      },
    );
    expect(variables.problems).toEqual([]);
    expect(variables.resolved['crm_api']?.value).toBe(expected.crm_api);
    expect(variables.resolved['api_token']).toMatchObject({ secret: true });
    const parameters = resolveSequenceParameters(
      (sequence as { parameters: SequenceParameter[] }).parameters,
      variables.resolved,
    );
    expect(parameters.problems).toEqual([]);
    expect(
      Object.fromEntries(Object.entries(parameters.resolved).map(([name, r]) => [name, r.value])),
    ).toEqual({
      company: 'Harbour Bistro',
      region: expected.region,
      threshold: expected.threshold,
      channel: 'slack',
    });
  });
});
