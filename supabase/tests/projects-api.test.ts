import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProjectsOrganisation,
  echoDefinition,
  ok,
  untyped,
  type EnvironmentRow,
  type ProjectRow,
  type SequenceRow,
  type Untyped,
} from './support/projects.ts';
import { callFunction, saveWorkflow, type ApiError, type Workflow } from './support/workflows.ts';

// save-environment, save-project and save-flow-sequence over HTTP (issue 11;
// docs/projects-contract.md "HTTP API"): 201 on create, 200 on save; 400 with `details` for
// a bad body and for what cannot work (an environment variable the linked environment lacks,
// a sequence that cannot run); 403 for members, 404 for outsiders; 409 for a name or slug
// already used and for a stale sequence save. Every refusal changes nothing. And
// move_flow_sequence's order.

let t: Awaited<ReturnType<typeof createProjectsOrganisation>>;
let service: Untyped;
let greet: Workflow;
let lookup: Workflow;
let project: ProjectRow;

type Detail = { path: (string | number)[]; code: string; message: string };
const details = (body: unknown) => ((body as ApiError).error.details ?? []) as Detail[];
const codes = (body: unknown) => details(body).map((d) => d.code);
const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

async function count(
  table: 'environments' | 'projects' | 'flow_sequences',
  column: string,
  value: string,
) {
  const { data, error } = await service
    .from(table)
    .select('id')
    .eq('organisation_id', t.organisationId)
    .eq(column, value);
  if (error) throw new Error(error.message);
  return (data ?? []).length;
}

