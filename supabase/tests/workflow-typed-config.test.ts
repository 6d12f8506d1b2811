import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callFunction,
  createWorkflowOrganisation,
  EXAMPLE_DEFINITION,
  saveWorkflow,
  uniqueKey,
  type ApiError,
  type Started,
  type Workflow,
} from './support/workflows.ts';

// Typed configuration (issue 12 §3; docs/workflow-manager/typed-configuration.md): the built-in
// transformers declare their config fields (transformers.config_schema, migration …006700);
// save-workflow checks each step's config merged over its transformer's against them and
// answers 400 invalid_definition at steps.<id>.config.<field>; start-workflow checks input_data
// against the typed inputs (format, enum, range, integer, file reference) with 400
// invalid_input naming the field. Neither creates anything when it refuses.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let typed: Workflow;

const httpStep = (config: Record<string, unknown>) => ({
  start_step: 'call',
  steps: { call: { transformer_id: 'http-request', config, next_step: null } },
});

const INPUTS = [
  { name: 'payload', type: 'string', required: true },
  { name: 'email', type: 'string', format: 'email' },
  { name: 'day', type: 'string', format: 'date' },
  { name: 'country', type: 'string', enum: ['NL', 'BE'] },
  { name: 'limit', type: 'integer', minimum: 1, maximum: 10, default: 5 },
  { name: 'audio', type: 'file', accept: 'audio/*', max_bytes: 1_000_000 },
];

beforeAll(async () => {
  t = await createWorkflowOrganisation('typed-config');
  typed = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    definition: { ...EXAMPLE_DEFINITION, inputs: INPUTS },
  });
});

afterAll(async () => {
  await t?.fx.cleanup();
});

const save = (definition: unknown, key = uniqueKey('typed')) =>
  callFunction<Workflow & ApiError>('save-workflow', {
    as: t.admin,
    body: { organisation_id: t.organisationId, key, name: key, definition },
  });

describe('transformers.config_schema', () => {
  it('the built-ins declare the fields their executors read', async () => {
    const { data, error } = await t.service
      .from('transformers')
      .select('id, config_schema')
      .is('organisation_id', null)
      .order('id');
    if (error) throw error;
    const names = Object.fromEntries(
      data.map((row) => [
        row.id,
        (row.config_schema as { fields: { name: string }[] }).fields.map((f) => f.name),
      ]),
    );
    expect(names['echo-transformer']).toEqual([]);
    expect(names['http-request']).toEqual([
      'method',
      'url',
      'headers',
      'timeout_ms',
      'max_response_bytes',
    ]);
    expect(names['gemini-timestamp-transcriber']).toEqual([
      'prompt',
      'model',
      'max_audio_bytes',
      'timeout_ms',
      'temperature',
    ]);
  });

  it('refuses a config_schema that is not an object with a fields array', async () => {
    for (const schema of [[], { fields: {} }, { fields: [], rules: 1 }]) {
      const { error } = await t.service
        .from('transformers')
        .update({ config_schema: schema })
        .eq('id', 'echo-transformer')
        .is('organisation_id', null);
      expect(error?.code).toBe('23514');
    }
  });

  it('members read it; a member cannot write it, another organisation cannot see its rows', async () => {
    const read = await t.member.client
      .from('transformers')
      .select('config_schema')
      .eq('id', 'http-request')
      .single();
    expect(read.error).toBeNull();
    const id = `typed-${randomUUID().slice(0, 8)}`;
    const { error } = await t.admin.client.from('transformers').insert({
      id,
      organisation_id: t.organisationId,
      type: 'http',
      target_function: 'execute-http-request',
      config_schema: { fields: [{ name: 'url', type: 'string', format: 'url' }] },
    });
    expect(error).toBeNull();
    const byMember = await t.member.client
      .from('transformers')
      .update({ config_schema: { fields: [] } })
      .eq('id', id)
      .select();
    expect(byMember.data).toEqual([]);
    const byOutsider = await t.outsider.client.from('transformers').select('id').eq('id', id);
    expect(byOutsider.data).toEqual([]);
    await t.service.from('transformers').delete().eq('id', id);
  });
});

