import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb, connectAs } from './support/sequences.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  createWorkflowOrganisation,
  EXAMPLE_DEFINITION,
  insertJob,
  saveWorkflow,
  TWO_STEP_DEFINITION,
  uniqueKey,
  type Workflow,
} from './support/workflows.ts';

// Deleting a workflow for good and "used by" (issue 12 §1, §2;
// …006600_workflow_delete_and_usage.sql), called as real users through PostgREST:
// public.workflow_delete_preview, public.delete_workflow, public.workflow_used_by and
// public.transformer_used_by.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-delete');
  db = await adminDb();
}, 60_000);

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

type Preview = {
  key: string;
  name: string;
  trashed: boolean;
  job_count: number;
  version_count: number;
  active_job_count: number;
  used_by: {
    project_id: string;
    project_name: string;
    flow_sequence_id: string;
    flow_sequence_name: string;
  }[];
};

const preview = (user: TestUser, id: string) =>
  user.client.rpc('workflow_delete_preview', { p_workflow_id: id });
const remove = (user: TestUser, id: string, key: string | null) =>
  user.client.rpc('delete_workflow', { p_workflow_id: id, p_confirm_key: key as string });

/** A workflow at version 2 with `jobs` finished jobs, each with a created and a completed event. */
async function workflowWithHistory(jobs: number): Promise<Workflow> {
  const key = uniqueKey('del');
  const v1 = await saveWorkflow(t.admin, { organisation_id: t.organisationId, key });
  const v2 = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    workflow_id: v1.id,
    key,
    definition: TWO_STEP_DEFINITION,
    change_description: 'Two steps',
  });
  for (let i = 0; i < jobs; i += 1) {
    const job = await insertJob(db, { user: i % 2 ? t.member : t.admin, workflow: v2 });
    await db.query(
      `update public.jobs set status = 'completed', completed_at = now() where id = $1`,
      [job.id],
    );
    await db.query(
      `insert into public.job_events (organisation_id, job_id, user_id, event_type, from_status, to_status)
       values ($1, $2, $3, 'completed', 'running', 'completed')`,
      [job.organisation_id, job.id, job.user_id],
    );
  }
  return v2;
}

/** What the database holds of a workflow: its row, versions, jobs and their events. */
async function holdings(workflowId: string) {
  const { rows } = await db.query<{
    workflows: number;
    versions: number;
    jobs: number;
    events: number;
  }>(
    `select
       (select count(*)::int from public.workflows where id = $1) as workflows,
       (select count(*)::int from public.workflow_versions where workflow_id = $1) as versions,
       (select count(*)::int from public.jobs where workflow_id = $1) as jobs,
       (select count(*)::int from public.job_events as e
          join public.jobs as j on j.id = e.job_id where j.workflow_id = $1) as events`,
    [workflowId],
  );
  return rows[0]!;
}

/** A project with one flow sequence whose flows run `workflow`; returns their ids. */
async function sequenceUsing(workflow: Workflow, organisationId = workflow.organisation_id) {
  const slug = `p-${randomUUID().slice(0, 8)}`;
  const project = await db.query<{ id: string }>(
    `insert into public.projects (organisation_id, slug, name) values ($1, $2, $3) returning id`,
    [organisationId, slug, `Project ${slug}`],
  );
  const projectId = project.rows[0]!.id;
  const sequence = await db.query<{ id: string }>(
    `insert into public.flow_sequences (organisation_id, project_id, name, position, flows)
     values ($1, $2, 'Onboarding', 0, $3) returning id`,
    [
      organisationId,
      projectId,
      JSON.stringify([{ id: 'flow1', workflow_id: workflow.id, mappings: {}, assertions: [] }]),
    ],
  );
  return { projectId, projectName: `Project ${slug}`, sequenceId: sequence.rows[0]!.id };
}

