import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateWorkflowDefinition } from '@forkflow/domain/workflow-definition';
import { createTestClient, env } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { createFixtures } from './support/users.ts';
import {
  callFunction,
  createWorkflowOrganisation,
  EXAMPLE_DEFINITION,
  FINAL_STATUSES,
  hasOrchestrator,
  insertJob,
  readJob,
  saveWorkflow,
  startJob,
  uniqueKey,
  waitForJob,
  type ApiError,
  type Workflow,
} from './support/workflows.ts';

// Seed 003 iterations 1 and 4: the tables, manual inserts as the database owner, email
// sign-up and login, transformers, and workflow definitions saved through save-workflow
// (validation with paths, versions, the version a job pins).

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-defs');
  db = await adminDb();
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

type Details = { path: (string | number)[]; code: string; message: string }[];
type InvalidDefinition = { error: { code: string; message: string; details: Details } };

const save = (body: Record<string, unknown>, as = t.admin) =>
  callFunction<Workflow & InvalidDefinition>('save-workflow', {
    as,
    body: {
      organisation_id: t.organisationId,
      key: uniqueKey('wf'),
      name: 'A workflow',
      definition: EXAMPLE_DEFINITION,
      ...body,
    },
  });

async function versionsOf(workflowId: string) {
  const { data, error } = await t.service
    .from('workflow_versions')
    .select('version, definition, retry_policy, change_description, created_by')
    .eq('workflow_id', workflowId)
    .order('version');
  if (error) throw new Error(error.message);
  return data;
}

describe('iteration 1: tables and auth', () => {
  it('the migrations create the workflow tables', async () => {
    const { rows } = await db.query<{ name: string }>(
      `select c.relname as name from pg_catalog.pg_class as c
       join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
         and c.relname in ('transformers', 'workflows', 'workflow_versions', 'jobs', 'job_events')
       order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      'job_events',
      'jobs',
      'transformers',
      'workflow_versions',
      'workflows',
    ]);
  });

  it('the database owner can insert a workflow, a version and a job by hand', async () => {
    const key = uniqueKey('manual');
    const { rows } = await db.query<{ id: string }>(
      `insert into public.workflows (organisation_id, key, name, definition)
       values ($1, $2, 'Manual', $3) returning id`,
      [t.organisationId, key, JSON.stringify(EXAMPLE_DEFINITION)],
    );
    const workflowId = rows[0]!.id;
    await db.query(
      `insert into public.workflow_versions (organisation_id, workflow_id, version, definition)
       values ($1, $2, 1, $3)`,
      [t.organisationId, workflowId, JSON.stringify(EXAMPLE_DEFINITION)],
    );
    const job = await db.query<{ status: string; created_at: Date; last_updated_at: Date }>(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, input_data, available_at)
       values ($1, $2, 1, $3, '{"payload": "by hand"}', now() + interval '1 hour')
       returning status, created_at, last_updated_at`,
      [t.organisationId, workflowId, t.member.id],
    );
    expect(job.rows[0]?.status).toBe('pending');
    expect(job.rows[0]?.created_at).toBeInstanceOf(Date);

    // The member sees it through the API like any other job of theirs.
    const { data } = await t.member.client
      .from('jobs')
      .select('workflow_id, input_data')
      .eq('workflow_id', workflowId);
    expect(data).toEqual([{ workflow_id: workflowId, input_data: { payload: 'by hand' } }]);
  });

  it('last_updated_at follows every update of a job', async () => {
    const { rows } = await db.query<{ id: string; last_updated_at: Date }>(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id, available_at, created_at, last_updated_at)
       values ($1, $2, $3, $4, now() + interval '1 hour', now() - interval '1 minute', now() - interval '1 minute')
       returning id, last_updated_at`,
      [t.organisationId, t.workflow.id, t.workflow.version, t.member.id],
    );
    const before = rows[0]!;
    const after = await db.query<{ last_updated_at: Date }>(
      `update public.jobs set error_message = 'touched' where id = $1 returning last_updated_at`,
      [before.id],
    );
    expect(after.rows[0]!.last_updated_at.getTime()).toBeGreaterThan(
      before.last_updated_at.getTime(),
    );
  });

  it('a visitor signs up with email and password, then logs in', async () => {
    const email = `wf-signup-${randomUUID().slice(0, 8)}@forkflow.test`;
    const client = createTestClient();
    const signUp = await client.auth.signUp({ email, password: 'sign-up-password-1' });
    expect(signUp.error).toBeNull();
    const userId = signUp.data.user?.id;
    expect(userId).toBeDefined();
    try {
      const login = await createTestClient().auth.signInWithPassword({
        email,
        password: 'sign-up-password-1',
      });
      expect(login.error).toBeNull();
      expect(login.data.session?.access_token).toEqual(expect.any(String));
      const wrong = await createTestClient().auth.signInWithPassword({
        email,
        password: 'not-the-password',
      });
      expect(wrong.error).not.toBeNull();
    } finally {
      if (userId) await t.service.auth.admin.deleteUser(userId);
    }
  });
});

describe('iteration 2: jobs belong to users', () => {
  // Issue 10 §4 changed seed 003's cascade: a user's deletion keeps the organisation's history,
  // so jobs keep the id of whoever started them (shown as a former member), with no foreign key.
  it('jobs.user_id is required and has no foreign key that would delete jobs with their user', async () => {
    const { rows } = await db.query<{ not_null: boolean; fks: number }>(
      `select a.attnotnull as not_null,
         (select count(*)::int from pg_catalog.pg_constraint as c
          where c.conrelid = a.attrelid and c.contype = 'f' and c.conkey = array[a.attnum]) as fks
       from pg_catalog.pg_attribute as a
       where a.attrelid = 'public.jobs'::regclass and a.attname = 'user_id'`,
    );
    expect(rows).toEqual([{ not_null: true, fks: 0 }]);
  });

  it('a job without a user, or for a workflow that does not exist, is refused', async () => {
    const noUser = db.query(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id)
       values ($1, $2, $3, null)`,
      [t.organisationId, t.workflow.id, t.workflow.version],
    );
    await expect(noUser).rejects.toMatchObject({ code: '23502', column: 'user_id' });
    const noWorkflow = db.query(
      `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id)
       values ($1, gen_random_uuid(), 1, $2)`,
      [t.organisationId, t.member.id],
    );
    await expect(noWorkflow).rejects.toMatchObject({ code: '23503' });
  });

  it('deleting a user keeps their jobs, still under their id', async () => {
    const fx = createFixtures('wf-defs-leaver');
    try {
      const leaver = await fx.user('leaver');
      await fx.addMember(t.owner, t.organisationId, leaver, 'member');
      const theirs = await insertJob(db, { user: leaver, workflow: t.workflow });
      const kept = await insertJob(db, { user: t.member, workflow: t.workflow });
      const { error } = await t.service.auth.admin.deleteUser(leaver.id);
      expect(error).toBeNull();
      const { rows } = await db.query<{ id: string }>(
        `select id from public.jobs where id = any($1::uuid[])`,
        [[theirs.id, kept.id]],
      );
      expect(rows.map((r) => r.id).sort()).toEqual([theirs.id, kept.id].sort());
    } finally {
      await fx.cleanup();
    }
  });
});

