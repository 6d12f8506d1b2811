import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  call,
  createProjectsOrganisation,
  environmentArgs,
  ok,
  projectArgs,
  sequenceArgs,
  untyped,
  type EnvironmentRow,
  type ProjectRow,
  type SequenceRow,
  type Untyped,
} from './support/projects.ts';

// RLS and privileges on environments, projects and flow_sequences (issue 11;
// docs/projects-contract.md "Tables"), as real users through PostgREST: owner, admin, member,
// outsider (another organisation's owner) and anon, for every verb and every RPC.
// - select: members of the row's organisation; nobody else (anon has no privilege: 42501).
// - insert, update: nobody (no privilege: 42501); saves go through the service-role RPCs.
// - delete: owners and admins of the organisation; a member's or outsider's delete matches
//   no row (re-read with the service role to prove the row is still there).
// - save_environment, save_project, save_flow_sequence, flow_run_secret_values: service role
//   only (42501 for every user); the saves check the p_user_id they are given (403 member,
//   404 non-member). set_project_environment, move_flow_sequence: owners and admins.

let t: Awaited<ReturnType<typeof createProjectsOrganisation>>;
let service: Untyped;
let anon: Untyped;

type Who = 'owner' | 'admin' | 'member' | 'outsider';
const as = (who: Who): TestUser => t[who];
const client = (who: Who): Untyped => untyped(as(who).client);

beforeAll(async () => {
  t = await createProjectsOrganisation('projects-rls');
  service = t.untypedService;
  anon = untyped(anonClient());
});

afterAll(async () => {
  await t?.fx.cleanup();
});

type Table = 'environments' | 'projects' | 'flow_sequences';
const TABLES: Table[] = ['environments', 'projects', 'flow_sequences'];

/** Our organisation's row and the outsider organisation's row of each table. */
const ours = (table: Table) =>
  ({ environments: t.environment.id, projects: t.project.id, flow_sequences: t.sequence.id })[
    table
  ];
const theirs = (table: Table) =>
  ({
    environments: t.otherEnvironment.id,
    projects: t.otherProject.id,
    flow_sequences: t.otherSequence.id,
  })[table];

/** A fresh row of `table` in our organisation, made as the owner, to be deleted. */
async function freshRow(table: Table): Promise<string> {
  if (table === 'environments') {
    return (
      await ok<EnvironmentRow>(
        service,
        'save_environment',
        environmentArgs(t.owner, t.organisationId),
      )
    ).id;
  }
  if (table === 'projects') {
    return (await ok<ProjectRow>(service, 'save_project', projectArgs(t.owner, t.organisationId)))
      .id;
  }
  return (await ok<SequenceRow>(service, 'save_flow_sequence', sequenceArgs(t.owner, t.project.id)))
    .id;
}

async function exists(table: Table, id: string): Promise<boolean> {
  const { data, error } = await service.from(table).select('id').eq('id', id);
  if (error) throw new Error(error.message);
  return (data ?? []).length === 1;
}

/** A row as an insert through PostgREST would send it. */
function insertRow(table: Table): Record<string, unknown> {
  if (table === 'environments') return { organisation_id: t.organisationId, name: 'sneaky' };
  if (table === 'projects') {
    return { organisation_id: t.organisationId, slug: 'sneaky', name: 'Sneaky' };
  }
  return {
    organisation_id: t.organisationId,
    project_id: t.project.id,
    name: 'Sneaky',
    position: 99,
  };
}