describe('save-workflow checks each step config against its transformer', () => {
  it('accepts a good config', async () => {
    const res = await save(
      httpStep({ method: 'POST', url: 'https://api.crm.test/hook', timeout_ms: 5000 }),
    );
    expect(res.status).toBe(201);
  });

  it('refuses bad fields with their paths and saves nothing', async () => {
    const key = uniqueKey('typed-bad');
    const res = await save(
      httpStep({
        method: 'FETCH',
        url: 'not a url',
        headers: ['x'],
        timeout_ms: 1.5,
        max_response_bytes: 0,
      }),
      key,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details).toEqual([
      {
        path: ['steps', 'call', 'config', 'method'],
        code: 'invalid_config',
        message:
          'Step call: method must be one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"',
      },
      expect.objectContaining({
        path: ['steps', 'call', 'config', 'url'],
        message: 'Step call: url must be an http(s) URL',
      }),
      expect.objectContaining({ path: ['steps', 'call', 'config', 'headers'] }),
      expect.objectContaining({
        path: ['steps', 'call', 'config', 'timeout_ms'],
        message: 'Step call: timeout_ms must be an integer, not a number with a fraction',
      }),
      expect.objectContaining({
        path: ['steps', 'call', 'config', 'max_response_bytes'],
        message: 'Step call: max_response_bytes must be at least 1',
      }),
    ]);
    const { count } = await t.service
      .from('workflows')
      .select('id', { count: 'exact', head: true })
      .eq('key', key);
    expect(count).toBe(0);
  });

  it('checks a pattern and a range on the Gemini step', async () => {
    const res = await save({
      start_step: 'tx',
      steps: {
        tx: {
          transformer_id: 'gemini-timestamp-transcriber',
          config: { model: '../../admin', temperature: 3 },
          next_step: null,
        },
      },
    });
    expect(res.status).toBe(400);
    expect((res.body.error.details as { path: string[] }[]).map((d) => d.path.join('.'))).toEqual([
      'steps.tx.config.model',
      'steps.tx.config.temperature',
    ]);
  });

  it("checks an organisation transformer's preset merged with the step, by its type's schema", async () => {
    const id = `crm-${randomUUID().slice(0, 8)}`;
    const { error } = await t.service.from('transformers').insert({
      id,
      organisation_id: t.organisationId,
      type: 'http',
      target_function: 'execute-http-request',
      config: { method: 'POST', url: 'https://api.crm.test/hook' },
    });
    expect(error).toBeNull();
    const step = (config: Record<string, unknown>) => ({
      start_step: 's',
      steps: { s: { transformer_id: id, config, next_step: null } },
    });
    expect((await save(step({}))).status).toBe(201);
    const bad = await save(step({ method: 'BREW' }));
    expect(bad.status).toBe(400);
    expect((bad.body.error.details as { path: string[] }[])[0]?.path).toEqual([
      'steps',
      's',
      'config',
      'method',
    ]);
  });
});

describe('start-workflow checks typed inputs', () => {
  const start = (input_data: unknown) =>
    callFunction<Started & ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: typed.id, input_data },
    });
  const fileRef = (organisationId: string, over: Record<string, unknown> = {}) => ({
    bucket: 'workflow-files',
    path: `${organisationId}/${randomUUID()}/call.mp3`,
    name: 'call.mp3',
    size: 1000,
    mime_type: 'audio/mpeg',
    ...over,
  });

  it.each([
    [{ email: 'nope' }, 'email', 'format', 'email must be an email address'],
    [{ day: '2026-02-30' }, 'day', 'format', 'day must be a date written YYYY-MM-DD'],
    [{ country: 'FR' }, 'country', 'enum', 'country must be one of "NL", "BE"'],
    [{ limit: 11 }, 'limit', 'maximum', 'limit must be at most 10'],
    [{ limit: 2.5 }, 'limit', 'type', 'limit must be an integer, not a number with a fraction'],
    [
      { audio: 'https://x.test/a.mp3' },
      'audio',
      'file',
      'audio must be a file uploaded to workflow-files',
    ],
  ])('%j → 400 invalid_input at %s (%s)', async (input, field, code, message) => {
    const res = await start({ payload: 'x', ...input });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details).toEqual([{ path: [field], code, message }]);
  });

  it('refuses a file of another organisation, of the wrong type or too large', async () => {
    const cases: [unknown, string][] = [
      [fileRef(t.otherOrganisationId), 'file_forbidden'],
      [fileRef(t.organisationId, { mime_type: 'text/plain' }), 'file_type'],
      [fileRef(t.organisationId, { size: 2_000_000 }), 'file_too_large'],
    ];
    for (const [audio, code] of cases) {
      const res = await start({ payload: 'x', audio });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: ['audio'], code })]);
    }
  });

  it('accepts good values, stores the defaults and the file reference', async () => {
    const audio = fileRef(t.organisationId);
    const res = await start({
      payload: 'x',
      email: 'a@b.co',
      day: '2028-02-29',
      country: 'NL',
      audio,
    });
    expect(res.status).toBe(201);
    const { data } = await t.service
      .from('jobs')
      .select('input_data')
      .eq('id', res.body.job_id)
      .single();
    expect(data?.input_data).toEqual({
      payload: 'x',
      email: 'a@b.co',
      day: '2028-02-29',
      country: 'NL',
      audio,
      limit: 5,
    });
  });

  it('save-workflow refuses an input whose default breaks its own rules', async () => {
    const res = await save({
      ...EXAMPLE_DEFINITION,
      inputs: [{ name: 'limit', type: 'integer', minimum: 1, default: 0 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: ['inputs', 0, 'default'],
        code: 'invalid_input_default',
        message: 'The default of limit must be at least 1',
      },
    ]);
  });
});