describe('iteration 4: the schema', () => {
  it('workflows.definition is required jsonb; transformers has its columns and an index on type', async () => {
    const { rows } = await db.query<{
      table: string;
      column: string;
      type: string;
      nullable: string;
    }>(
      `select table_name as table, column_name as column, data_type as type, is_nullable as nullable
       from information_schema.columns
       where table_schema = 'public'
         and (table_name, column_name) in (('workflows', 'definition'), ('transformers', 'id'),
           ('transformers', 'type'), ('transformers', 'description'), ('transformers', 'config'),
           ('transformers', 'target_function'), ('transformers', 'created_at'),
           ('transformers', 'updated_at'))
       order by 1, 2`,
    );
    expect(rows).toEqual([
      { table: 'transformers', column: 'config', type: 'jsonb', nullable: 'NO' },
      {
        table: 'transformers',
        column: 'created_at',
        type: 'timestamp with time zone',
        nullable: 'NO',
      },
      { table: 'transformers', column: 'description', type: 'text', nullable: 'YES' },
      { table: 'transformers', column: 'id', type: 'text', nullable: 'NO' },
      { table: 'transformers', column: 'target_function', type: 'text', nullable: 'NO' },
      { table: 'transformers', column: 'type', type: 'text', nullable: 'NO' },
      {
        table: 'transformers',
        column: 'updated_at',
        type: 'timestamp with time zone',
        nullable: 'NO',
      },
      { table: 'workflows', column: 'definition', type: 'jsonb', nullable: 'NO' },
    ]);
    const indexes = await db.query<{ def: string }>(
      `select indexdef as def from pg_catalog.pg_indexes
       where schemaname = 'public' and tablename = 'transformers'`,
    );
    expect(indexes.rows.map((r) => r.def)).toContainEqual(
      expect.stringMatching(/USING btree \(type\)$/),
    );
  });

  it("a transformer's updated_at follows its updates", async () => {
    const id = `touch-${randomUUID().slice(0, 8)}`;
    const { rows } = await db.query<{ updated_at: Date }>(
      `insert into public.transformers (id, organisation_id, type, target_function, created_at, updated_at)
       values ($1, $2, 'echo', 'execute-echo', now() - interval '1 minute', now() - interval '1 minute')
       returning updated_at`,
      [id, t.organisationId],
    );
    const after = await db.query<{ updated_at: Date }>(
      `update public.transformers set description = 'touched' where id = $1 returning updated_at`,
      [id],
    );
    expect(after.rows[0]!.updated_at.getTime()).toBeGreaterThan(rows[0]!.updated_at.getTime());
  });
});