describe.each(TABLES)('%s', (table) => {
  describe('select', () => {
    it.each(['owner', 'admin', 'member'] as const)(
      "%s reads the organisation's row and not another organisation's",
      async (who) => {
        const { data, error } = await client(who)
          .from(table)
          .select('id')
          .in('id', [ours(table), theirs(table)]);
        expect(error).toBeNull();
        expect((data ?? []).map((r) => r.id)).toEqual([ours(table)]);
      },
    );

    it("outsider reads their own row and not the organisation's", async () => {
      const { data, error } = await client('outsider')
        .from(table)
        .select('id')
        .in('id', [ours(table), theirs(table)]);
      expect(error).toBeNull();
      expect((data ?? []).map((r) => r.id)).toEqual([theirs(table)]);
    });

    it('anon cannot read at all', async () => {
      const { error } = await anon.from(table).select('id');
      expect(error?.code).toBe('42501');
    });
  });

  describe('insert', () => {
    it.each(['owner', 'admin', 'member', 'outsider'] as const)(
      '%s cannot insert through the API',
      async (who) => {
        const { error } = await client(who).from(table).insert(insertRow(table));
        expect(error?.code).toBe('42501');
      },
    );

    it('anon cannot insert', async () => {
      const { error } = await anon.from(table).insert(insertRow(table));
      expect(error?.code).toBe('42501');
    });
  });

  describe('update', () => {
    it.each(['owner', 'admin', 'member', 'outsider'] as const)(
      '%s cannot update through the API',
      async (who) => {
        const { error } = await client(who)
          .from(table)
          .update({ description: 'changed' })
          .eq('id', ours(table));
        expect(error?.code).toBe('42501');
        const { data } = await service
          .from(table)
          .select('description')
          .eq('id', ours(table))
          .single();
        expect(data?.description).toBeNull();
      },
    );

    it('anon cannot update', async () => {
      const { error } = await anon
        .from(table)
        .update({ description: 'changed' })
        .eq('id', ours(table));
      expect(error?.code).toBe('42501');
    });
  });

  describe('delete', () => {
    it.each(['owner', 'admin'] as const)('%s deletes a row of the organisation', async (who) => {
      const id = await freshRow(table);
      const { data, error } = await client(who).from(table).delete().eq('id', id).select('id');
      expect(error).toBeNull();
      expect((data ?? []).map((r) => r.id)).toEqual([id]);
      expect(await exists(table, id)).toBe(false);
    });

    it.each(['member', 'outsider'] as const)('%s deletes nothing', async (who) => {
      const { data, error } = await client(who)
        .from(table)
        .delete()
        .eq('id', ours(table))
        .select('id');
      expect(error).toBeNull();
      expect(data ?? []).toEqual([]);
      expect(await exists(table, ours(table))).toBe(true);
    });

    it("owner cannot delete another organisation's row", async () => {
      const { data } = await client('owner')
        .from(table)
        .delete()
        .eq('id', theirs(table))
        .select('id');
      expect(data ?? []).toEqual([]);
      expect(await exists(table, theirs(table))).toBe(true);
    });

    it('anon cannot delete', async () => {
      const { error } = await anon.from(table).delete().eq('id', ours(table));
      expect(error?.code).toBe('42501');
      expect(await exists(table, ours(table))).toBe(true);
    });
  });
});

describe('bounded deletes (issue 10 §4)', () => {
  it('one request deletes at most 100 sequences: 400 too_many_rows, nothing deleted', async () => {
    const project = await ok<ProjectRow>(
      service,
      'save_project',
      projectArgs(t.owner, t.organisationId),
    );
    const db = await adminDb();
    try {
      await db.query(
        `insert into public.flow_sequences (organisation_id, project_id, name, position)
         select $1, $2, 'bulk ' || i, i from generate_series(0, 100) as i`,
        [t.organisationId, project.id],
      );
    } finally {
      await db.end();
    }
    const { error, status } = await client('admin')
      .from('flow_sequences')
      .delete()
      .eq('project_id', project.id);
    expect(status).toBe(400);
    expect(error?.code).toBe('too_many_rows');
    const { count } = await service
      .from('flow_sequences')
      .select('id', { count: 'exact', head: true })
      .eq('project_id', project.id);
    expect(count).toBe(101);
    // Deleting the project (one row) takes its sequences with it.
    const deleted = await client('admin')
      .from('projects')
      .delete()
      .eq('id', project.id)
      .select('id');
    expect(deleted.error).toBeNull();
    const after = await service
      .from('flow_sequences')
      .select('id', { count: 'exact', head: true })
      .eq('project_id', project.id);
    expect(after.count).toBe(0);
  });
});

describe('private.environment_secrets', () => {
  it.each(['owner', 'admin', 'member'] as const)(
    '%s cannot reach it through the API',
    async (who) => {
      const { data, error } = await client(who)
        .schema('private')
        .from('environment_secrets')
        .select('*');
      expect(error).not.toBeNull();
      expect(data).toBeNull();
    },
  );
});

