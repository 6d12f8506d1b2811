// Organisation transformers (issue 12 §8, migration …007200): save_transformer creates and
// edits an organisation's own transformer from a built-in type (the executor is the
// built-in's, never the caller's), set_transformer_retired retires and restores it; a retired
// transformer is refused for new steps by save-workflow while workflows that use it keep
// running. Every verb across roles and organisations; another organisation's ids reveal nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs, orchestrator } from './support/needs.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  callFunction,
  createWorkflowOrganisation,
  FINAL_STATUSES,
  saveWorkflow,
  startJob,
  uniqueKey,
  waitForJob,
  type ApiError,
} from './support/workflows.ts';

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;

beforeAll(async () => {
  t = await createWorkflowOrganisation('org-transformers');
}, 60_000);

afterAll(() => t?.fx.cleanup());

const newId = (label = 'own') => `${label}-${randomUUID().slice(0, 8)}`;

type Saved = {
  id: string;
  organisation_id: string;
  type: string;
  target_function: string;
  config: unknown;
  timeout_ms: number;
  retired_at: string | null;
};

function save(
  who: TestUser | ReturnType<typeof anonClient>,
  args: Partial<{
    p_organisation_id: string;
    p_id: string;
    p_type: string;
    p_description: string | null;
    p_config: unknown;
    p_timeout_ms: number | null;
  }>,
) {
  const client = 'client' in who ? who.client : who;
  return client.rpc('save_transformer', {
    p_organisation_id: t.organisationId,
    p_id: newId(),
    p_type: 'echo',
    p_description: null,
    p_config: {},
    p_timeout_ms: null,
    ...args,
  } as never) as unknown as Promise<{
    data: Saved | null;
    error: { code: string; message: string } | null;
  }>;
}

function retire(who: TestUser, organisationId: string, id: string, retired: boolean) {
  return who.client.rpc('set_transformer_retired', {
    p_organisation_id: organisationId,
    p_id: id,
    p_retired: retired,
  } as never) as unknown as Promise<{
    data: Saved | null;
    error: { code: string; message: string } | null;
  }>;
}

const readRow = async (organisationId: string, id: string) => {
  const { data } = await t.service
    .from('transformers')
    .select('*')
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .maybeSingle();
  return data as Saved | null;
};

