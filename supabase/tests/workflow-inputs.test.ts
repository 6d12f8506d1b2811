import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callFunction,
  createWorkflowOrganisation,
  EXAMPLE_DEFINITION,
  readJob,
  saveWorkflow,
  type ApiError,
  type Started,
  type Workflow,
} from './support/workflows.ts';

// Declared workflow inputs (issue 11, "Workflow inputs"; docs/projects-contract.md and
// docs/workflows-contract.md "HTTP API"): start-workflow checks input_data against
// definition.inputs before anything is created, answers 400 invalid_input naming every bad
// field, and stores the input with its defaults filled. Undeclared workflows take any object.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let declared: Workflow;

const INPUTS = [
  { name: 'payload', type: 'string', required: true, description: 'What to echo' },
  { name: 'count', type: 'number', default: 3 },
  { name: 'loud', type: 'boolean', required: true, default: false },
  { name: 'options', type: 'object' },
  { name: 'tags', type: 'array', default: ['a'] },
];

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-inputs');
  declared = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    definition: { ...EXAMPLE_DEFINITION, inputs: INPUTS },
  });
});

afterAll(async () => {
  await t?.fx.cleanup();
});

const start = (
  workflow: string,
  input_data: unknown,
  options: { as?: typeof t.member; key?: string; organisation_id?: string } = {},
) =>
  callFunction<Started & ApiError>('start-workflow', {
    as: options.as ?? t.member,
    body: {
      workflow_id: workflow,
      input_data,
      ...(options.organisation_id ? { organisation_id: options.organisation_id } : {}),
    },
    headers: options.key ? { 'Idempotency-Key': options.key } : {},
  });

async function jobCount(workflowId: string): Promise<number> {
  const { count, error } = await t.service
    .from('jobs')
    .select('id', { count: 'exact', head: true })
    .eq('workflow_id', workflowId);
  if (error) throw error;
  return count ?? 0;
}

describe('start-workflow with declared inputs', () => {
  it('refuses a missing required input with 400 invalid_input and creates nothing', async () => {
    const before = await jobCount(declared.id);
    const res = await start(declared.id, { count: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'invalid_input',
      message: 'input_data has 1 problem: payload is required (string)',
      details: [{ path: ['payload'], code: 'missing', message: 'payload is required (string)' }],
    });
    expect(await jobCount(declared.id)).toBe(before);
  });

  it('counts null as missing for a required input', async () => {
    const res = await start(declared.id, { payload: null });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: ['payload'], code: 'missing' }),
    ]);
  });

  it('names every field of the wrong type in details, all at once', async () => {
    const before = await jobCount(declared.id);
    const res = await start(declared.key, {
      payload: 42,
      count: '3',
      loud: 'yes',
      options: [],
      tags: {},
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toMatch(/^input_data has 5 problems: payload must be a string/);
    expect(res.body.error.details).toEqual([
      { path: ['payload'], code: 'type', message: 'payload must be a string, not a number' },
      { path: ['count'], code: 'type', message: 'count must be a number, not a string' },
      { path: ['loud'], code: 'type', message: 'loud must be a boolean, not a string' },
      { path: ['options'], code: 'type', message: 'options must be an object, not an array' },
      { path: ['tags'], code: 'type', message: 'tags must be an array, not an object' },
    ]);
    expect(await jobCount(declared.id)).toBe(before);
  });

  it('stores the input with defaults filled and undeclared fields kept', async () => {
    const res = await start(declared.id, { payload: 'hi', extra: { any: 1 } });
    expect(res.status).toBe(201);
    const job = await readJob(t.service, res.body.job_id);
    expect(job.input_data).toEqual({
      payload: 'hi',
      extra: { any: 1 },
      count: 3,
      loud: false,
      tags: ['a'],
    });
  });

  it('keeps values sent over defaults', async () => {
    const res = await start(declared.key, {
      payload: 'hi',
      count: 0,
      loud: true,
      options: {},
      tags: [],
    });
    expect(res.status).toBe(201);
    const job = await readJob(t.service, res.body.job_id);
    expect(job.input_data).toEqual({ payload: 'hi', count: 0, loud: true, options: {}, tags: [] });
  });

  it('checks the workflow a key names in the organisation given', async () => {
    const res = await start(declared.key, {}, { organisation_id: t.organisationId });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveLength(1);
  });

  it("tells an outsider 404, not the workflow's inputs", async () => {
    const res = await start(declared.id, {}, { as: t.outsider });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('workflow_not_found');
  });

  it('a workflow without declared inputs accepts any object, stored as sent', async () => {
    const input = { anything: [1, 'two', null], nested: { deep: true } };
    const res = await start(t.workflow.id, input);
    expect(res.status).toBe(201);
    expect((await readJob(t.service, res.body.job_id)).input_data).toEqual(input);
    const empty = await start(t.workflow.key, {});
    expect(empty.status).toBe(201);
  });
});