describe('service-role RPCs', () => {
  const rpcs = () =>
    ({
      save_environment: environmentArgs(t.owner, t.organisationId),
      save_project: projectArgs(t.owner, t.organisationId),
      save_flow_sequence: sequenceArgs(t.owner, t.project.id),
      flow_run_secret_values: { p_environment_id: t.environment.id },
    }) as Record<string, Record<string, unknown>>;

  it.each(['owner', 'admin', 'member', 'outsider'] as const)(
    '%s cannot call any of them directly',
    async (who) => {
      for (const [fn, args] of Object.entries(rpcs())) {
        const { error } = await call(client(who), fn, args);
        expect(error?.code, fn).toBe('42501');
      }
    },
  );

  it('anon cannot call any of them', async () => {
    for (const [fn, args] of Object.entries(rpcs())) {
      const { error } = await call(anon, fn, args);
      expect(error?.code, fn).toBe('42501');
    }
  });

  describe.each(['save_environment', 'save_project', 'save_flow_sequence'] as const)('%s', (fn) => {
    const args = (who: Who) =>
      fn === 'save_environment'
        ? environmentArgs(as(who), t.organisationId)
        : fn === 'save_project'
          ? projectArgs(as(who), t.organisationId)
          : sequenceArgs(as(who), t.project.id);

    it.each(['owner', 'admin'] as const)('saves for the %s', async (who) => {
      const { error, data } = await call(service, fn, args(who));
      expect(error).toBeNull();
      expect((data as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses a member: 403', async () => {
      const { error, status } = await call(service, fn, args('member'));
      expect(status).toBe(403);
      expect(error?.code).toBe('forbidden');
    });

    it('refuses an outsider as if the organisation or project did not exist: 404', async () => {
      const { error, status } = await call(service, fn, args('outsider'));
      expect(status).toBe(404);
      expect(error?.code).toBe('P0002');
    });
  });

  it("save_environment will not save another organisation's environment under ours: 404", async () => {
    const { status } = await call(
      service,
      'save_environment',
      environmentArgs(t.owner, t.organisationId, { id: t.otherEnvironment.id, name: 'hijack' }),
    );
    expect(status).toBe(404);
    const { data } = await service
      .from('environments')
      .select('name')
      .eq('id', t.otherEnvironment.id)
      .single();
    expect(data?.name).toBe('staging');
  });

  it("save_project refuses another organisation's environment or workflow: 400", async () => {
    const environment = await call(
      service,
      'save_project',
      projectArgs(t.owner, t.organisationId, { environment_id: t.otherEnvironment.id }),
    );
    expect(environment.status).toBe(400);
    expect(environment.error?.code).toBe('unknown_environment');
    const workflow = await call(
      service,
      'save_project',
      projectArgs(t.owner, t.organisationId, { workflow_ids: [t.otherWorkflow.id] }),
    );
    expect(workflow.status).toBe(400);
    expect(workflow.error?.code).toBe('unknown_workflow');
  });

  it("save_flow_sequence refuses another organisation's workflow: 400", async () => {
    const { status, error } = await call(
      service,
      'save_flow_sequence',
      sequenceArgs(t.owner, t.project.id, {
        flows: [{ id: 'flow1', workflow_id: t.otherWorkflow.id, mappings: {}, assertions: [] }],
      }),
    );
    expect(status).toBe(400);
    expect(error?.code).toBe('invalid_sequence');
  });

  it('flow_run_secret_values answers the service role', async () => {
    const values = await ok(service, 'flow_run_secret_values', {
      p_environment_id: t.environment.id,
    });
    expect(values).toEqual({ api_key: 'sk-staging-123' });
  });
});

describe('set_project_environment', () => {
  let production: EnvironmentRow;

  beforeAll(async () => {
    production = await ok<EnvironmentRow>(
      service,
      'save_environment',
      environmentArgs(t.owner, t.organisationId, { name: 'production' }),
    );
  });

  const linked = async () => {
    const { data } = await service
      .from('projects')
      .select('environment_id')
      .eq('id', t.project.id)
      .single();
    return (data as { environment_id: string | null }).environment_id;
  };

  it.each(['owner', 'admin'] as const)(
    '%s switches the environment in one call, and back',
    async (who) => {
      const switched = await call(client(who), 'set_project_environment', {
        p_project_id: t.project.id,
        p_environment_id: production.id,
      });
      expect(switched.error).toBeNull();
      expect((switched.data as ProjectRow).environment_id).toBe(production.id);
      expect(await linked()).toBe(production.id);
      await ok(client(who), 'set_project_environment', {
        p_project_id: t.project.id,
        p_environment_id: t.environment.id,
      });
      expect(await linked()).toBe(t.environment.id);
    },
  );

  it('null (or no environment) unlinks', async () => {
    await ok(client('admin'), 'set_project_environment', { p_project_id: t.project.id });
    expect(await linked()).toBeNull();
    await ok(client('admin'), 'set_project_environment', {
      p_project_id: t.project.id,
      p_environment_id: t.environment.id,
    });
    expect(await linked()).toBe(t.environment.id);
  });

  it('member: 403, nothing changes', async () => {
    const { error, status } = await call(client('member'), 'set_project_environment', {
      p_project_id: t.project.id,
      p_environment_id: production.id,
    });
    expect(status).toBe(403);
    expect(error?.code).toBe('forbidden');
    expect(await linked()).toBe(t.environment.id);
  });

  it('outsider: 404, nothing changes', async () => {
    const { status } = await call(client('outsider'), 'set_project_environment', {
      p_project_id: t.project.id,
      p_environment_id: t.otherEnvironment.id,
    });
    expect(status).toBe(404);
    expect(await linked()).toBe(t.environment.id);
  });

  it("owner cannot link another organisation's environment: 404", async () => {
    const { status } = await call(client('owner'), 'set_project_environment', {
      p_project_id: t.project.id,
      p_environment_id: t.otherEnvironment.id,
    });
    expect(status).toBe(404);
    expect(await linked()).toBe(t.environment.id);
  });

  it('anon: 42501', async () => {
    const { error } = await call(anon, 'set_project_environment', {
      p_project_id: t.project.id,
      p_environment_id: production.id,
    });
    expect(error?.code).toBe('42501');
  });

  it('deleting the linked environment unlinks the project (and keeps it)', async () => {
    const doomed = await ok<EnvironmentRow>(
      service,
      'save_environment',
      environmentArgs(t.owner, t.organisationId, { name: `doomed-${Date.now()}` }),
    );
    const project = await ok<ProjectRow>(
      service,
      'save_project',
      projectArgs(t.owner, t.organisationId, { environment_id: doomed.id }),
    );
    const { error } = await client('admin').from('environments').delete().eq('id', doomed.id);
    expect(error).toBeNull();
    const { data } = await service
      .from('projects')
      .select('organisation_id, environment_id')
      .eq('id', project.id)
      .single();
    expect(data).toEqual({ organisation_id: t.organisationId, environment_id: null });
  });
});

describe('move_flow_sequence', () => {
  let ids: string[];

  beforeAll(async () => {
    const project = await ok<ProjectRow>(
      service,
      'save_project',
      projectArgs(t.owner, t.organisationId),
    );
    ids = [];
    for (const name of ['a', 'b', 'c']) {
      ids.push(
        (
          await ok<SequenceRow>(
            service,
            'save_flow_sequence',
            sequenceArgs(t.owner, project.id, { name }),
          )
        ).id,
      );
    }
  });

  const order = async () => {
    const { data } = await service
      .from('flow_sequences')
      .select('id, position')
      .in('id', ids)
      .order('position');
    return (data as { id: string; position: number }[]).map(
      (r) => `${ids.indexOf(r.id)}@${r.position}`,
    );
  };

  it.each(['owner', 'admin'] as const)('%s moves a sequence', async (who) => {
    const before = await order();
    const moved = await ok<{ id: string; position: number }[]>(client(who), 'move_flow_sequence', {
      p_sequence_id: ids[2],
      p_position: 0,
    });
    expect(moved.map((m) => m.position)).toEqual([0, 1, 2]);
    expect(moved[0]?.id).toBe(ids[2]);
    expect(await order()).not.toEqual(before);
    await ok(client(who), 'move_flow_sequence', { p_sequence_id: ids[2], p_position: 2 });
    expect(await order()).toEqual(['0@0', '1@1', '2@2']);
  });

  it('member: 403, nothing moves', async () => {
    const { status } = await call(client('member'), 'move_flow_sequence', {
      p_sequence_id: ids[2],
      p_position: 0,
    });
    expect(status).toBe(403);
    expect(await order()).toEqual(['0@0', '1@1', '2@2']);
  });

  it('outsider: 404, nothing moves', async () => {
    const { status } = await call(client('outsider'), 'move_flow_sequence', {
      p_sequence_id: ids[2],
      p_position: 0,
    });
    expect(status).toBe(404);
    expect(await order()).toEqual(['0@0', '1@1', '2@2']);
  });

  it('anon: 42501', async () => {
    const { error } = await call(anon, 'move_flow_sequence', {
      p_sequence_id: ids[2],
      p_position: 0,
    });
    expect(error?.code).toBe('42501');
  });
});