describe('workflow_delete_preview', () => {
  it('counts the jobs, versions and open jobs, and lists the sequences using it', async () => {
    const workflow = await workflowWithHistory(3);
    await insertJob(db, { user: t.member, workflow }); // pending
    const use = await sequenceUsing(workflow);

    const { data, error, status } = await preview(t.admin, workflow.id);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data as unknown as Preview).toEqual({
      key: workflow.key,
      name: workflow.name,
      trashed: false,
      job_count: 4,
      version_count: 2,
      active_job_count: 1,
      used_by: [
        {
          project_id: use.projectId,
          project_name: use.projectName,
          flow_sequence_id: use.sequenceId,
          flow_sequence_name: 'Onboarding',
        },
      ],
    });
    // The owner sees the same; jobs started by others count too.
    const owner = await preview(t.owner, workflow.id);
    expect((owner.data as unknown as Preview).job_count).toBe(4);
  });

  it('a member gets 403, an outsider 404, anon is refused', async () => {
    const member = await preview(t.member, t.workflow.id);
    expect(member.status).toBe(403);
    expect(member.error?.code).toBe('forbidden');
    const outsider = await preview(t.outsider, t.workflow.id);
    expect(outsider.status).toBe(404);
    expect(outsider.data).toBeNull();
    const cross = await preview(t.admin, t.otherWorkflow.id);
    expect(cross.status).toBe(404);
    const anon = await anonClient().rpc('workflow_delete_preview', {
      p_workflow_id: t.workflow.id,
    });
    expect(anon.error?.code).toBe('42501');
  });
});

describe('delete_workflow', () => {
  it.each(['pending', 'running', 'awaiting_retry'] as const)(
    'is refused (409 workflow_busy) while a job is %s, then deletes everything once it finished',
    async (open) => {
      const workflow = await workflowWithHistory(2);
      const job = await insertJob(db, {
        user: t.admin,
        workflow,
        set:
          open === 'pending'
            ? {}
            : open === 'running'
              ? { status: 'running', started_at: new Date().toISOString() }
              : {
                  status: 'awaiting_retry',
                  next_retry_at: new Date(Date.now() + 3_600_000).toISOString(),
                },
      });
      const before = await holdings(workflow.id);
      expect(before).toEqual({ workflows: 1, versions: 2, jobs: 3, events: 5 });

      const busy = await remove(t.admin, workflow.id, workflow.key);
      expect(busy.status).toBe(409);
      expect(busy.error?.code).toBe('workflow_busy');
      expect(busy.error?.message).toContain(workflow.key);
      expect(await holdings(workflow.id)).toEqual(before);

      await db.query(
        `update public.jobs set status = 'completed', completed_at = now(),
                        next_retry_at = null where id = $1`,
        [job.id],
      );
      const done = await remove(t.admin, workflow.id, workflow.key);
      expect(done.error).toBeNull();
      expect(done.status).toBe(200);
      expect(done.data).toEqual({
        workflow_id: workflow.id,
        key: workflow.key,
        version_count: 2,
        job_count: 3,
        event_count: 5,
      });
      expect(await holdings(workflow.id)).toEqual({
        workflows: 0,
        versions: 0,
        jobs: 0,
        events: 0,
      });
    },
  );

  it('an owner deletes one with no jobs; its key is free again', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const res = await remove(t.owner, workflow.id, workflow.key);
    expect(res.error).toBeNull();
    expect(res.data).toMatchObject({ version_count: 1, job_count: 0, event_count: 0 });
    const again = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      key: workflow.key,
    });
    expect(again.id).not.toBe(workflow.id);
    expect(again.version).toBe(1);
  });

  it('is refused (409 workflow_in_use) while a project sequence runs it, and works once removed', async () => {
    const workflow = await workflowWithHistory(1);
    const use = await sequenceUsing(workflow);
    const before = await holdings(workflow.id);

    const res = await remove(t.admin, workflow.id, workflow.key);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('workflow_in_use');
    expect(res.error?.message).toContain(use.projectName);
    expect(await holdings(workflow.id)).toEqual(before);

    await db.query('delete from public.flow_sequences where id = $1', [use.sequenceId]);
    const done = await remove(t.admin, workflow.id, workflow.key);
    expect(done.error).toBeNull();
    expect(await holdings(workflow.id)).toEqual({ workflows: 0, versions: 0, jobs: 0, events: 0 });
  });

  it('a sequence in another organisation naming the id does not count', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    // Not a sequence anyone could save (save_flow_sequence checks the organisation), but
    // the in-use check must still only look at the workflow's own organisation.
    // Its triggers (the flows lock would refuse it) are skipped for this transaction only.
    await db.query('begin');
    try {
      await db.query(`set local session_replication_role = replica`);
      await sequenceUsing(workflow, t.otherOrganisationId);
      await db.query('commit');
    } catch (error) {
      await db.query('rollback');
      throw error;
    }
    const res = await remove(t.admin, workflow.id, workflow.key);
    expect(res.error).toBeNull();
  });

  it('needs the exact key typed (400 confirmation_mismatch) and changes nothing otherwise', async () => {
    const workflow = await workflowWithHistory(1);
    const before = await holdings(workflow.id);
    for (const typed of [`${workflow.key} `, workflow.key.toUpperCase(), '', null]) {
      const res = await remove(t.admin, workflow.id, typed);
      expect(res.status).toBe(400);
      expect(res.error?.code).toBe('confirmation_mismatch');
    }
    expect(await holdings(workflow.id)).toEqual(before);
  });

  it('a member gets 403, an outsider and another organisation 404, anon is refused; nothing changes', async () => {
    const workflow = await workflowWithHistory(1);
    const before = await holdings(workflow.id);
    const otherBefore = await holdings(t.otherWorkflow.id);

    const member = await remove(t.member, workflow.id, workflow.key);
    expect(member.status).toBe(403);
    expect(member.error?.code).toBe('forbidden');
    const outsider = await remove(t.outsider, workflow.id, workflow.key);
    expect(outsider.status).toBe(404);
    const cross = await remove(t.admin, t.otherWorkflow.id, t.otherWorkflow.key);
    expect(cross.status).toBe(404);
    const anon = await anonClient().rpc('delete_workflow', {
      p_workflow_id: workflow.id,
      p_confirm_key: workflow.key,
    });
    expect(anon.error?.code).toBe('42501');

    expect(await holdings(workflow.id)).toEqual(before);
    expect(await holdings(t.otherWorkflow.id)).toEqual(otherBefore);
  });

  it('purges a workflow from the trash (admins); members see no trashed workflow', async () => {
    const workflow = await workflowWithHistory(2);
    const trashed = await t.admin.client.rpc('move_to_trash', {
      p_kind: 'workflow',
      p_ids: [workflow.id],
    });
    expect(trashed.error).toBeNull();

    expect((await preview(t.member, workflow.id)).status).toBe(404);
    expect((await remove(t.member, workflow.id, workflow.key)).status).toBe(404);
    const shown = await preview(t.admin, workflow.id);
    expect(shown.data).toMatchObject({
      key: workflow.key,
      trashed: true,
      job_count: 2,
      version_count: 2,
      active_job_count: 0,
    });

    const done = await remove(t.admin, workflow.id, workflow.key);
    expect(done.error).toBeNull();
    expect(await holdings(workflow.id)).toEqual({ workflows: 0, versions: 0, jobs: 0, events: 0 });
    const trash = await t.admin.client.rpc('trash_items', { p_organisation_id: t.organisationId });
    expect((trash.data ?? []).map((item) => item.id)).not.toContain(workflow.id);
  });

  it('a sequence cannot be saved with a workflow deleted meanwhile (the flows lock)', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const done = await remove(t.admin, workflow.id, workflow.key);
    expect(done.error).toBeNull();
    // As save_flow_sequence would write it had it checked the flows just before the delete.
    await expect(sequenceUsing(workflow)).rejects.toThrow(/deleted meanwhile/);
  });
});