describe('start-workflow with declared inputs and an Idempotency-Key', () => {
  it('answers a replay with the same job, defaults and all', async () => {
    const key = randomUUID();
    const first = await start(declared.id, { payload: 'once' }, { key });
    expect(first.status).toBe(201);
    const again = await start(declared.id, { payload: 'once' }, { key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.job_id).toBe(first.body.job_id);
  });

  it('refuses a different input under the same key as before', async () => {
    const key = randomUUID();
    expect((await start(declared.id, { payload: 'one' }, { key })).status).toBe(201);
    const other = await start(declared.id, { payload: 'two' }, { key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    const invalid = await start(declared.id, { payload: 2 }, { key });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_input');
  });

  it('stays a replay after the declared inputs changed: another default, a new required input', async () => {
    const definition = (inputs: unknown[]) => ({ ...EXAMPLE_DEFINITION, inputs });
    const workflow = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: definition([
        { name: 'payload', type: 'string' },
        { name: 'count', type: 'number', default: 1 },
      ]),
    });
    const resave = (inputs: unknown[]) =>
      saveWorkflow(t.admin, {
        organisation_id: t.organisationId,
        workflow_id: workflow.id,
        key: workflow.key,
        definition: definition(inputs),
      });
    const key = randomUUID();
    const first = await start(workflow.id, { payload: 'a' }, { key });
    expect(first.status).toBe(201);

    // Today's check fills count 2 where the job stored 1: still the earlier job.
    await resave([
      { name: 'payload', type: 'string' },
      { name: 'count', type: 'number', default: 2 },
    ]);
    const afterDefault = await start(workflow.id, { payload: 'a' }, { key });
    expect(afterDefault.status).toBe(200);
    expect(afterDefault.body.job_id).toBe(first.body.job_id);

    // Today's check refuses it (region is missing): still the earlier job.
    await resave([
      { name: 'payload', type: 'string' },
      { name: 'count', type: 'number', default: 2 },
      { name: 'region', type: 'string', required: true },
    ]);
    const afterRequired = await start(workflow.id, { payload: 'a' }, { key });
    expect(afterRequired.status).toBe(200);
    expect(afterRequired.body.job_id).toBe(first.body.job_id);

    // Something the first call did not send is another request: a conflict, as before.
    const other = await start(workflow.id, { payload: 'a', region: 'eu' }, { key });
    expect(other.status).toBe(409);
    // A new key gets today's rules.
    const fresh = await start(workflow.id, { payload: 'a' }, { key: randomUUID() });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.details).toEqual([
      expect.objectContaining({ path: ['region'], code: 'missing' }),
    ]);
    expect(await jobCount(workflow.id)).toBe(1);
  });
});

describe('save-workflow and declared inputs', () => {
  it('refuses a default that is not of its input type, naming the default', async () => {
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        key: `inputs-${randomUUID().slice(0, 8)}`,
        name: 'Bad default',
        definition: {
          ...EXAMPLE_DEFINITION,
          inputs: [{ name: 'n', type: 'number', default: 'x' }],
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details).toEqual([
      {
        path: ['inputs', 0, 'default'],
        code: 'invalid_input_default',
        message: 'The default of n must be a number, not a string',
      },
    ]);
  });
});
