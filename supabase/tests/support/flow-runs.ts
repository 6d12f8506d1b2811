import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { allowHosts } from './connections.ts';
import { env } from './env.ts';
import { createFixtures, type TestUser } from './users.ts';
import { callFunction } from './workflows.ts';

/**
 * Helpers for the flow-run tests (issue 11, "Runs"): a project with two environments
 * (staging, production: a plain variable, a secret and an API host each), real workflows
 * (echo, and http-request against a server started here on 127.0.0.1, which `pnpm test`'s
 * functions may call), sequences saved through the service RPCs as their admin would, and
 * polling of runs. Setup goes through the save RPCs (service role, given the owner's id, which
 * they check as save-environment / save-project / save-flow-sequence would have them) so these
 * tests depend on the run path, not on the save functions' own validation.
 */

// Untyped on purpose: the run tables' jsonb columns are plain Json in packages/db's types, so
// rows are read as the shapes below (RunRow, RunFlowRow), which the assertions check anyway.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = SupabaseClient<any, 'public', any>;

export const untypedService = (): Untyped =>
  createClient(env.url, env.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as never },
  });

export async function rpc<T = unknown>(
  client: Untyped,
  fn: string,
  args: Record<string, unknown>,
): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.message}`);
  return data as T;
}

/** What the test server saw: one entry per request to /crm*. */
export interface Seen {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The "CRM" the http-request flow calls. It answers with the customer it was sent in a header,
 * whether the api_key header matched the environment's secret (`key_check`), and the api_key
 * header itself (so the flow's output holds the secret, which the orchestrator must mask).
 */
export async function startCrm(secrets: Record<string, string>) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    req.resume();
    req.on('end', () => {
      seen.push({ path, headers: req.headers });
      const environment = path.slice(1).split('/')[1] ?? '';
      const key = req.headers.api_key;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          customer: req.headers.customer ?? null,
          key_check: key === secrets[environment] ? 'matched' : 'wrong',
          key: key ?? null,
          environment,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const echo = (extra: Record<string, unknown> = {}) => ({
  transformer_id: 'echo-transformer',
  input_map: { data: '$.job_input' },
  next_step: null,
  ...extra,
});

/** The workflows the sequences use, each declaring its inputs (definition.inputs). */
export const DEFINITIONS = {
  /** Flow 1: echoes its inputs; reads the plain environment variable `region`. */
  greet: {
    inputs: [
      { name: 'customer', type: 'string', required: true },
      { name: 'greeting', type: 'string', required: true },
    ],
    start_step: 'echo',
    steps: { echo: echo() },
    output_map: {
      customer: '$.echo.output.echoed_data.customer',
      message: '$.echo.output.echoed_data.greeting',
      region: '$.variables.region',
    },
  },
  /** Flow 2: GET the `crm_api` host with the inputs (customer, api_key) as headers. */
  crm: {
    inputs: [
      { name: 'customer', type: 'string', required: true },
      { name: 'api_key', type: 'string', required: true },
    ],
    start_step: 'call',
    steps: {
      call: {
        transformer_id: 'http-request',
        input_map: { url: '$.variables.crm_api', headers: '$.job_input' },
        config: { method: 'GET' },
        next_step: null,
      },
    },
    output_map: {
      status: '$.call.output.status',
      customer: '$.call.output.body.customer',
      key_check: '$.call.output.body.key_check',
      key: '$.call.output.body.key',
      environment: '$.call.output.body.environment',
    },
  },
  /** Flow 3: echoes what it was given from flows 1 and 2. */
  summarise: {
    inputs: [
      { name: 'customer', type: 'string', required: true },
      { name: 'status', type: 'number', required: true },
      { name: 'message', type: 'string', required: false, default: 'none' },
    ],
    start_step: 'echo',
    steps: { echo: echo() },
    output_map: { summary: '$.echo.output.echoed_data' },
  },
  /** Fails for good (execute-echo's test hooks: fail_times, non_retryable). */
  failing: {
    inputs: [{ name: 'customer', type: 'string', required: true }],
    start_step: 'echo',
    steps: {
      echo: {
        transformer_id: 'echo-transformer',
        input_map: {
          data: '$.job_input.customer',
          fail_times: '$.config.fail_times',
          non_retryable: '$.config.non_retryable',
        },
        config: { fail_times: 5, non_retryable: true },
        next_step: null,
      },
    },
    output_map: { customer: '$.echo.output.echoed_data' },
  },
  /** Completes with an `__error` key in its output. */
  erroring: {
    inputs: [{ name: 'customer', type: 'string', required: true }],
    start_step: 'echo',
    steps: { echo: echo() },
    output_map: {
      __error: '$.echo.output.echoed_data.customer',
      customer: '$.echo.output.echoed_data.customer',
    },
  },
  /** Sleeps 8 s (execute-echo's delay_ms), so a test can act while its flow runs. */
  slow: {
    inputs: [{ name: 'customer', type: 'string', required: true }],
    start_step: 'echo',
    steps: {
      echo: {
        transformer_id: 'echo-transformer',
        input_map: { data: '$.job_input.customer', delay_ms: '$.config.delay_ms' },
        config: { delay_ms: 8000 },
        next_step: null,
      },
    },
    output_map: { customer: '$.echo.output.echoed_data' },
  },
  /** A workflow a test archives after saving a sequence that uses it. */
  archived: {
    inputs: [{ name: 'value', type: 'string', required: true }],
    start_step: 'echo',
    steps: { echo: echo() },
    output_map: { value: '$.echo.output.echoed_data.value' },
  },
  /** Echoes whatever it is given: for the bench and for edge cases. */
  plain: {
    inputs: [{ name: 'value', type: 'string', required: false, default: 'x' }],
    start_step: 'echo',
    steps: { echo: echo() },
    output_map: { value: '$.echo.output.echoed_data.value' },
  },
} as const;

export type WorkflowName = keyof typeof DEFINITIONS;

export const STAGING_SECRET = `sk-staging-${randomUUID()}`;
export const PRODUCTION_SECRET = `sk-production-${randomUUID()}`;

export type Flow = {
  id: string;
  workflow_id: string;
  mappings?: Record<string, unknown>;
  assertions?: unknown[];
};

export const param = (parameter: string) => ({ source: 'sequence_parameter', parameter });
export const output = (flow_id: string, ...path: string[]) => ({
  source: 'flow_output',
  flow_id,
  path,
});

/**
 * An organisation (owner, admin, member; an outsider with an organisation of their own), the
 * workflows above, environments staging and production, a project linked to staging with
 * variables from both sources, and a helper to save sequences in it.
 */
export async function createFlowProject(label: string, crmBase: string) {
  const fx = createFixtures(label);
  const { owner, admin, member, outsider } = await fx.users('owner', 'admin', 'member', 'outsider');
  const organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  const otherOrganisationId = await fx.organisation(outsider);
  const service = untypedService();
  await allowHosts(fx.service, organisationId); // the CRM below listens on 127.0.0.1

  const workflows = {} as Record<WorkflowName, string>;
  for (const [name, definition] of Object.entries(DEFINITIONS)) {
    const saved = await rpc<{ id: string }>(service, 'save_workflow', {
      p_user_id: admin.id,
      p_organisation_id: organisationId,
      p_workflow_id: null,
      p_key: `${name}-${randomUUID().slice(0, 6)}`,
      p_name: `Flow ${name}`,
      p_description: null,
      p_definition: definition,
    });
    workflows[name as WorkflowName] = saved.id;
  }

  const environment = (name: string, secret: string, region: string) =>
    rpc<{ id: string }>(service, 'save_environment', {
      p_user_id: admin.id,
      p_organisation_id: organisationId,
      p_environment_id: null,
      p_name: name,
      p_description: null,
      p_api_hosts: { crm_api: `${crmBase}/crm/${name}` },
      p_variables: [
        { name: 'region', secret: false, value: region },
        { name: 'crm_key', secret: true, value: secret },
      ],
    });
  const staging = await environment('staging', STAGING_SECRET, 'eu-west');
  const production = await environment('production', PRODUCTION_SECRET, 'us-east');

  const projectVariables = [
    {
      name: 'region',
      type: 'string',
      required: true,
      source: 'environment',
      environment_variable: 'region',
    },
    {
      name: 'api_key',
      type: 'string',
      required: true,
      source: 'environment',
      environment_variable: 'crm_key',
    },
    { name: 'customer', type: 'string', required: true, source: 'hardcoded', value: 'acme' },
  ];
  const project = async (environmentId: string | null) =>
    rpc<{ id: string }>(service, 'save_project', {
      p_user_id: admin.id,
      p_organisation_id: organisationId,
      p_project_id: null,
      p_slug: `p-${randomUUID().slice(0, 8)}`,
      p_name: `${label} project`,
      p_description: null,
      p_status: 'active',
      p_environment_id: environmentId,
      p_api_hosts: {},
      p_variables: projectVariables,
      p_workflow_ids: [],
    });
  const mainProject = await project(staging.id);

  const parameters = [
    {
      name: 'customer',
      type: 'string',
      required: true,
      source: 'project_variable',
      project_variable: 'customer',
    },
    {
      name: 'key',
      type: 'string',
      required: true,
      source: 'project_variable',
      project_variable: 'api_key',
    },
    { name: 'greeting', type: 'string', required: true, source: 'hardcoded', value: 'hello' },
  ];

  /** Saves a sequence in `projectId` (the main project by default). */
  const sequence = async (flows: Flow[], projectId = mainProject.id) =>
    rpc<{ id: string }>(service, 'save_flow_sequence', {
      p_user_id: admin.id,
      p_project_id: projectId,
      p_sequence_id: null,
      p_name: `seq ${randomUUID().slice(0, 8)}`,
      p_description: null,
      p_parameters: parameters,
      p_flows: flows.map((f) => ({ mappings: {}, assertions: [], ...f })),
      p_expected_updated_at: null,
    });

  /** The main 3-flow sequence: greet → crm (http-request) → summarise. */
  const mainFlows = (): Flow[] => [
    {
      id: 'flow1',
      workflow_id: workflows.greet,
      mappings: { customer: param('customer'), greeting: param('greeting') },
    },
    {
      id: 'flow2',
      workflow_id: workflows.crm,
      mappings: { customer: output('flow1', 'customer'), api_key: param('key') },
      assertions: [{ path: '$.status', operator: 'equals', expected: 200 }],
    },
    {
      id: 'flow3',
      workflow_id: workflows.summarise,
      mappings: {
        customer: output('flow2', 'customer'),
        status: output('flow2', 'status'),
        message: output('flow1', 'message'),
      },
    },
  ];

  return {
    fx,
    service,
    owner,
    admin,
    member,
    outsider,
    organisationId,
    otherOrganisationId,
    workflows,
    staging,
    production,
    project: mainProject,
    newProject: project,
    sequence,
    mainFlows,
  };
}

export type RunRow = {
  id: string;
  status: string;
  mode: string;
  current_flow_id: string | null;
  error: { flow_id: string; code: string; message: string } | null;
  environment_name: string | null;
  parameters: Record<string, { value: unknown; source: unknown; secret: boolean }>;
  variables: Record<string, { value: unknown; source: unknown; secret: boolean }>;
  flows: unknown[];
  finished_at: string | null;
  created_by: string | null;
};
export type RunFlowRow = {
  id: string;
  flow_id: string;
  attempt: number;
  position: number;
  status: string;
  job_id: string | null;
  inputs: Record<string, { value: unknown; source: Record<string, unknown>; secret: boolean }>;
  output: Record<string, unknown> | null;
  assertions: { passed: boolean; message: string }[];
  error: { code: string; message: string } | null;
};

export async function readRun(client: Untyped, runId: string): Promise<RunRow> {
  const { data, error } = await client
    .from('flow_sequence_runs')
    .select('*')
    .eq('id', runId)
    .single();
  if (error) throw new Error(`read run: ${error.message}`);
  return data as RunRow;
}

/** The run's flows, in order and attempt. */
export async function readRunFlows(client: Untyped, runId: string): Promise<RunFlowRow[]> {
  const { data, error } = await client
    .from('flow_sequence_run_flows')
    .select('*')
    .eq('run_id', runId)
    .order('position')
    .order('attempt');
  if (error) throw new Error(`read run flows: ${error.message}`);
  return data as RunFlowRow[];
}

/** Polls the run until its status is one of `statuses` (the stack's cron and kicks drive it). */
export async function waitForRun(
  client: Untyped,
  runId: string,
  statuses: string[],
  until: (run: RunRow) => boolean = () => true,
  timeoutMs = 45_000,
): Promise<RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await readRun(client, runId);
    if (statuses.includes(run.status) && until(run)) return run;
    if (Date.now() > deadline) {
      throw new Error(
        `run ${runId} still ${run.status} at ${run.current_flow_id} after ${timeoutMs} ms (waiting for ${statuses.join('|')})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export async function runSequence(
  as: TestUser | string | null,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await callFunction<Record<string, unknown>>('run-flow-sequence', { as, body });
  return { status: res.status, body: res.body };
}

export async function runAction(
  as: TestUser | string | null,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await callFunction<Record<string, unknown>>('flow-run-action', { as, body });
  return { status: res.status, body: res.body };
}

/** Starts a run and returns its id; throws unless it was created. */
export async function startRun(
  as: TestUser,
  sequenceId: string,
  mode: 'normal' | 'debug' = 'normal',
): Promise<string> {
  const res = await runSequence(as, { sequence_id: sequenceId, mode });
  if (res.status !== 201)
    throw new Error(`run-flow-sequence: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.run_id as string;
}