describe('iteration 4: transformers', () => {
  it('every signed-in user reads the built-in transformers', async () => {
    const { data, error } = await t.outsider.client
      .from('transformers')
      .select('id, type, target_function, organisation_id')
      .is('organisation_id', null)
      .order('id');
    expect(error).toBeNull();
    expect(data).toEqual(
      expect.arrayContaining([
        {
          id: 'echo-transformer',
          type: 'echo',
          target_function: 'execute-echo',
          organisation_id: null,
        },
      ]),
    );
  });

  it("an admin inserts the organisation's own transformer and a member retrieves it", async () => {
    const id = `echo-${randomUUID().slice(0, 8)}`;
    const { error } = await t.admin.client.from('transformers').insert({
      id,
      organisation_id: t.organisationId,
      type: 'echo',
      description: 'An echo with defaults',
      config: { greeting: 'hi' },
      target_function: 'execute-echo',
    });
    expect(error).toBeNull();
    const { data } = await t.member.client
      .from('transformers')
      .select('id, config, timeout_ms')
      .eq('id', id)
      .single();
    expect(data).toEqual({ id, config: { greeting: 'hi' }, timeout_ms: 30000 });
  });

  it('a transformer may only target an execute-* function', async () => {
    const { error } = await t.admin.client.from('transformers').insert({
      id: `bad-${randomUUID().slice(0, 8)}`,
      organisation_id: t.organisationId,
      type: 'echo',
      target_function: 'workflow-orchestrator',
    });
    expect(error?.code).toBe('23514');
  });
});

