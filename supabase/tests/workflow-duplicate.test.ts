import { randomUUID } from 'node:crypto';
import { parseWorkflowExport, toWorkflowExport } from '@forkflow/domain/workflow-export';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  type ApiError,
  callFunction,
  createWorkflowOrganisation,
  saveWorkflow,
  TWO_STEP_DEFINITION,
  uniqueKey,
  type Workflow,
} from './support/workflows.ts';

// public.duplicate_workflow (issue 12 §2; …006500_workflow_duplicate.sql): owners and admins
// copy a workflow of their organisation as `<key>-copy` (then -copy-2, …), "Copy of …",
// active, version 1 with the source's current definition and retry policy and a note naming
// the source; members get 403, outsiders and trashed workflows 404, and nothing is created.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;
/** A workflow at version 2 (archived), so the copy must take v2's content and say "v2". */
let source: Workflow;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-duplicate');
  db = await adminDb();
  const key = uniqueKey('dup');
  const v1 = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    key,
    name: 'Call transcripts',
    description: 'Transcribes calls',
  });
  source = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    workflow_id: v1.id,
    key,
    name: 'Call transcripts',
    description: 'Transcribes calls',
    definition: TWO_STEP_DEFINITION,
    retry_policy: { max_retries: 5 },
    change_description: 'Second step',
  });
  expect(source.version).toBe(2);
  const archived = await t.admin.client.rpc('set_workflow_status', {
    p_workflow_id: source.id,
    p_status: 'archived',
  });
  expect(archived.error).toBeNull();
  const reread = await t.service.from('workflows').select('*').eq('id', source.id).single();
  source = reread.data!;
}, 60_000);

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

const duplicate = (user: TestUser, id: string) =>
  user.client.rpc('duplicate_workflow', { p_workflow_id: id });

async function workflowCount(organisationId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from public.workflows where organisation_id = $1',
    [organisationId],
  );
  return rows[0]!.n;
}

async function versionsOf(workflowId: string) {
  const { rows } = await db.query<{
    version: number;
    definition: unknown;
    retry_policy: unknown;
    change_description: string | null;
    created_by: string | null;
  }>(
    `select version, definition, retry_policy, change_description, created_by
     from public.workflow_versions where workflow_id = $1 order by version`,
    [workflowId],
  );
  return rows;
}

