import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import {
  call,
  createProjectsOrganisation,
  ok,
  untyped,
  type EnvironmentRow,
  type ProjectRow,
  type Untyped,
} from './support/projects.ts';
import { callFunction } from './support/workflows.ts';

// A secret variable's value is write-only (issue 11; docs/projects-contract.md "Secrets"):
// after save-environment stores it, no table, view or RPC answer an owner can read holds it;
// only the service role's flow_run_secret_values returns it. And the write semantics: a
// secret saved without a value keeps the stored one, a string replaces it, a secret no
// longer listed or switched to a plain variable loses it.

let t: Awaited<ReturnType<typeof createProjectsOrganisation>>;
let service: Untyped;
let db: pg.Client;
const SECRET = `sk-live-${randomUUID()}`;
let environment: EnvironmentRow;
let project: ProjectRow;
const answers: unknown[] = [];

const secretValues = (environmentId: string) =>
  ok<Record<string, string>>(service, 'flow_run_secret_values', {
    p_environment_id: environmentId,
  });

async function saveEnvironment(body: Record<string, unknown>) {
  const res = await callFunction<EnvironmentRow>('save-environment', {
    as: t.owner,
    body: { organisation_id: t.organisationId, ...body },
  });
  answers.push(res.body);
  return res;
}

beforeAll(async () => {
  t = await createProjectsOrganisation('env-secrets');
  service = t.untypedService;
  db = await adminDb();
  const created = await saveEnvironment({
    name: 'production',
    api_hosts: { crm_api: 'https://crm.example' },
    variables: [
      { name: 'region', secret: false, value: 'us' },
      { name: 'api_key', secret: true, value: SECRET },
    ],
  });
  if (created.status !== 201) throw new Error(`save-environment: ${JSON.stringify(created.body)}`);
  environment = created.body;

  const saved = await callFunction<ProjectRow>('save-project', {
    as: t.owner,
    body: {
      organisation_id: t.organisationId,
      slug: `secret-${randomUUID().slice(0, 8)}`,
      name: 'Secret project',
      environment_id: environment.id,
      variables: [
        {
          name: 'key',
          type: 'string',
          required: true,
          source: 'environment',
          environment_variable: 'api_key',
        },
      ],
    },
  });
  if (saved.status !== 201) throw new Error(`save-project: ${JSON.stringify(saved.body)}`);
  project = saved.body;
  answers.push(saved.body);
  answers.push(
    await ok(untyped(t.owner.client), 'set_project_environment', {
      p_project_id: project.id,
      p_environment_id: environment.id,
    }),
  );
  answers.push(
    await ok(untyped(t.owner.client), 'move_flow_sequence', {
      p_sequence_id: t.sequence.id,
      p_position: 0,
    }),
  );
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

describe('a stored secret', () => {
  it('comes back from save-environment masked: value null, has_value true', () => {
    expect(environment.variables).toEqual([
      { name: 'region', secret: false, value: 'us', has_value: true },
      { name: 'api_key', secret: true, value: null, has_value: true },
    ]);
  });

  it('is in no answer of save-environment, save-project, set_project_environment or move_flow_sequence', () => {
    expect(answers.length).toBe(4);
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(SECRET);
  });

  it('is in no row of any public table or view an owner reads', async () => {
    const { rows } = await db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['environments', 'projects', 'flow_sequences']),
    );
    let read = 0;
    for (const { name } of rows) {
      const { data, error } = await t.owner.client
        .from(name as 'environments')
        .select('*')
        .limit(1000);
      if (error) continue; // not readable by users at all
      read += 1;
      expect(JSON.stringify(data), name).not.toContain(SECRET);
    }
    expect(read).toBeGreaterThan(10);
  });

  it('is in no environments row even for the database owner: only in private.environment_secrets', async () => {
    const { rows } = await db.query<{ variables: unknown }>(
      'select variables from public.environments where id = $1',
      [environment.id],
    );
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    const secrets = await db.query<{ value: string }>(
      'select value from private.environment_secrets where environment_id = $1',
      [environment.id],
    );
    expect(secrets.rows).toEqual([{ value: SECRET }]);
  });

  it('cannot be put in environments.variables even by the database owner (check constraint)', async () => {
    await expect(
      db.query(
        `update public.environments
         set variables = '[{"name":"api_key","secret":true,"value":"leak","has_value":true}]'
         where id = $1`,
        [environment.id],
      ),
    ).rejects.toThrow(/environments_no_secret_values/);
  });

  it('is not readable through the flow_run_secret_values RPC by owner or member', async () => {
    for (const user of [t.owner, t.member]) {
      const { data, error } = await call(untyped(user.client), 'flow_run_secret_values', {
        p_environment_id: environment.id,
      });
      expect(error?.code).toBe('42501');
      expect(JSON.stringify(data ?? null)).not.toContain(SECRET);
    }
  });

  it('is returned to the service role by flow_run_secret_values', async () => {
    expect(await secretValues(environment.id)).toEqual({ api_key: SECRET });
  });
});