describe('iteration 4: the example definition', () => {
  it('is valid for the domain validator', () => {
    const result = validateWorkflowDefinition(EXAMPLE_DEFINITION, {
      knownTransformerIds: ['echo-transformer'],
    });
    expect(result.ok).toBe(true);
  });

  it('save-workflow accepts it verbatim and stores it as sent', async () => {
    const res = await save({ definition: EXAMPLE_DEFINITION });
    expect(res.status).toBe(201);
    expect(res.body.definition).toEqual(EXAMPLE_DEFINITION);
    const { data } = await t.member.client
      .from('workflows')
      .select('definition')
      .eq('id', res.body.id)
      .single();
    expect(data?.definition).toEqual(EXAMPLE_DEFINITION);
  });

  it('the database owner can insert and update a workflow definition by hand', async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.workflows (organisation_id, key, name, definition)
       values ($1, $2, 'By hand', $3) returning id`,
      [t.organisationId, uniqueKey('hand'), JSON.stringify(EXAMPLE_DEFINITION)],
    );
    const changed = { ...EXAMPLE_DEFINITION, output_map: { echoed: '$.step1.output' } };
    await db.query(`update public.workflows set definition = $2 where id = $1`, [
      rows[0]!.id,
      JSON.stringify(changed),
    ]);
    const { data } = await t.admin.client
      .from('workflows')
      .select('definition')
      .eq('id', rows[0]!.id)
      .single();
    expect(data?.definition).toEqual(changed);
  });
});

describe('save-workflow', () => {
  it('an admin creates a workflow: 201, version 1, recorded in workflow_versions', async () => {
    const key = uniqueKey('create');
    const res = await save({ key, name: 'Create me', description: 'Made in a test' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key,
      name: 'Create me',
      description: 'Made in a test',
      organisation_id: t.organisationId,
      status: 'active',
      version: 1,
      created_by: t.admin.id,
    });
    const versions = await versionsOf(res.body.id);
    expect(versions).toEqual([
      expect.objectContaining({
        version: 1,
        definition: EXAMPLE_DEFINITION,
        created_by: t.admin.id,
      }),
    ]);
  });

  it('the owner may save too', async () => {
    expect((await save({}, t.owner)).status).toBe(201);
  });

  it('a changed definition is a new version; the old one stays', async () => {
    const created = await save({});
    const changed = { ...EXAMPLE_DEFINITION, output_map: { echoed: '$.step1.output' } };
    const res = await save({
      workflow_id: created.body.id,
      key: created.body.key,
      definition: changed,
      change_description: 'Return the whole output',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, version: 2, definition: changed });
    const versions = await versionsOf(created.body.id);
    expect(versions.map((v) => [v.version, v.definition, v.change_description])).toEqual([
      [1, EXAMPLE_DEFINITION, 'Created'],
      [2, changed, 'Return the whole output'],
    ]);
  });

  it('renaming or describing keeps the version', async () => {
    const created = await save({});
    const res = await save({
      workflow_id: created.body.id,
      key: uniqueKey('renamed'),
      name: 'Renamed',
      description: 'Now with a description',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', version: 1 });
    expect(await versionsOf(created.body.id)).toHaveLength(1);
  });

  it('a changed retry policy is a new version; spelling out the defaults is not', async () => {
    const created = await save({});
    const defaults = { max_retries: 3, base_ms: 1000, factor: 2, cap_ms: 300000, jitter: 'full' };
    const same = await save({
      workflow_id: created.body.id,
      key: created.body.key,
      retry_policy: defaults,
    });
    expect(same.body.version).toBe(1);
    const changed = await save({
      workflow_id: created.body.id,
      key: created.body.key,
      retry_policy: { max_retries: 5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    expect(changed.body.retry_policy).toMatchObject({ max_retries: 5, base_ms: 1000 });
    const versions = await versionsOf(created.body.id);
    expect(versions.map((v) => (v.retry_policy as { max_retries: number }).max_retries)).toEqual([
      3, 5,
    ]);
  });

  it('expected_version guards against overwriting someone else’s save: 409', async () => {
    const created = await save({});
    const first = await save({
      workflow_id: created.body.id,
      key: created.body.key,
      definition: { ...EXAMPLE_DEFINITION, description: 'first' },
      expected_version: 1,
    });
    expect(first.status).toBe(200);
    const stale = await save({
      workflow_id: created.body.id,
      key: created.body.key,
      definition: { ...EXAMPLE_DEFINITION, description: 'stale' },
      expected_version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(await versionsOf(created.body.id)).toHaveLength(2);
  });

  it('a key already used in the organisation is a 409, on create and on rename', async () => {
    const taken = await save({});
    const duplicate = await save({ key: taken.body.key });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('key_taken');
    const other = await save({});
    const rename = await save({ workflow_id: other.body.id, key: taken.body.key });
    expect(rename.status).toBe(409);
  });

  it('the same key in another organisation is fine', async () => {
    const res = await callFunction<Workflow>('save-workflow', {
      as: t.outsider,
      body: {
        organisation_id: t.otherOrganisationId,
        key: t.workflow.key,
        name: 'Same key elsewhere',
        definition: EXAMPLE_DEFINITION,
      },
    });
    expect(res.status).toBe(201);
  });

  it('a member who is not an admin is refused: 403', async () => {
    const res = await save({}, t.member);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('an outsider saving into the organisation gets a 404', async () => {
    const res = await save({}, t.outsider);
    expect(res.status).toBe(404);
  });

  it("an unknown workflow_id, or another organisation's, is a 404", async () => {
    for (const workflowId of ['00000000-0000-4000-8000-000000000000', t.otherWorkflow.id]) {
      const res = await save({ workflow_id: workflowId });
      expect(res.status).toBe(404);
    }
  });

  it('a cycle is a 400 naming the step that closes it', async () => {
    const res = await save({
      definition: {
        start_step: 'a',
        steps: {
          a: { transformer_id: 'echo-transformer', next_step: 'b' },
          b: { transformer_id: 'echo-transformer', next_step: 'a' },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({ path: ['steps', 'b', 'next_step'], code: 'cycle' }),
    );
  });

  it('an unknown transformer is a 400 at its path', async () => {
    const definition = structuredClone(EXAMPLE_DEFINITION);
    definition.steps.step1.transformer_id = 'no-such-transformer';
    const res = await save({ definition });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        path: ['steps', 'step1', 'transformer_id'],
        code: 'unknown_transformer',
      }),
    ]);
  });

  it("another organisation's transformer is unknown here; our own is fine", async () => {
    const theirs = `theirs-${randomUUID().slice(0, 8)}`;
    const ours = `ours-${randomUUID().slice(0, 8)}`;
    for (const [id, who, org] of [
      [theirs, t.outsider, t.otherOrganisationId],
      [ours, t.admin, t.organisationId],
    ] as const) {
      const { error } = await who.client.from('transformers').insert({
        id,
        organisation_id: org,
        type: 'echo',
        target_function: 'execute-echo',
      });
      expect(error).toBeNull();
    }
    const withTheirs = structuredClone(EXAMPLE_DEFINITION);
    withTheirs.steps.step1.transformer_id = theirs;
    const refused = await save({ definition: withTheirs });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]?.code).toBe('unknown_transformer');

    const withOurs = structuredClone(EXAMPLE_DEFINITION);
    withOurs.steps.step1.transformer_id = ours;
    expect((await save({ definition: withOurs })).status).toBe(201);
  });

  it('a JSONPath that does not parse is a 400 at its path', async () => {
    const definition = structuredClone(EXAMPLE_DEFINITION);
    definition.steps.step1.input_map.data = '$.job_input[';
    const res = await save({ definition });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({
        path: ['steps', 'step1', 'input_map', 'data'],
        code: 'invalid_json_path',
      }),
    );
  });

  it('every problem comes back at once', async () => {
    const res = await save({
      definition: {
        start_step: 'a',
        steps: {
          a: { transformer_id: 'nope', next_step: 'b', input_map: { x: '$[' } },
          b: { transformer_id: 'echo-transformer', next_step: 'a' },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.code).sort()).toEqual([
      'cycle',
      'invalid_json_path',
      'unknown_transformer',
    ]);
  });

  it('a definition of the wrong shape is a 400 with schema errors', async () => {
    const res = await save({ definition: { start_step: 'a', stepz: {} } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details.every((d) => d.code === 'schema')).toBe(true);
    expect(res.body.error.details.map((d) => d.path)).toContainEqual(['steps']);
  });

  it('an invalid retry policy is a 400 at its path', async () => {
    const res = await save({ retry_policy: { max_retries: 99 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_retry_policy');
    expect(res.body.error.details).toContainEqual(
      expect.objectContaining({ path: ['max_retries'] }),
    );
  });

  it.each([
    ['a key with capitals and spaces', { key: 'Not A Key' }],
    ['an empty name', { name: '  ' }],
    ['an organisation_id that is not a uuid', { organisation_id: 'acme' }],
    ['an expected_version that is not a positive integer', { expected_version: 0 }],
  ])('%s is a 400', async (_label, body) => {
    const res = await save(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as ApiError).error.code).toBe('invalid_input');
  });

  it('a body that is not JSON is a 400; no user a 401; GET a 405', async () => {
    expect((await callFunction('save-workflow', { as: t.admin, body: '{' })).status).toBe(400);
    expect(
      (await callFunction('save-workflow', { as: env.anonKey, body: { key: 'x' } })).status,
    ).toBe(401);
    expect((await callFunction('save-workflow', { as: t.admin, method: 'GET' })).status).toBe(405);
  });
});

describe('a job pins the version it started on', () => {
  it('editing the workflow while a job waits does not change what it runs', async () => {
    const created = await save({});
    const v1 = created.body;
    const first = await startJob(t.member, v1.id, { payload: 'pinned' });
    // Hold it if it is still pending, so the edit really happens before it runs.
    const held = await db.query(
      `update public.jobs set available_at = now() + interval '1 hour'
       where id = $1 and status = 'pending'`,
      [first.job_id],
    );

    const v2 = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      workflow_id: v1.id,
      key: v1.key,
      definition: { ...EXAMPLE_DEFINITION, output_map: { changed: '$.step1.output.echoed_data' } },
    });
    expect(v2.version).toBe(2);
    const second = await startJob(t.member, v1.id, { payload: 'pinned' });

    expect(first.workflow_version).toBe(1);
    expect(second.workflow_version).toBe(2);
    expect((await readJob(t.service, first.job_id)).workflow_version).toBe(1);
    expect((await readJob(t.service, second.job_id)).workflow_version).toBe(2);

    if (held.rowCount === 1) {
      await db.query(`update public.jobs set available_at = now() where id = $1`, [first.job_id]);
    }
    if (hasOrchestrator) {
      const finished = (j: { status: string }) => FINAL_STATUSES.includes(j.status);
      const [a, b] = await Promise.all([
        waitForJob(t.service, first.job_id, finished),
        waitForJob(t.service, second.job_id, finished),
      ]);
      expect(a).toMatchObject({ status: 'completed', final_result: { result: 'pinned' } });
      expect(b).toMatchObject({ status: 'completed', final_result: { changed: 'pinned' } });
    }
  });
});
