import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import {
  type ApiError,
  callFunction,
  createWorkflowOrganisation,
  saveWorkflow,
  TWO_STEP_DEFINITION,
  uniqueKey,
  type Workflow,
} from './support/workflows.ts';

// Issue 12 §6 (…007000_version_parents.sql): every saved version records the version it was
// saved over (parent_version) and a restore the version it brought back (restored_from),
// which save-workflow takes as `restored_from` and save_workflow checks.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-parents');
  db = await adminDb();
}, 60_000);

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

type VersionRow = {
  version: number;
  parent_version: number | null;
  restored_from: number | null;
  change_description: string | null;
};

async function versionsOf(workflowId: string): Promise<VersionRow[]> {
  const { rows } = await db.query<VersionRow>(
    `select version, parent_version, restored_from, change_description
     from public.workflow_versions where workflow_id = $1 order by version`,
    [workflowId],
  );
  return rows;
}

/** A workflow at v1 (example definition) and v2 (two steps). */
async function twoVersions(): Promise<Workflow> {
  const key = uniqueKey('parents');
  const v1 = await saveWorkflow(t.admin, { organisation_id: t.organisationId, key });
  return saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    workflow_id: v1.id,
    key,
    definition: TWO_STEP_DEFINITION,
  });
}

const save = (workflow: Workflow, extra: Record<string, unknown>) =>
  callFunction<Workflow | ApiError>('save-workflow', {
    as: t.admin,
    body: {
      organisation_id: t.organisationId,
      workflow_id: workflow.id,
      key: workflow.key,
      name: workflow.name,
      ...extra,
    },
  });

describe('parent_version', () => {
  it('is null for version 1 and the version saved over for later ones', async () => {
    const v2 = await twoVersions();
    expect(v2.version).toBe(2);
    expect(await versionsOf(v2.id)).toEqual([
      { version: 1, parent_version: null, restored_from: null, change_description: 'Created' },
      { version: 2, parent_version: 1, restored_from: null, change_description: null },
    ]);
  });
});

describe('restored_from', () => {
  it('records the version a restore brought back, with a default description', async () => {
    const v2 = await twoVersions();
    const { definition } = (
      await db.query<{ definition: unknown }>(
        'select definition from public.workflow_versions where workflow_id = $1 and version = 1',
        [v2.id],
      )
    ).rows[0]!;
    const res = await save(v2, { definition, expected_version: 2, restored_from: 1 });
    expect(res.status).toBe(200);
    expect((res.body as Workflow).version).toBe(3);
    expect((await versionsOf(v2.id))[2]).toEqual({
      version: 3,
      parent_version: 2,
      restored_from: 1,
      change_description: 'Restored version 1',
    });
  });

  it('keeps a change description the caller gives', async () => {
    const v2 = await twoVersions();
    const res = await save(v2, {
      definition: { ...TWO_STEP_DEFINITION, output_map: { result: '$.first.output.echoed_data' } },
      restored_from: 2,
      change_description: 'Back to two steps, tweaked',
    });
    expect(res.status).toBe(200);
    expect((await versionsOf(v2.id))[2]).toMatchObject({
      version: 3,
      parent_version: 2,
      restored_from: 2,
      change_description: 'Back to two steps, tweaked',
    });
  });

  it('is 400 for a version the workflow does not have, and saves nothing', async () => {
    const v2 = await twoVersions();
    const res = await save(v2, { definition: TWO_STEP_DEFINITION, restored_from: 7 });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('invalid_restored_from');
    expect(await versionsOf(v2.id)).toHaveLength(2);
  });

  it("is 400 for another workflow's version number", async () => {
    // t.workflow has only version 1; v3 exists only on the other workflow.
    const other = await twoVersions();
    await save(other, { definition: { ...TWO_STEP_DEFINITION, output_map: {} } });
    const res = await save(t.workflow, {
      definition: TWO_STEP_DEFINITION,
      restored_from: 3,
    });
    expect(res.status).toBe(400);
    expect((res.body as ApiError).error.code).toBe('invalid_restored_from');
  });

  it('is 400 on a new workflow, and creates nothing', async () => {
    const key = uniqueKey('parents-new');
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        key,
        name: key,
        definition: TWO_STEP_DEFINITION,
        restored_from: 1,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_restored_from');
    const { rows } = await db.query('select 1 from public.workflows where key = $1', [key]);
    expect(rows).toHaveLength(0);
  });

  it('is 400 when not a positive whole number (the body check)', async () => {
    const v2 = await twoVersions();
    for (const restored_from of [0, -1, 1.5, 'one']) {
      const res = await save(v2, { definition: TWO_STEP_DEFINITION, restored_from });
      expect(res.status, JSON.stringify(restored_from)).toBe(400);
    }
    expect(await versionsOf(v2.id)).toHaveLength(2);
  });

  it('records nothing when the restored content is already the latest (no new version)', async () => {
    const v2 = await twoVersions();
    const res = await save(v2, { definition: TWO_STEP_DEFINITION, restored_from: 2 });
    expect(res.status).toBe(200);
    expect((res.body as Workflow).version).toBe(2);
    expect(await versionsOf(v2.id)).toHaveLength(2);
  });

  it('is refused to members, as any save is', async () => {
    const v2 = await twoVersions();
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.member,
      body: {
        organisation_id: t.organisationId,
        workflow_id: v2.id,
        key: v2.key,
        name: v2.name,
        definition: TWO_STEP_DEFINITION,
        restored_from: 1,
      },
    });
    expect(res.status).toBe(403);
    expect(await versionsOf(v2.id)).toHaveLength(2);
  });
});

describe('the columns', () => {
  it('refuse a parent or restored version the workflow does not have (foreign keys)', async () => {
    const v2 = await twoVersions();
    await expect(
      db.query(
        `insert into public.workflow_versions (organisation_id, workflow_id, version, definition, parent_version)
         values ($1, $2, 3, '{}'::jsonb, 9)`,
        [t.organisationId, v2.id],
      ),
    ).rejects.toThrow(/workflow_versions_parent_version/);
    await expect(
      db.query(
        `insert into public.workflow_versions (organisation_id, workflow_id, version, definition, restored_from)
         values ($1, $2, 3, '{}'::jsonb, 3)`,
        [t.organisationId, v2.id],
      ),
    ).rejects.toThrow(/workflow_versions_restored_from/);
  });

  it('are readable by members, like the rest of the version', async () => {
    const v2 = await twoVersions();
    const { data, error } = await t.member.client
      .from('workflow_versions')
      .select('version, parent_version, restored_from')
      .eq('workflow_id', v2.id)
      .order('version');
    expect(error).toBeNull();
    expect(data).toEqual([
      { version: 1, parent_version: null, restored_from: null },
      { version: 2, parent_version: 1, restored_from: null },
    ]);
  });

  it('let a workflow with a restore chain be deleted with its versions', async () => {
    const v2 = await twoVersions();
    await save(v2, { definition: { ...TWO_STEP_DEFINITION, output_map: {} }, restored_from: 1 });
    await db.query('delete from public.workflows where id = $1', [v2.id]);
    expect(await versionsOf(v2.id)).toEqual([]);
  });
});