describe('keep, replace, remove', () => {
  let env: EnvironmentRow;
  const save = async (variables: Record<string, unknown>[]) => {
    const res = await saveEnvironment({ environment_id: env.id, name: env.name, variables });
    expect(res.status).toBe(200);
    env = res.body;
    return res.body;
  };

  beforeAll(async () => {
    const res = await saveEnvironment({
      name: `keep-${randomUUID().slice(0, 8)}`,
      variables: [
        { name: 'a', secret: true, value: 'first-a' },
        { name: 'b', secret: true, value: 'first-b' },
        { name: 'c', secret: true, value: 'first-c' },
      ],
    });
    expect(res.status).toBe(201);
    env = res.body;
  });

  it('a secret saved with a null or absent value keeps its stored value', async () => {
    const saved = await save([
      { name: 'a', secret: true, value: null },
      { name: 'b', secret: true },
      { name: 'c', secret: true, value: 'first-c' },
    ]);
    expect(saved.variables.map((v) => [v.name, v.value, v.has_value])).toEqual([
      ['a', null, true],
      ['b', null, true],
      ['c', null, true],
    ]);
    expect(await secretValues(env.id)).toEqual({ a: 'first-a', b: 'first-b', c: 'first-c' });
  });

  it('a string replaces it', async () => {
    await save([
      { name: 'a', secret: true, value: 'second-a' },
      { name: 'b', secret: true },
      { name: 'c', secret: true },
    ]);
    expect(await secretValues(env.id)).toEqual({ a: 'second-a', b: 'first-b', c: 'first-c' });
  });

  it('a secret no longer listed loses its value; one switched to plain loses it too', async () => {
    const saved = await save([
      { name: 'a', secret: true },
      { name: 'c', secret: false, value: 'plain-c' },
    ]);
    expect(saved.variables).toEqual([
      { name: 'a', secret: true, value: null, has_value: true },
      { name: 'c', secret: false, value: 'plain-c', has_value: true },
    ]);
    expect(await secretValues(env.id)).toEqual({ a: 'second-a' });
    // Listing b again as a secret without a value does not bring the old value back.
    const again = await save([
      { name: 'a', secret: true },
      { name: 'b', secret: true },
    ]);
    expect(again.variables.find((v) => v.name === 'b')).toEqual({
      name: 'b',
      secret: true,
      value: null,
      has_value: false,
    });
    expect(await secretValues(env.id)).toEqual({ a: 'second-a' });
  });

  it('a renamed secret is a new secret: the old name loses its value', async () => {
    await save([{ name: 'renamed', secret: true }]);
    expect(await secretValues(env.id)).toEqual({});
    expect(env.variables).toEqual([
      { name: 'renamed', secret: true, value: null, has_value: false },
    ]);
  });

  it('deleting the environment deletes its secrets', async () => {
    await save([{ name: 'gone', secret: true, value: 'to-be-deleted' }]);
    const { error } = await t.owner.client.from('environments').delete().eq('id', env.id);
    expect(error).toBeNull();
    const { rows } = await db.query(
      'select 1 from private.environment_secrets where environment_id = $1',
      [env.id],
    );
    expect(rows).toEqual([]);
  });
});