describe('duplicate_workflow', () => {
  it('an admin copies a workflow: <key>-copy, "Copy of …", active, version 1 noting its source', async () => {
    const before = await versionsOf(source.id);
    const { data, error, status } = await duplicate(t.admin, source.id);
    expect(error).toBeNull();
    expect(status).toBe(200);
    const copy = data as unknown as Workflow;
    expect(copy.id).not.toBe(source.id);
    expect(copy.organisation_id).toBe(t.organisationId);
    expect(copy.key).toBe(`${source.key}-copy`);
    expect(copy.name).toBe('Copy of Call transcripts');
    expect(copy.description).toBe('Transcribes calls');
    expect(copy.status).toBe('active');
    expect(copy.version).toBe(1);
    expect(copy.definition).toEqual(source.definition);
    expect(copy.retry_policy).toEqual(source.retry_policy);
    expect(copy.created_by).toBe(t.admin.id);

    const versions = await versionsOf(copy.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      version: 1,
      definition: source.definition,
      retry_policy: source.retry_policy,
      change_description: `Duplicated from ${source.key} v2`,
      created_by: t.admin.id,
    });
    expect((versions[0]!.definition as typeof TWO_STEP_DEFINITION).start_step).toBe('first');

    // The source is untouched: same row, same versions.
    const { data: after } = await t.service
      .from('workflows')
      .select('*')
      .eq('id', source.id)
      .single();
    expect(after).toEqual(source);
    expect(await versionsOf(source.id)).toEqual(before);
  });

  it('an owner copies it again: <key>-copy-2, then -copy-3 (a trashed copy keeps its key)', async () => {
    const second = await duplicate(t.owner, source.id);
    expect(second.error).toBeNull();
    const copy2 = second.data as unknown as Workflow;
    expect(copy2.key).toBe(`${source.key}-copy-2`);
    expect(copy2.created_by).toBe(t.owner.id);

    const trashed = await t.owner.client.rpc('move_to_trash', {
      p_kind: 'workflow',
      p_ids: [copy2.id],
    });
    expect(trashed.error).toBeNull();
    const third = await duplicate(t.owner, source.id);
    expect(third.error).toBeNull();
    expect((third.data as unknown as Workflow).key).toBe(`${source.key}-copy-3`);
  });

  it('a copy of a copy is <key>-copy-copy', async () => {
    const { data } = await t.service
      .from('workflows')
      .select('id')
      .eq('key', `${source.key}-copy`)
      .single();
    const res = await duplicate(t.admin, data!.id);
    expect(res.error).toBeNull();
    const copy = res.data as unknown as Workflow;
    expect(copy.key).toBe(`${source.key}-copy-copy`);
    expect(copy.name).toBe('Copy of Copy of Call transcripts');
    expect((await versionsOf(copy.id))[0]!.change_description).toBe(
      `Duplicated from ${source.key}-copy v1`,
    );
  });

  it('a long key is shortened so the copy key stays within 63 characters', async () => {
    const key = `${'k'.repeat(50)}-${'x'.repeat(12)}`; // 63 characters
    const long = await saveWorkflow(t.admin, { organisation_id: t.organisationId, key });
    const first = await duplicate(t.admin, long.id);
    expect(first.error).toBeNull();
    const firstKey = (first.data as unknown as Workflow).key;
    expect(firstKey).toBe(`${key.slice(0, 58)}-copy`);
    expect(firstKey).toHaveLength(63);
    const second = await duplicate(t.admin, long.id);
    expect(second.error).toBeNull();
    expect((second.data as unknown as Workflow).key).toBe(`${key.slice(0, 56)}-copy-2`);
  });

  it('a member gets 403 and nothing is created', async () => {
    const before = await workflowCount(t.organisationId);
    const res = await duplicate(t.member, source.id);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('forbidden');
    expect(await workflowCount(t.organisationId)).toBe(before);
  });

  it("an outsider gets 404 for another organisation's workflow and nothing is created", async () => {
    const before = await workflowCount(t.organisationId);
    const res = await duplicate(t.outsider, source.id);
    expect(res.status).toBe(404);
    expect(await workflowCount(t.organisationId)).toBe(before);
    // …and an admin of this organisation cannot copy the outsider's workflow either.
    const otherBefore = await workflowCount(t.otherOrganisationId);
    const cross = await duplicate(t.admin, t.otherWorkflow.id);
    expect(cross.status).toBe(404);
    expect(await workflowCount(t.otherOrganisationId)).toBe(otherBefore);
  });

  it('a workflow in the trash is 404', async () => {
    const doomed = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const trashed = await t.admin.client.rpc('move_to_trash', {
      p_kind: 'workflow',
      p_ids: [doomed.id],
    });
    expect(trashed.error).toBeNull();
    const before = await workflowCount(t.organisationId);
    const res = await duplicate(t.admin, doomed.id);
    expect(res.status).toBe(404);
    expect(await workflowCount(t.organisationId)).toBe(before);
  });

  it('anonymous callers cannot call it', async () => {
    const res = await anonClient().rpc('duplicate_workflow', { p_workflow_id: source.id });
    expect(res.error).not.toBeNull();
    expect([401, 403, 404]).toContain(res.status);
  });
});

// Export and import (issue 12 §2): a file exported from one organisation is created in
// another through save-workflow, which checks it against the importing organisation's
// transformers — one only the exporting organisation has is a 400 naming the step.
describe('export → import across organisations', () => {
  const importAs = (user: TestUser, organisationId: string, workflow: Workflow, key: string) => {
    const parsed = parseWorkflowExport(JSON.stringify(toWorkflowExport(workflow)));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const file = parsed.value;
    return callFunction<Workflow & ApiError>('save-workflow', {
      as: user,
      body: {
        organisation_id: organisationId,
        key,
        name: file.name,
        description: file.description,
        definition: file.definition,
        retry_policy: file.retry_policy,
        change_description: 'Imported',
      },
    });
  };

  it('creates the exported workflow in the other organisation, the same content at version 1', async () => {
    const res = await importAs(t.outsider, t.otherOrganisationId, source, source.key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      organisation_id: t.otherOrganisationId,
      key: source.key,
      name: source.name,
      description: source.description,
      definition: source.definition,
      retry_policy: source.retry_policy,
      version: 1,
    });
    // Imported again, the key is taken: 409 key_taken and nothing more is created.
    const before = await workflowCount(t.otherOrganisationId);
    const again = await importAs(t.outsider, t.otherOrganisationId, source, source.key);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('key_taken');
    expect(await workflowCount(t.otherOrganisationId)).toBe(before);
  });

  it('refuses a definition using a transformer only the exporting organisation has (400, details)', async () => {
    const transformer = `dup-own-${randomUUID().slice(0, 8)}`;
    const inserted = await t.service.from('transformers').insert({
      id: transformer,
      organisation_id: t.organisationId,
      type: 'echo',
      target_function: 'execute-echo',
    });
    expect(inserted.error).toBeNull();
    const own = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: {
        start_step: 'only',
        steps: { only: { transformer_id: transformer, input_map: {}, next_step: null } },
      },
    });
    const before = await workflowCount(t.otherOrganisationId);
    const res = await importAs(t.outsider, t.otherOrganisationId, own, uniqueKey('imported'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_definition');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: ['steps', 'only', 'transformer_id'] }),
    ]);
    expect(await workflowCount(t.otherOrganisationId)).toBe(before);
  });
});