describe('delete_workflow racing a job start or a sequence save', () => {
  /** Resolves once `client`'s backend waits on a lock (the other transaction holds it). */
  async function blocked(client: pg.Client) {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    return async () => {
      for (;;) {
        const { rows: waiting } = await db.query(
          `select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'`,
          [rows[0]!.pid],
        );
        if (waiting.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
  }
  /** raise_http's error: sqlstate PGRST, its code and message as JSON. */
  const httpCode = (error: unknown) =>
    (JSON.parse((error as Error).message) as { code: string }).code;

  let deleter: pg.Client;
  let other: pg.Client;
  beforeAll(async () => {
    deleter = await connectAs(t.admin.id);
    other = await connectAs(t.owner.id);
  });
  afterAll(async () => {
    await deleter?.end();
    await other?.end();
  });

  const deleteIt = (workflow: Workflow) =>
    deleter
      .query('select public.delete_workflow($1, $2)', [workflow.id, workflow.key])
      .then(() => 'deleted', httpCode);

  it('a start holding the workflow first: the delete waits, then sees its job (409)', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const deleterWaits = await blocked(deleter);
    await other.query('begin');
    await other.query('select public.start_workflow_job($1)', [workflow.id]);
    const result = deleteIt(workflow);
    await deleterWaits();
    await other.query('commit');
    expect(await result).toBe('workflow_busy');
    expect((await holdings(workflow.id)).workflows).toBe(1);
  });

  it('the delete holding it first: the start waits, then finds it gone (404)', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const starterWaits = await blocked(other);
    await deleter.query('begin');
    await deleter.query('select public.delete_workflow($1, $2)', [workflow.id, workflow.key]);
    const start = other
      .query('select public.start_workflow_job($1)', [workflow.id])
      .then(() => 'started', httpCode);
    await starterWaits();
    await deleter.query('commit');
    expect(await start).toBe('workflow_not_found');
    expect(await holdings(workflow.id)).toEqual({ workflows: 0, versions: 0, jobs: 0, events: 0 });
  });

  it('a sequence saved first: the delete waits, then sees it in use (409)', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const saver = await adminDb();
    try {
      const deleterWaits = await blocked(deleter);
      await saver.query('begin');
      const project = await saver.query<{ id: string }>(
        `insert into public.projects (organisation_id, slug, name) values ($1, $2, 'Race')
         returning id`,
        [t.organisationId, `race-${randomUUID().slice(0, 8)}`],
      );
      await saver.query(
        `insert into public.flow_sequences (organisation_id, project_id, name, position, flows)
         values ($1, $2, 'Racing', 0, $3)`,
        [
          t.organisationId,
          project.rows[0]!.id,
          JSON.stringify([{ id: 'flow1', workflow_id: workflow.id, mappings: {}, assertions: [] }]),
        ],
      );
      const result = deleteIt(workflow);
      await deleterWaits();
      await saver.query('commit');
      expect(await result).toBe('workflow_in_use');
    } finally {
      await saver.end();
    }
  });

  it('the delete first: a sequence save naming it waits, then is refused (409)', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    const saver = await adminDb();
    try {
      const project = await saver.query<{ id: string }>(
        `insert into public.projects (organisation_id, slug, name) values ($1, $2, 'Race')
         returning id`,
        [t.organisationId, `race-${randomUUID().slice(0, 8)}`],
      );
      const saverWaits = await blocked(saver);
      await deleter.query('begin');
      await deleter.query('select public.delete_workflow($1, $2)', [workflow.id, workflow.key]);
      const save = saver
        .query(
          `insert into public.flow_sequences (organisation_id, project_id, name, position, flows)
           values ($1, $2, 'Racing', 0, $3)`,
          [
            t.organisationId,
            project.rows[0]!.id,
            JSON.stringify([
              { id: 'flow1', workflow_id: workflow.id, mappings: {}, assertions: [] },
            ]),
          ],
        )
        .then(() => 'saved', httpCode);
      await saverWaits();
      await deleter.query('commit');
      expect(await save).toBe('workflow_not_found');
    } finally {
      await saver.end();
    }
  });
});