describe('save_transformer', () => {
  it('owner creates a CRM webhook from the http type: the executor is the built-in http-request', async () => {
    const id = newId('crm-webhook');
    const { data, error } = await save(t.owner, {
      p_id: id,
      p_type: 'http',
      p_description: 'Our CRM webhook',
      p_config: { method: 'POST', headers: { 'x-api-key': 'k' } },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      id,
      organisation_id: t.organisationId,
      type: 'http',
      target_function: 'execute-http-request',
      config: { method: 'POST', headers: { 'x-api-key': 'k' } },
      timeout_ms: 30000,
      retired_at: null,
    });
  });

  it('admin edits it in place (same id): type change follows the built-in executor', async () => {
    const id = newId();
    expect((await save(t.admin, { p_id: id, p_type: 'echo' })).error).toBeNull();
    const { data, error } = await save(t.admin, {
      p_id: id,
      p_type: 'http',
      p_description: 'now a webhook',
      p_timeout_ms: 5000,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      type: 'http',
      target_function: 'execute-http-request',
      timeout_ms: 5000,
    });
  });

  it('a type no built-in has is a 400 and creates nothing', async () => {
    const id = newId();
    const { error } = await save(t.owner, { p_id: id, p_type: 'shell' });
    expect(error?.code).toBe('invalid_type');
    expect(await readRow(t.organisationId, id)).toBeNull();
  });

  it('the executor cannot be chosen: a direct insert naming another is refused', async () => {
    const id = newId();
    const { error } = await t.admin.client.from('transformers').insert({
      id,
      organisation_id: t.organisationId,
      type: 'echo',
      target_function: 'execute-http-request',
    });
    expect(error?.code).toBe('23514');
    expect(await readRow(t.organisationId, id)).toBeNull();
  });

  it("the executor cannot be changed by an update of an organisation's transformer", async () => {
    const id = newId();
    expect((await save(t.owner, { p_id: id })).error).toBeNull();
    const { error } = await t.owner.client
      .from('transformers')
      .update({ target_function: 'execute-gemini-prompt' })
      .eq('organisation_id', t.organisationId)
      .eq('id', id);
    expect(error?.code).toBe('23514');
    expect((await readRow(t.organisationId, id))?.target_function).toBe('execute-echo');
  });

  it('config must be an object', async () => {
    const id = newId();
    const { error } = await save(t.owner, { p_id: id, p_config: ['not', 'an', 'object'] });
    expect(error?.code).toBe('invalid_config');
    expect(await readRow(t.organisationId, id)).toBeNull();
  });

  it("config is checked against the built-in type's config_schema when it declares one", async () => {
    // The built-in's schema as …006700 would set it, on a built-in of a type of this test's own.
    const type = `probe${randomUUID().slice(0, 6)}`;
    const builtin = `probe-builtin-${randomUUID().slice(0, 6)}`;
    const hasSchema = await t.service
      .from('transformers')
      .select('config_schema' as 'id')
      .limit(1);
    const row: Record<string, unknown> = {
      id: builtin,
      organisation_id: null,
      type,
      target_function: 'execute-echo',
    };
    if (!hasSchema.error)
      row.config_schema = {
        fields: [
          { name: 'method', type: 'string', enum: ['GET', 'POST'] },
          { name: 'retries', type: 'integer', minimum: 0, maximum: 5 },
          { name: 'verbose', type: 'boolean' },
        ],
      };
    const inserted = await t.service.from('transformers').insert(row as never);
    expect(inserted.error).toBeNull();
    try {
      if (hasSchema.error) return; // no config_schema column in this checkout yet
      for (const [config, code] of [
        [{ method: 'PUT' }, 'invalid_config'],
        [{ retries: 2.5 }, 'invalid_config'],
        [{ retries: 9 }, 'invalid_config'],
        [{ verbose: 'yes' }, 'invalid_config'],
      ] as const) {
        const { error } = await save(t.owner, { p_type: type, p_config: config });
        expect(error?.code, JSON.stringify(config)).toBe(code);
      }
      const ok = await save(t.owner, {
        p_type: type,
        p_config: { method: 'POST', retries: 3, verbose: true },
      });
      expect(ok.error).toBeNull();
      expect(ok.data?.target_function).toBe('execute-echo');
    } finally {
      await t.service
        .from('transformers')
        .delete()
        .eq('organisation_id', t.organisationId)
        .eq('type', type);
      await t.service.from('transformers').delete().is('organisation_id', null).eq('id', builtin);
    }
  });

  it("a built-in's id is a 409", async () => {
    const { error } = await save(t.owner, { p_id: 'http-request', p_type: 'http' });
    expect(error?.code).toBe('conflict');
  });

  it('a malformed id or timeout is a 400', async () => {
    expect((await save(t.owner, { p_id: 'Bad Id' })).error?.code).toBe('invalid_input');
    expect((await save(t.owner, { p_timeout_ms: 10 })).error?.code).toBe('invalid_input');
  });

  it('member cannot save a transformer (403)', async () => {
    const id = newId();
    const { error } = await save(t.member, { p_id: id });
    expect(error?.code).toBe('forbidden');
    expect(await readRow(t.organisationId, id)).toBeNull();
  });

  it('outsider cannot save into another organisation (404, nothing said of its ids)', async () => {
    const id = newId();
    const { error } = await save(t.outsider, { p_id: id });
    expect(error?.code).toBe('not_found');
    expect(await readRow(t.organisationId, id)).toBeNull();
  });

  it('anon cannot call it', async () => {
    const { error } = await save(anonClient(), {});
    expect(error?.code).toBe('42501');
  });

  it('an id another organisation uses is simply free here: same answer as any new id', async () => {
    const theirs = newId('taken');
    expect(
      (await save(t.outsider, { p_organisation_id: t.otherOrganisationId, p_id: theirs })).error,
    ).toBeNull();
    const { data, error } = await save(t.owner, { p_id: theirs });
    expect(error).toBeNull();
    expect(data?.organisation_id).toBe(t.organisationId);
    expect((await readRow(t.otherOrganisationId, theirs))?.organisation_id).toBe(
      t.otherOrganisationId,
    );
  });
});