beforeAll(async () => {
  t = await createProjectsOrganisation('projects-api');
  service = t.untypedService;
  greet = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    name: 'Greet',
    definition: echoDefinition(
      [
        { name: 'customer', type: 'string', required: true },
        { name: 'greeting', type: 'string', required: false, default: 'hello' },
      ],
      ['customer_id', 'message'],
    ),
  });
  lookup = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    name: 'Lookup',
    definition: echoDefinition(
      [
        { name: 'customer_id', type: 'string', required: true },
        { name: 'count', type: 'number', required: true },
      ],
      ['result'],
    ),
  });
  const res = await callFunction<ProjectRow>('save-project', {
    as: t.admin,
    body: {
      organisation_id: t.organisationId,
      slug: unique('api'),
      name: 'API project',
      environment_id: t.environment.id,
      variables: [
        {
          name: 'customer_name',
          type: 'string',
          required: true,
          source: 'hardcoded',
          value: 'Ada',
        },
        { name: 'limit', type: 'number', required: false, source: 'hardcoded', value: 3 },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`save-project: ${JSON.stringify(res.body)}`);
  project = res.body;
});

afterAll(async () => {
  await t?.fx.cleanup();
});

describe('save-environment', () => {
  const body = (extra: Record<string, unknown> = {}) => ({
    organisation_id: t.organisationId,
    name: unique('env'),
    api_hosts: { crm_api: 'https://crm.example' },
    variables: [{ name: 'region', secret: false, value: 'eu' }],
    ...extra,
  });

  it('creates (201) and saves (200) as an admin', async () => {
    const created = await callFunction<EnvironmentRow>('save-environment', {
      as: t.admin,
      body: body(),
    });
    expect(created.status).toBe(201);
    expect(created.body.organisation_id).toBe(t.organisationId);
    expect(created.body.api_hosts).toEqual({ crm_api: 'https://crm.example' });
    const saved = await callFunction<EnvironmentRow>('save-environment', {
      as: t.owner,
      body: body({ environment_id: created.body.id, name: created.body.name, api_hosts: {} }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.id).toBe(created.body.id);
    expect(saved.body.api_hosts).toEqual({});
  });

  it('refuses a bad body with every bad field in details, and saves nothing', async () => {
    const res = await callFunction('save-environment', {
      as: t.admin,
      body: body({
        name: 'Not OK!',
        api_hosts: { crm_api: 'ftp://crm.example' },
        variables: [
          { name: 'dup', secret: false, value: 'a' },
          { name: 'dup', secret: false, value: 'b' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('invalid_input');
    const paths = details(res.body).map((d) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'api_hosts.crm_api', 'variables']));
    expect(await count('environments', 'name', 'Not OK!')).toBe(0);
  });

  it('409 name_taken for a name the organisation already uses', async () => {
    const res = await callFunction('save-environment', {
      as: t.admin,
      body: body({ name: 'staging' }),
    });
    expect(res.status).toBe(409);
    expect((res.body as ApiError).error.code).toBe('name_taken');
    expect(await count('environments', 'name', 'staging')).toBe(1);
  });

  it('403 for a member, 404 for an outsider, 401 without a user; nothing saved', async () => {
    const name = unique('denied');
    const member = await callFunction('save-environment', { as: t.member, body: body({ name }) });
    expect(member.status).toBe(403);
    const outsider = await callFunction('save-environment', {
      as: t.outsider,
      body: body({ name }),
    });
    expect(outsider.status).toBe(404);
    const anon = await callFunction('save-environment', { as: null, body: body({ name }) });
    expect(anon.status).toBe(401);
    expect(await count('environments', 'name', name)).toBe(0);
  });
});

describe('save-project', () => {
  const body = (extra: Record<string, unknown> = {}) => ({
    organisation_id: t.organisationId,
    slug: unique('proj'),
    name: 'A project',
    environment_id: t.environment.id,
    api_hosts: { crm_api: 'https://crm.default.example' },
    variables: [
      {
        name: 'region',
        type: 'string',
        required: true,
        source: 'environment',
        environment_variable: 'region',
      },
      { name: 'retries', type: 'number', required: false, source: 'hardcoded', value: 2 },
    ],
    ...extra,
  });

  it('creates (201) and saves (200), with no warnings when nothing clashes', async () => {
    const created = await callFunction<ProjectRow & { warnings: Detail[] }>('save-project', {
      as: t.admin,
      body: body({ workflow_ids: [greet.id] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([]);
    expect(created.body.workflow_ids).toEqual([greet.id]);
    const saved = await callFunction<ProjectRow & { status: string }>('save-project', {
      as: t.owner,
      body: body({ project_id: created.body.id, slug: created.body.slug, status: 'archived' }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.status).toBe('archived');
  });

  it('warns when a variable has the name of an API host (the project’s or the environment’s)', async () => {
    const res = await callFunction<{ warnings: Detail[] }>('save-project', {
      as: t.admin,
      body: body({
        variables: [
          { name: 'crm_api', type: 'string', required: false, source: 'hardcoded', value: 'x' },
        ],
        api_hosts: {},
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ path: ['variables', 0, 'name'], code: 'shadows_api_host' }),
    ]);
  });

  it('400 naming each environment variable the linked environment does not have; nothing saved', async () => {
    const slug = unique('unknown-env-var');
    const res = await callFunction('save-project', {
      as: t.admin,
      body: body({
        slug,
        variables: [
          {
            name: 'region',
            type: 'string',
            required: true,
            source: 'environment',
            environment_variable: 'region',
          },
          {
            name: 'token',
            type: 'string',
            required: true,
            source: 'environment',
            environment_variable: 'auth_token',
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('unknown_environment_variable');
    expect((res.body as ApiError).error.message).toContain('auth_token');
    expect(details(res.body)).toEqual([
      expect.objectContaining({
        path: ['variables', 1, 'environment_variable'],
        code: 'unknown_environment_variable',
      }),
    ]);
    expect(await count('projects', 'slug', slug)).toBe(0);
  });

  it('400 for a bad body, every field named', async () => {
    const res = await callFunction('save-project', {
      as: t.admin,
      body: body({
        slug: 'Not A Slug',
        variables: [
          { name: 'x', type: 'date', required: true, source: 'hardcoded', value: 'today' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const paths = details(res.body).map((d) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['slug']));
    expect(paths.some((p) => p.startsWith('variables.0'))).toBe(true);
  });

  it("400 for another organisation's environment", async () => {
    const res = await callFunction('save-project', {
      as: t.admin,
      body: body({ environment_id: t.otherEnvironment.id }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('unknown_environment');
  });

  it("400 naming each workflow that is not the organisation's; nothing saved", async () => {
    const slug = unique('foreign-workflow');
    const res = await callFunction('save-project', {
      as: t.admin,
      body: body({ slug, workflow_ids: [greet.id, t.otherWorkflow.id] }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('unknown_workflow');
    expect(details(res.body)).toEqual([
      expect.objectContaining({ path: ['workflow_ids', 1], code: 'unknown_workflow' }),
    ]);
    expect(await count('projects', 'slug', slug)).toBe(0);
  });

  it('409 slug_taken', async () => {
    const res = await callFunction('save-project', {
      as: t.admin,
      body: body({ slug: project.slug }),
    });
    expect(res.status).toBe(409);
    expect((res.body as ApiError).error.code).toBe('slug_taken');
  });

  it('403 for a member, 404 for an outsider; nothing saved', async () => {
    const slug = unique('denied');
    expect(
      (await callFunction('save-project', { as: t.member, body: body({ slug }) })).status,
    ).toBe(403);
    expect(
      (await callFunction('save-project', { as: t.outsider, body: body({ slug }) })).status,
    ).toBe(404);
    expect(await count('projects', 'slug', slug)).toBe(0);
  });
});

describe('save-flow-sequence', () => {
  const parameters = [
    {
      name: 'customer',
      type: 'string',
      required: true,
      source: 'project_variable',
      project_variable: 'customer_name',
    },
    { name: 'count', type: 'number', required: true, source: 'hardcoded', value: 3 },
  ];
  const flows = () => [
    {
      id: 'flow1',
      workflow_id: greet.id,
      mappings: { customer: { source: 'sequence_parameter', parameter: 'customer' } },
      assertions: [{ path: '$.message', operator: 'exists' }],
    },
    {
      id: 'flow2',
      workflow_id: lookup.id,
      mappings: {
        customer_id: { source: 'flow_output', flow_id: 'flow1', path: ['customer_id'] },
        count: { source: 'sequence_parameter', parameter: 'count' },
      },
      assertions: [],
    },
  ];
  const body = (extra: Record<string, unknown> = {}) => ({
    project_id: project.id,
    name: unique('seq'),
    parameters,
    flows: flows(),
    ...extra,
  });

  it('creates (201, last in the project) and adds its workflows to the project', async () => {
    const res = await callFunction<SequenceRow>('save-flow-sequence', {
      as: t.admin,
      body: body(),
    });
    expect(res.status).toBe(201);
    expect(res.body.flows).toHaveLength(2);
    const { data } = await service
      .from('flow_sequences')
      .select('id, position')
      .eq('project_id', project.id);
    const positions = (data as { id: string; position: number }[]).map((r) => r.position);
    expect(
      (data as { id: string; position: number }[]).find((r) => r.id === res.body.id)?.position,
    ).toBe(Math.max(...positions));
    const { data: saved } = await service
      .from('projects')
      .select('workflow_ids')
      .eq('id', project.id)
      .single();
    expect((saved as { workflow_ids: string[] }).workflow_ids).toEqual([greet.id, lookup.id]);
  });

  it('saves (200) with the updated_at it read; 409 stale with an older one, and nothing changes', async () => {
    const created = await callFunction<SequenceRow>('save-flow-sequence', {
      as: t.admin,
      body: body(),
    });
    expect(created.status).toBe(201);
    const first = await callFunction<SequenceRow>('save-flow-sequence', {
      as: t.owner,
      body: body({
        sequence_id: created.body.id,
        name: created.body.name,
        description: 'first edit',
        expected_updated_at: created.body.updated_at,
      }),
    });
    expect(first.status).toBe(200);
    expect(first.body.updated_at).not.toBe(created.body.updated_at);
    const stale = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({
        sequence_id: created.body.id,
        name: created.body.name,
        description: 'lost edit',
        expected_updated_at: created.body.updated_at,
      }),
    });
    expect(stale.status).toBe(409);
    expect((stale.body as ApiError).error.code).toBe('stale');
    const { data } = await service
      .from('flow_sequences')
      .select('description')
      .eq('id', created.body.id)
      .single();
    expect((data as { description: string }).description).toBe('first edit');
  });

  it('409 name_taken for a name the project already uses', async () => {
    const name = unique('twice');
    expect(
      (await callFunction('save-flow-sequence', { as: t.admin, body: body({ name }) })).status,
    ).toBe(201);
    const again = await callFunction('save-flow-sequence', { as: t.admin, body: body({ name }) });
    expect(again.status).toBe(409);
    expect((again.body as ApiError).error.code).toBe('name_taken');
    expect(await count('flow_sequences', 'name', name)).toBe(1);
  });

  it('400 invalid_sequence naming every problem, and saves nothing', async () => {
    const name = unique('broken');
    const res = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({
        name,
        parameters: [
          ...parameters,
          {
            name: 'gone',
            type: 'string',
            required: true,
            source: 'project_variable',
            project_variable: 'deleted_variable',
          },
          { name: 'as_text', type: 'string', required: true, source: 'hardcoded', value: '3' },
        ],
        flows: [
          {
            id: 'flow1',
            workflow_id: greet.id,
            mappings: {
              // a later flow's output
              customer: { source: 'flow_output', flow_id: 'flow2', path: ['result'] },
              // a removed flow's output
              greeting: { source: 'flow_output', flow_id: 'flow9', path: ['x'] },
            },
            assertions: [],
          },
          {
            id: 'flow2',
            workflow_id: lookup.id,
            // count (required) unmapped; customer_id: a string parameter for a string input is
            // fine, so the type mismatch is count's in the third flow
            mappings: { customer_id: { source: 'sequence_parameter', parameter: 'customer' } },
            assertions: [],
          },
          {
            id: 'flow3',
            workflow_id: lookup.id,
            mappings: {
              customer_id: { source: 'sequence_parameter', parameter: 'customer' },
              count: { source: 'sequence_parameter', parameter: 'as_text' },
            },
            assertions: [],
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('invalid_sequence');
    expect(codes(res.body)).toEqual(
      expect.arrayContaining([
        'later_flow',
        'unknown_flow',
        'missing_required_input',
        'type_mismatch',
        'unknown_project_variable',
      ]),
    );
    expect(details(res.body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['flows', 0, 'mappings', 'customer'], code: 'later_flow' }),
        expect.objectContaining({
          path: ['flows', 0, 'mappings', 'greeting'],
          code: 'unknown_flow',
        }),
        expect.objectContaining({
          path: ['flows', 1, 'mappings', 'count'],
          code: 'missing_required_input',
        }),
        expect.objectContaining({ path: ['flows', 2, 'mappings', 'count'], code: 'type_mismatch' }),
        expect.objectContaining({
          path: ['parameters', 2, 'project_variable'],
          code: 'unknown_project_variable',
        }),
      ]),
    );
    expect(await count('flow_sequences', 'name', name)).toBe(0);
  });

  it("400 invalid_sequence for another organisation's workflow", async () => {
    const res = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({
        flows: [{ id: 'flow1', workflow_id: t.otherWorkflow.id, mappings: {}, assertions: [] }],
      }),
    });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toContain('unknown_workflow');
  });

  it('400 invalid_input for a bad body, every field named', async () => {
    const res = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({
        name: '',
        flows: [{ id: 'step1', workflow_id: 'not-a-uuid', mappings: {}, assertions: [] }],
        expected_updated_at: 'yesterday',
      }),
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('invalid_input');
    const paths = details(res.body).map((d) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'flows.0.id', 'flows.0.workflow_id']));
  });

  it('400 for an expected_updated_at that is not a timestamp', async () => {
    const res = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({ expected_updated_at: 'yesterday' }),
    });
    expect(res.status).toBe(400);
    expect(details(res.body)[0]?.path).toEqual(['expected_updated_at']);
  });

  it('403 for a member, 404 for an outsider and for a project that does not exist; nothing saved', async () => {
    const name = unique('denied');
    expect(
      (await callFunction('save-flow-sequence', { as: t.member, body: body({ name }) })).status,
    ).toBe(403);
    expect(
      (await callFunction('save-flow-sequence', { as: t.outsider, body: body({ name }) })).status,
    ).toBe(404);
    const missing = await callFunction('save-flow-sequence', {
      as: t.admin,
      body: body({ name, project_id: randomUUID() }),
    });
    expect(missing.status).toBe(404);
    expect(await count('flow_sequences', 'name', name)).toBe(0);
  });
});

describe('move_flow_sequence', () => {
  let projectId: string;
  let ids: string[];
  const order = async () => {
    const { data } = await service
      .from('flow_sequences')
      .select('id, position')
      .eq('project_id', projectId)
      .order('position');
    return (data as { id: string; position: number }[]).map((r) => [ids.indexOf(r.id), r.position]);
  };

  beforeAll(async () => {
    const res = await callFunction<ProjectRow>('save-project', {
      as: t.admin,
      body: { organisation_id: t.organisationId, slug: unique('order'), name: 'Order' },
    });
    projectId = res.body.id;
    ids = [];
    for (const name of ['first', 'second', 'third', 'fourth']) {
      const seq = await callFunction<SequenceRow>('save-flow-sequence', {
        as: t.admin,
        body: { project_id: projectId, name },
      });
      expect(seq.status).toBe(201);
      ids.push(seq.body.id);
    }
  });

  it('new sequences go last, in the order they were made', async () => {
    expect(await order()).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('moves one up, one to the end (a position past the end), renumbering 0..n-1', async () => {
    const admin = untyped(t.admin.client);
    await ok(admin, 'move_flow_sequence', { p_sequence_id: ids[3], p_position: 1 });
    expect(await order()).toEqual([
      [0, 0],
      [3, 1],
      [1, 2],
      [2, 3],
    ]);
    await ok(admin, 'move_flow_sequence', { p_sequence_id: ids[0], p_position: 99 });
    expect(await order()).toEqual([
      [3, 0],
      [1, 1],
      [2, 2],
      [0, 3],
    ]);
  });

  it('renumbers past a gap a delete left', async () => {
    const admin = untyped(t.admin.client);
    const { error } = await t.admin.client.from('flow_sequences').delete().eq('id', ids[1]!);
    expect(error).toBeNull();
    await ok(admin, 'move_flow_sequence', { p_sequence_id: ids[2], p_position: 0 });
    expect(await order()).toEqual([
      [2, 0],
      [3, 1],
      [0, 2],
    ]);
  });

  it('a move does not make an open editor stale (updated_at moves with content only)', async () => {
    const { data: before } = await service
      .from('flow_sequences')
      .select('updated_at')
      .eq('id', ids[0]!)
      .single();
    await ok(untyped(t.admin.client), 'move_flow_sequence', {
      p_sequence_id: ids[0],
      p_position: 0,
    });
    const { data: after } = await service
      .from('flow_sequences')
      .select('updated_at, position')
      .eq('id', ids[0]!)
      .single();
    expect(after).toEqual({
      updated_at: (before as { updated_at: string }).updated_at,
      position: 0,
    });
  });

  it('400 for a negative position', async () => {
    const { error } = await untyped(t.admin.client).rpc('move_flow_sequence', {
      p_sequence_id: ids[0],
      p_position: -1,
    });
    expect(error?.code).toBe('invalid_input');
  });
});

describe('concurrent saves', () => {
  it('two saves from the same loaded sequence: one is saved, the other is 409 stale', async () => {
    const created = await callFunction<SequenceRow>('save-flow-sequence', {
      as: t.admin,
      body: { project_id: project.id, name: unique('race') },
    });
    expect(created.status).toBe(201);
    const save = (who: typeof t.admin, description: string) =>
      callFunction<SequenceRow>('save-flow-sequence', {
        as: who,
        body: {
          project_id: project.id,
          sequence_id: created.body.id,
          name: created.body.name,
          description,
          expected_updated_at: created.body.updated_at,
        },
      });
    const results = await Promise.all([save(t.admin, 'by admin'), save(t.owner, 'by owner')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const { data } = await service
      .from('flow_sequences')
      .select('description')
      .eq('id', created.body.id)
      .single();
    expect((data as { description: string }).description).toBe(winner.body.description);
  });

  it('sequences created at once in one project get distinct positions', async () => {
    const res = await callFunction<ProjectRow>('save-project', {
      as: t.admin,
      body: { organisation_id: t.organisationId, slug: unique('burst'), name: 'Burst' },
    });
    const created = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((name) =>
        callFunction<SequenceRow>('save-flow-sequence', {
          as: t.admin,
          body: { project_id: res.body.id, name },
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(created.map((r) => r.body.position).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the save RPCs refuse bad shapes themselves (whoever calls them)', () => {
  const rpc = (fn: string, args: Record<string, unknown>) =>
    service.rpc(fn, args).then(({ error, status }) => ({ code: error?.code, status }));

  it('save_environment: a variable without a name, a secret whose value is not text, a bad host', async () => {
    const base = {
      p_user_id: t.owner.id,
      p_organisation_id: t.organisationId,
      p_environment_id: null,
      p_description: null,
      p_api_hosts: {},
      p_variables: [],
    };
    for (const bad of [
      { p_variables: [{ secret: false, value: 'x' }] },
      { p_variables: [{ name: 'n', secret: true, value: 42 }] },
      { p_variables: [{ name: 'n', secret: 'yes' }] },
      { p_api_hosts: { crm: 'not a url' } },
      { p_api_hosts: [] },
    ]) {
      const name = unique('bad');
      expect(
        await rpc('save_environment', { ...base, p_name: name, ...bad }),
        JSON.stringify(bad),
      ).toEqual({
        code: 'invalid_input',
        status: 400,
      });
      expect(await count('environments', 'name', name)).toBe(0);
    }
  });

  it('save_project: a variable without a name or with an unknown source', async () => {
    for (const variables of [
      [{ type: 'string', required: true, source: 'hardcoded', value: 'x' }],
      [{ name: 'v', type: 'string', required: true, source: 'elsewhere' }],
      [{ name: 'v', type: 'string', required: true, source: 'environment' }],
    ]) {
      const slug = unique('bad');
      const { code, status } = await rpc('save_project', {
        p_user_id: t.owner.id,
        p_organisation_id: t.organisationId,
        p_project_id: null,
        p_slug: slug,
        p_name: 'Bad',
        p_description: null,
        p_status: 'active',
        p_environment_id: null,
        p_api_hosts: {},
        p_variables: variables,
        p_workflow_ids: [],
      });
      expect({ code, status }, JSON.stringify(variables)).toEqual({
        code: 'invalid_input',
        status: 400,
      });
      expect(await count('projects', 'slug', slug)).toBe(0);
    }
  });

  it('save_flow_sequence: a flow without an id, with a workflow id that is not a UUID, ids twice', async () => {
    for (const flows of [
      [{ workflow_id: greet.id }],
      [{ id: 'flow1', workflow_id: 'not-a-uuid' }],
      [
        { id: 'flow1', workflow_id: greet.id },
        { id: 'flow1', workflow_id: greet.id },
      ],
    ]) {
      const name = unique('bad');
      const { code, status } = await rpc('save_flow_sequence', {
        p_user_id: t.owner.id,
        p_project_id: project.id,
        p_sequence_id: null,
        p_name: name,
        p_description: null,
        p_parameters: [],
        p_flows: flows,
      });
      expect({ code, status }, JSON.stringify(flows)).toEqual({
        code: 'invalid_sequence',
        status: 400,
      });
      expect(await count('flow_sequences', 'name', name)).toBe(0);
    }
  });
});