describe('workflow_used_by', () => {
  it('lists the sequences using it to any member of its organisation, 404 to others', async () => {
    const workflow = await saveWorkflow(t.admin, { organisation_id: t.organisationId });
    expect(
      (await t.member.client.rpc('workflow_used_by', { p_workflow_id: workflow.id })).data,
    ).toEqual([]);
    const first = await sequenceUsing(workflow);
    const second = await sequenceUsing(workflow);
    const { data, error } = await t.member.client.rpc('workflow_used_by', {
      p_workflow_id: workflow.id,
    });
    expect(error).toBeNull();
    expect(new Set((data ?? []).map((row) => row.flow_sequence_id))).toEqual(
      new Set([first.sequenceId, second.sequenceId]),
    );
    expect(data?.find((row) => row.project_id === first.projectId)?.project_name).toBe(
      first.projectName,
    );

    const outsider = await t.outsider.client.rpc('workflow_used_by', {
      p_workflow_id: workflow.id,
    });
    expect(outsider.status).toBe(404);
    expect(outsider.data).toBeNull();
    const anon = await anonClient().rpc('workflow_used_by', { p_workflow_id: workflow.id });
    expect(anon.error?.code).toBe('42501');
  });
});

describe('transformer_used_by', () => {
  let ours: Workflow;
  let archived: Workflow;
  let theirs: Workflow;
  const transformerId = `crm-hook-${randomUUID().slice(0, 6)}`;
  const usingIt = (stepTransformer: string) => ({
    start_step: 'load',
    steps: {
      load: {
        transformer_id: 'echo-transformer',
        input_map: { data: '$.job_input' },
        next_step: 'push',
      },
      push: {
        transformer_id: stepTransformer,
        input_map: { data: '$.load.output' },
        next_step: null,
      },
    },
  });

  beforeAll(async () => {
    // The same id in both organisations: two different transformers.
    for (const organisationId of [t.organisationId, t.otherOrganisationId]) {
      await db.query(
        `insert into public.transformers (id, organisation_id, type, target_function)
         values ($1, $2, 'echo', 'execute-echo')`,
        [transformerId, organisationId],
      );
    }
    ours = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      name: 'Zeta push',
      definition: usingIt(transformerId),
    });
    archived = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      name: 'Alpha push',
      definition: usingIt(transformerId),
    });
    await t.admin.client.rpc('set_workflow_status', {
      p_workflow_id: archived.id,
      p_status: 'archived',
    });
    // Used it at version 1 only: its current definition no longer does.
    const moved = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: usingIt(transformerId),
    });
    await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      workflow_id: moved.id,
      key: moved.key,
      definition: EXAMPLE_DEFINITION,
    });
    // In the trash: not listed.
    const binned = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: usingIt(transformerId),
    });
    await t.admin.client.rpc('move_to_trash', { p_kind: 'workflow', p_ids: [binned.id] });
    theirs = await saveWorkflow(t.outsider, {
      organisation_id: t.otherOrganisationId,
      definition: usingIt(transformerId),
    });
  }, 60_000);

  it("lists the organisation's workflows whose current definition runs it, by name", async () => {
    const { data, error } = await t.member.client.rpc('transformer_used_by', {
      p_organisation_id: t.organisationId,
      p_transformer_id: transformerId,
    });
    expect(error).toBeNull();
    expect(data).toEqual([
      { workflow_id: archived.id, key: archived.key, name: 'Alpha push', status: 'archived' },
      { workflow_id: ours.id, key: ours.key, name: 'Zeta push', status: 'active' },
    ]);
    const other = await t.outsider.client.rpc('transformer_used_by', {
      p_organisation_id: t.otherOrganisationId,
      p_transformer_id: transformerId,
    });
    expect(other.data?.map((row) => row.workflow_id)).toEqual([theirs.id]);
  });

  it('a built-in used in both organisations lists only the asked one', async () => {
    const { data } = await t.admin.client.rpc('transformer_used_by', {
      p_organisation_id: t.organisationId,
      p_transformer_id: 'echo-transformer',
    });
    const ids = (data ?? []).map((row) => row.workflow_id);
    expect(ids).toContain(ours.id);
    expect(ids).toContain(t.workflow.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(t.otherWorkflow.id);
  });

  it('another organisation is 404 (nothing listed), anon is refused', async () => {
    const res = await t.outsider.client.rpc('transformer_used_by', {
      p_organisation_id: t.organisationId,
      p_transformer_id: transformerId,
    });
    expect(res.status).toBe(404);
    expect(res.data).toBeNull();
    const anon = await anonClient().rpc('transformer_used_by', {
      p_organisation_id: t.organisationId,
      p_transformer_id: transformerId,
    });
    expect(anon.error?.code).toBe('42501');
  });

  it('a definition whose steps are not an object is still a valid row (the index expression is lax)', async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.workflows (organisation_id, key, name, definition)
       values ($1, $2, 'Odd', '{"steps": 5}') returning id`,
      [t.organisationId, uniqueKey('odd')],
    );
    expect(rows).toHaveLength(1);
    await db.query('delete from public.workflows where id = $1', [rows[0]!.id]);
  });

  it('the index serves the look-up', async () => {
    // With sequential scans off, as a large table would make the planner choose: whether
    // the query's expression is the index's (a mismatch falls back to a Seq Scan).
    await db.query('begin');
    try {
      await db.query('set local enable_seqscan = off');
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(
        `explain select id from public.workflows
         where jsonb_path_query_array(definition, '$.steps.*.transformer_id') @> '["x"]'`,
      );
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
        'workflows_transformer_ids_idx',
      );
    } finally {
      await db.query('rollback');
    }
  });
});