describe('set_transformer_retired', () => {
  let id = '';
  beforeAll(async () => {
    id = newId('retire');
    const { error } = await save(t.owner, { p_id: id });
    if (error) throw new Error(error.message);
  });

  it('member cannot retire (403); outsider gets 404', async () => {
    expect((await retire(t.member, t.organisationId, id, true)).error?.code).toBe('forbidden');
    expect((await retire(t.outsider, t.organisationId, id, true)).error?.code).toBe('not_found');
    expect((await readRow(t.organisationId, id))?.retired_at).toBeNull();
  });

  it("another organisation's id and a built-in are 404 alike", async () => {
    const theirs = newId('theirs');
    expect(
      (await save(t.outsider, { p_organisation_id: t.otherOrganisationId, p_id: theirs })).error,
    ).toBeNull();
    const other = await retire(t.owner, t.organisationId, theirs, true);
    const builtin = await retire(t.owner, t.organisationId, 'echo-transformer', true);
    const missing = await retire(t.owner, t.organisationId, newId('nothing'), true);
    for (const res of [other, builtin, missing]) {
      expect(res.error?.code).toBe('not_found');
      expect(res.error?.message).toBe('transformer not found');
    }
    expect((await readRow(t.otherOrganisationId, theirs))?.retired_at).toBeNull();
  });

  it('admin retires and restores it', async () => {
    const retired = await retire(t.admin, t.organisationId, id, true);
    expect(retired.error).toBeNull();
    expect(retired.data?.retired_at).not.toBeNull();
    const restored = await retire(t.admin, t.organisationId, id, false);
    expect(restored.data?.retired_at).toBeNull();
  });
});

describe('a retired transformer in workflows', () => {
  const definition = (steps: Record<string, string>) => {
    const ids = Object.keys(steps);
    return {
      start_step: ids[0],
      steps: Object.fromEntries(
        ids.map((step, i) => [
          step,
          {
            transformer_id: steps[step],
            input_map: { data: '$.job_input.payload' },
            next_step: ids[i + 1] ?? null,
          },
        ]),
      ),
    };
  };
  let id = '';
  let workflowId = '';
  let key = '';

  beforeAll(async () => {
    id = newId('pinned');
    const created = await save(t.owner, { p_id: id, p_config: { greeting: 'hi' } });
    if (created.error) throw new Error(created.error.message);
    key = uniqueKey('uses-retired');
    const workflow = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      key,
      definition: definition({ first: id }),
    });
    workflowId = workflow.id;
    const retired = await retire(t.owner, t.organisationId, id, true);
    if (retired.error) throw new Error(retired.error.message);
  });

  it('a new workflow cannot use it (400 at the step)', async () => {
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        key: uniqueKey('new'),
        name: 'New',
        definition: definition({ only: id }),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        path: ['steps', 'only', 'transformer_id'],
        code: 'transformer_retired',
      }),
    ]);
  });

  it('the workflow that uses it saves again, but a new step of it is refused', async () => {
    const again = await callFunction('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        workflow_id: workflowId,
        key,
        name: 'Again',
        definition: definition({ first: id, echo: 'echo-transformer' }),
      },
    });
    expect(again.status).toBe(200);
    const added = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        workflow_id: workflowId,
        key,
        name: 'Added',
        definition: definition({ first: id, second: id }),
      },
    });
    expect(added.status).toBe(400);
    expect(added.body.error.details).toEqual([
      expect.objectContaining({
        path: ['steps', 'second', 'transformer_id'],
        code: 'transformer_retired',
      }),
    ]);
  });

  describe('jobs', needs(orchestrator), () => {
    it('a job of the workflow still runs it, with its preset config', async () => {
      const started = await startJob(t.admin, workflowId, { payload: 'still here' });
      const job = await waitForJob(t.service, started.job_id, (j) =>
        FINAL_STATUSES.includes(j.status),
      );
      expect(job.status).toBe('completed');
    });
  });
});
