import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@forkflow/db';
import { echoStep, insertRawWorkflow } from './support/orchestrator.ts';
import { adminDb, connectAs, createTemplate, startSequence, steps } from './support/sequences.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import { insertJob } from './support/workflows.ts';

// The trash (issue 10 §4; docs/security.md, "What can be undone"): restaurants and templates
// are soft-deleted through move_to_trash (ids only, at most 100), hidden from reads,
// restorable, and purged after 30 days; a user's deletion keeps the organisation's history
// and its ownership.

type TrashKind = Database['public']['Enums']['trash_kind'];

const fx = createFixtures('trash');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let organisationId: string;
let db: pg.Client;

beforeAll(async () => {
  ({ owner, admin, member, colleague, outsider } = await fx.users(
    'owner',
    'admin',
    'member',
    'colleague',
    'outsider',
  ));
  organisationId = await fx.organisation(owner, {
    admins: [admin],
    members: [member, colleague],
  });
  await fx.organisation(outsider);
  db = await adminDb();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

const trash = (user: TestUser, kind: TrashKind, ids: string[]) =>
  user.client.rpc('move_to_trash', { p_kind: kind, p_ids: ids });
const restore = (user: TestUser, kind: TrashKind, ids: string[]) =>
  user.client.rpc('restore_from_trash', { p_kind: kind, p_ids: ids });

async function deletedAt(table: 'restaurants' | 'tasks' | 'sequence_instances', id: string) {
  const { rows } = await db.query<{ deleted_at: Date | null }>(
    `select deleted_at from public.${table} where id = $1`,
    [id],
  );
  return rows[0] ? rows[0].deleted_at : 'gone';
}

/** A restaurant written as the database owner, so its creator and rep are whatever a test says. */
async function createRestaurant(
  orgId: string,
  values: { name?: string; created_by?: string; assigned_sales_rep?: string | null } = {},
) {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.restaurants (organisation_id, name, created_by, assigned_sales_rep)
     values ($1, $2, $3, $4) returning id`,
    [
      orgId,
      values.name ?? 'Trash Bistro',
      values.created_by ?? null,
      values.assigned_sales_rep ?? null,
    ],
  );
  return { id: rows[0]!.id };
}

/** A restaurant with a running two-step sequence (so it has tasks and an instance). */
async function restaurantWithSequence(values: { created_by?: string; assigned?: string } = {}) {
  const restaurant = await createRestaurant(organisationId, {
    name: 'Trash Bistro',
    created_by: values.created_by ?? owner.id,
    assigned_sales_rep: values.assigned ?? null,
  });
  const template = await createTemplate(owner, organisationId, steps(2));
  const instance = await startSequence(owner, template.id, restaurant.id);
  const { data: tasks } = await service
    .from('tasks')
    .select('id')
    .eq('sequence_instance_id', instance.id);
  return { restaurant, instance, taskIds: (tasks ?? []).map((t) => t.id) };
}

describe('no unbounded deletes through the API', () => {
  it("a member's filter DELETE on an organisation's restaurants removes nothing", async () => {
    const restaurant = await createRestaurant(organisationId, { created_by: member.id });
    const { error } = await member.client
      .from('restaurants')
      .delete()
      .eq('organisation_id', organisationId);
    expect(error?.code).toBe('42501');
    expect(await deletedAt('restaurants', restaurant.id)).toBeNull();
  });

  it.each(['task_templates', 'message_templates', 'sequence_templates'] as const)(
    'an owner cannot DELETE %s directly',
    async (table) => {
      const { error } = await owner.client
        .from(table)
        .delete()
        .eq('organisation_id', organisationId);
      expect(error?.code).toBe('42501');
    },
  );

  it('move_to_trash refuses more than 100 ids in one request', async () => {
    const ids = Array.from({ length: 101 }, () => crypto.randomUUID());
    const { error } = await trash(owner, 'restaurant', ids);
    expect(error?.code).toBe('22023');
  });

  it('API roles cannot set or clear deleted_at themselves', async () => {
    const restaurant = await createRestaurant(organisationId, { created_by: member.id });
    const { error } = await member.client
      .from('restaurants')
      .update({ deleted_at: new Date().toISOString() })
      .eq('id', restaurant.id);
    expect(error?.code).toBe('42501');
    const insert = await member.client.from('restaurants').insert({
      organisation_id: organisationId,
      name: 'Born trashed',
      deleted_at: new Date().toISOString(),
    });
    expect(insert.error?.code).toBe('42501');
    expect(await deletedAt('restaurants', restaurant.id)).toBeNull();
  });
});

describe('restaurants in the trash', () => {
  it('an owner trashes a restaurant: it, its tasks and its sequence are hidden, then restored', async () => {
    const { restaurant, instance, taskIds } = await restaurantWithSequence();
    expect(taskIds).toHaveLength(2);

    const { data, error } = await trash(owner, 'restaurant', [restaurant.id]);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: restaurant.id }]);
    for (const reader of [owner, member]) {
      const r = await reader.client.from('restaurants').select('id').eq('id', restaurant.id);
      const t = await reader.client.from('tasks').select('id').in('id', taskIds);
      const i = await reader.client.from('sequence_instances').select('id').eq('id', instance.id);
      expect([r.data, t.data, i.data]).toEqual([[], [], []]);
    }
    expect(await deletedAt('restaurants', restaurant.id)).toBeInstanceOf(Date);
    expect(await deletedAt('tasks', taskIds[0]!)).toBeInstanceOf(Date);

    const restored = await restore(owner, 'restaurant', [restaurant.id]);
    expect(restored.error).toBeNull();
    expect(restored.data).toEqual([{ id: restaurant.id }]);
    const t = await member.client.from('tasks').select('id').in('id', taskIds);
    const i = await member.client.from('sequence_instances').select('id').eq('id', instance.id);
    expect(t.data).toHaveLength(2);
    expect(i.data).toEqual([{ id: instance.id }]);
  });

  it('a member trashes the restaurants they created or are assigned, not the others', async () => {
    const mine = await createRestaurant(organisationId, { created_by: member.id });
    const assigned = await createRestaurant(organisationId, {
      created_by: colleague.id,
      assigned_sales_rep: member.id,
    });
    const theirs = await createRestaurant(organisationId, { created_by: colleague.id });

    const { data, error } = await trash(member, 'restaurant', [mine.id, assigned.id, theirs.id]);
    expect(error).toBeNull();
    expect(data?.map((row) => row.id).sort()).toEqual([mine.id, assigned.id].sort());
    expect(await deletedAt('restaurants', theirs.id)).toBeNull();

    // ...and an admin trashes anyone's.
    expect((await trash(admin, 'restaurant', [theirs.id])).data).toEqual([{ id: theirs.id }]);
  });

  it('outsider and anon cannot trash or restore restaurants', async () => {
    const restaurant = await createRestaurant(organisationId, { created_by: owner.id });
    expect((await trash(outsider, 'restaurant', [restaurant.id])).data).toEqual([]);
    const anon = await anonClient().rpc('move_to_trash', {
      p_kind: 'restaurant',
      p_ids: [restaurant.id],
    });
    expect(anon.error?.code).toBe('42501');
    expect(await deletedAt('restaurants', restaurant.id)).toBeNull();

    await trash(owner, 'restaurant', [restaurant.id]);
    expect((await restore(outsider, 'restaurant', [restaurant.id])).data).toEqual([]);
    expect(await deletedAt('restaurants', restaurant.id)).toBeInstanceOf(Date);
  });

  it('no sequence starts on a trashed restaurant', async () => {
    const restaurant = await createRestaurant(organisationId, { created_by: owner.id });
    const template = await createTemplate(owner, organisationId, steps(1));
    await trash(owner, 'restaurant', [restaurant.id]);
    const { error } = await owner.client.rpc('start_sequence', {
      p_template_id: template.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error?.code).toBe('P0002');
  });
});

describe('a paused sequence of a trashed restaurant', () => {
  async function instanceStatus(id: string) {
    const { rows } = await db.query<{ status: string }>(
      `select status from public.sequence_instances where id = $1`,
      [id],
    );
    return rows[0]!.status;
  }

  it('is resumed by neither the scheduler nor a user until the restaurant is restored', async () => {
    const { restaurant, instance } = await restaurantWithSequence();
    const resumeAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const paused = await owner.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: resumeAt,
    });
    expect(paused.error).toBeNull();
    await trash(owner, 'restaurant', [restaurant.id]);
    // Its resume time comes while the restaurant is in the trash.
    await db.query(
      `update public.sequence_instances set resume_at = now() - interval '1 minute' where id = $1`,
      [instance.id],
    );

    expect((await service.rpc('resume_due_sequences')).error).toBeNull();
    expect(await instanceStatus(instance.id)).toBe('paused');

    const byUser = await owner.client.rpc('resume_sequence', { p_instance_id: instance.id });
    expect(byUser.status).toBe(409);
    expect(byUser.error).toMatchObject({ code: 'restaurant_in_trash' });
    expect(byUser.error?.message).toMatch(/in the trash: restore it/);
    expect(await instanceStatus(instance.id)).toBe('paused');

    // Restored, the scheduler's next run resumes it.
    await restore(owner, 'restaurant', [restaurant.id]);
    expect((await service.rpc('resume_due_sequences')).error).toBeNull();
    expect(await instanceStatus(instance.id)).toBe('active');
  });
});

const templateTables = {
  task_template: 'task_templates',
  message_template: 'message_templates',
  sequence_template: 'sequence_templates',
} as const;

async function seedTemplate(kind: keyof typeof templateTables, createdBy: string) {
  const table = templateTables[kind];
  const { rows } = await db.query<{ id: string }>(
    kind === 'message_template'
      ? `insert into public.message_templates (organisation_id, name, message_content, created_by)
         values ($1, 'Trash me', 'Hello', $2) returning id`
      : `insert into public.${table} (organisation_id, name, created_by) values ($1, 'Trash me', $2) returning id`,
    [organisationId, createdBy],
  );
  return rows[0]!.id;
}

describe.each(Object.keys(templateTables) as (keyof typeof templateTables)[])(
  '%s trash',
  (kind) => {
    const table = templateTables[kind];
    const visible = async (user: TestUser, id: string) =>
      ((await user.client.from(table).select('id').eq('id', id)).data ?? []).length === 1;

    it('the creator trashes their own; it is hidden, listed in the trash, and restored', async () => {
      const id = await seedTemplate(kind, member.id);
      expect((await trash(member, kind, [id])).data).toEqual([{ id }]);
      expect(await visible(colleague, id)).toBe(false);

      const { data: items } = await member.client.rpc('trash_items', {
        p_organisation_id: organisationId,
      });
      const item = items?.find((row) => row.id === id);
      expect(item).toMatchObject({ kind, name: 'Trash me', deleted_by: member.id });
      expect(new Date(item!.purge_after).getTime() - new Date(item!.deleted_at).getTime()).toBe(
        30 * 24 * 60 * 60 * 1000,
      );

      expect((await restore(member, kind, [id])).data).toEqual([{ id }]);
      expect(await visible(colleague, id)).toBe(true);
    });

    it("a member cannot trash someone else's; an admin can", async () => {
      const id = await seedTemplate(kind, colleague.id);
      expect((await trash(member, kind, [id])).data).toEqual([]);
      expect(await visible(member, id)).toBe(true);
      expect((await trash(admin, kind, [id])).data).toEqual([{ id }]);
      expect(await visible(member, id)).toBe(false);
    });

    it('outsider neither trashes it nor sees it in their trash', async () => {
      const id = await seedTemplate(kind, owner.id);
      expect((await trash(outsider, kind, [id])).data).toEqual([]);
      await trash(owner, kind, [id]);
      const { data } = await outsider.client.rpc('trash_items', {
        p_organisation_id: organisationId,
      });
      expect(data).toEqual([]);
    });
  },
);

describe('workflows in the trash', () => {
  async function workflowWithJob(
    status: 'failed' | 'completed' | 'pending' | 'running' | 'awaiting_retry',
  ) {
    const key = `trash-wf-${crypto.randomUUID().slice(0, 8)}`;
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key,
      definition: { start_step: 'only', steps: { only: echoStep() } },
    });
    const job = await insertJob(db, {
      user: owner,
      workflow: { ...workflow, organisation_id: organisationId },
      set:
        status === 'pending'
          ? {}
          : {
              status,
              ...(status === 'awaiting_retry'
                ? { next_retry_at: new Date(Date.now() + 3_600_000).toISOString() }
                : {}),
              ...(status === 'failed' || status === 'completed'
                ? { completed_at: new Date().toISOString() }
                : {}),
            },
    });
    return { id: workflow.id, key, jobId: job.id };
  }
  const visible = async (user: TestUser, id: string) =>
    ((await user.client.from('workflows').select('id').eq('id', id)).data ?? []).length === 1;

  it('an admin trashes one without open jobs: hidden, not started, retried or saved; restored with its versions and jobs', async () => {
    const wf = await workflowWithJob('failed');
    // Members do not edit workflows, so they do not trash them either.
    expect((await trash(member, 'workflow', [wf.id])).data).toEqual([]);
    expect((await trash(admin, 'workflow', [wf.id])).data).toEqual([{ id: wf.id }]);
    expect(await visible(owner, wf.id)).toBe(false);

    for (const p_workflow of [wf.id, wf.key]) {
      const started = await owner.client.rpc('start_workflow_job', { p_workflow });
      expect(started.status).toBe(404);
      expect(started.error?.code).toBe('workflow_not_found');
    }
    const retried = await owner.client.rpc('retry_job', { p_job_id: wf.jobId });
    expect(retried.status).toBe(404);
    expect(retried.error?.code).toBe('workflow_not_found');
    const saved = await service.rpc('save_workflow', {
      p_user_id: owner.id,
      p_organisation_id: organisationId,
      p_workflow_id: wf.id,
      p_key: wf.key,
      p_name: 'Saved while trashed',
      p_description: '',
      p_definition: { start_step: 'only', steps: { only: echoStep() } },
    });
    expect(saved.status).toBe(404);
    // Its key stays taken while it is in the trash, and the 409 says where it is.
    const again = await service.rpc('save_workflow', {
      p_user_id: owner.id,
      p_organisation_id: organisationId,
      p_workflow_id: null as unknown as string,
      p_key: wf.key,
      p_name: 'Same key',
      p_description: '',
      p_definition: { start_step: 'only', steps: { only: echoStep() } },
    });
    expect(again.status).toBe(409);
    expect(again.error?.message).toMatch(/is in the trash/);

    const { data: items } = await owner.client.rpc('trash_items', {
      p_organisation_id: organisationId,
    });
    expect(items?.find((row) => row.id === wf.id)).toMatchObject({
      kind: 'workflow',
      name: wf.key,
      deleted_by: admin.id,
    });
    // A member's trash does not list it (they could not restore it).
    const { data: memberItems } = await member.client.rpc('trash_items', {
      p_organisation_id: organisationId,
    });
    expect(memberItems?.some((row) => row.id === wf.id)).toBe(false);
    expect((await restore(member, 'workflow', [wf.id])).data).toEqual([]);

    expect((await restore(owner, 'workflow', [wf.id])).data).toEqual([{ id: wf.id }]);
    expect(await visible(member, wf.id)).toBe(true);
    const { data: versions } = await owner.client
      .from('workflow_versions')
      .select('version')
      .eq('workflow_id', wf.id);
    expect(versions).toEqual([{ version: 1 }]);
    const { rows } = await db.query(`select status from public.jobs where id = $1`, [wf.jobId]);
    expect(rows).toEqual([{ status: 'failed' }]);
    const restarted = await owner.client.rpc('start_workflow_job', { p_workflow: wf.id });
    expect(restarted.error).toBeNull();
    await db.query(`delete from public.jobs where workflow_id = $1`, [wf.id]);
  });

  it.each(['pending', 'running', 'awaiting_retry'] as const)(
    'is refused with 409 while a job of it is %s, and nothing is trashed',
    async (status) => {
      const wf = await workflowWithJob(status);
      const other = await workflowWithJob('completed');
      const { error, status: http } = await trash(owner, 'workflow', [other.id, wf.id]);
      expect(http).toBe(409);
      expect(error?.code).toBe('workflow_busy');
      expect(error?.message).toContain(wf.key);
      expect(await visible(owner, wf.id)).toBe(true);
      expect(await visible(owner, other.id)).toBe(true);
      await db.query(`delete from public.jobs where workflow_id = $1`, [wf.id]);
    },
  );

  it('a start racing a move to the trash: either the move sees its job (409) or the start finds the workflow gone (404)', async () => {
    const starter = await connectAs(owner.id);
    const trasher = await connectAs(admin.id);
    /** Resolves once `client`'s backend waits on a lock (the other transaction holds it). */
    const blocked = async (client: pg.Client) => {
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
    };
    /** raise_http's error: sqlstate PGRST, its code and message as JSON. */
    const httpCode = (err: unknown) =>
      (JSON.parse((err as Error).message) as { code: string }).code;
    try {
      const trasherWaits = await blocked(trasher);
      const starterWaits = await blocked(starter);

      // The start holds its workflow first: the move waits for it, then sees its job.
      const first = await workflowWithJob('completed');
      await starter.query('begin');
      await starter.query('select public.start_workflow_job($1)', [first.id]);
      const move = trasher
        .query(`select * from public.move_to_trash('workflow', $1)`, [[first.id]])
        .then(() => 'moved', httpCode);
      await trasherWaits();
      await starter.query('commit');
      expect(await move).toBe('workflow_busy');

      // The move holds it first: the start waits, then finds it in the trash.
      const second = await workflowWithJob('completed');
      await trasher.query('begin');
      await trasher.query(`select * from public.move_to_trash('workflow', $1)`, [[second.id]]);
      const start = starter
        .query('select public.start_workflow_job($1)', [second.id])
        .then(() => 'started', httpCode);
      await starterWaits();
      await trasher.query('commit');
      expect(await start).toBe('workflow_not_found');
      await db.query(`delete from public.jobs where workflow_id = any($1)`, [
        [first.id, second.id],
      ]);
    } finally {
      await starter.end();
      await trasher.end();
    }
  });

  it('outsider and anon cannot trash a workflow', async () => {
    const wf = await workflowWithJob('completed');
    expect((await trash(outsider, 'workflow', [wf.id])).data).toEqual([]);
    const { error } = await anonClient().rpc('move_to_trash', {
      p_kind: 'workflow',
      p_ids: [wf.id],
    });
    expect(error).not.toBeNull();
    expect(await visible(owner, wf.id)).toBe(true);
  });
});

describe('purge', () => {
  it('purge_trash deletes what was trashed over 30 days ago, with its tasks; newer stays', async () => {
    const old = await restaurantWithSequence();
    const recent = await createRestaurant(organisationId, { created_by: owner.id });
    await trash(owner, 'restaurant', [old.restaurant.id, recent.id]);
    await db.query(
      `update public.restaurants set deleted_at = now() - interval '31 days' where id = $1`,
      [old.restaurant.id],
    );

    const { error } = await service.rpc('purge_trash');
    expect(error).toBeNull();
    expect(await deletedAt('restaurants', old.restaurant.id)).toBe('gone');
    expect(await deletedAt('tasks', old.taskIds[0]!)).toBe('gone');
    expect(await deletedAt('restaurants', recent.id)).toBeInstanceOf(Date);
  });

  it('purges a workflow trashed over 30 days ago with its versions and jobs', async () => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: `purge-wf-${crypto.randomUUID().slice(0, 8)}`,
      definition: { start_step: 'only', steps: { only: echoStep() } },
    });
    const job = await insertJob(db, {
      user: owner,
      workflow: { ...workflow, organisation_id: organisationId },
      set: { status: 'completed', completed_at: new Date().toISOString() },
    });
    expect((await trash(owner, 'workflow', [workflow.id])).data).toEqual([{ id: workflow.id }]);
    await db.query(
      `update public.workflows set deleted_at = now() - interval '31 days' where id = $1`,
      [workflow.id],
    );
    expect((await service.rpc('purge_trash')).error).toBeNull();
    const { rows } = await db.query(
      `select (select count(*) from public.workflows where id = $1)::int as workflows,
              (select count(*) from public.workflow_versions where workflow_id = $1)::int as versions,
              (select count(*) from public.jobs where id = $2)::int as jobs`,
      [workflow.id, job.id],
    );
    expect(rows[0]).toEqual({ workflows: 0, versions: 0, jobs: 0 });
  });

  it('purges invitations expired over 30 days ago; recently expired ones stay for the inviter to renew', async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.organisation_invitations
         (organisation_id, email, role, token_hash, invited_by, expires_at)
       select $1, 'purge-' || n || '-' || $2 || '@example.com', 'member', md5(random()::text) || n,
              $3, now() - make_interval(days => d)
       from (values (1, 31), (2, 1)) as x(n, d)
       returning id`,
      [organisationId, crypto.randomUUID().slice(0, 8), owner.id],
    );
    const [old, recent] = rows.map((r) => r.id);
    expect((await service.rpc('purge_trash')).error).toBeNull();
    const { rows: left } = await db.query<{ id: string }>(
      `select id from public.organisation_invitations where id = any($1)`,
      [[old, recent]],
    );
    expect(left).toEqual([{ id: recent }]);
  });

  it('only the service role runs the purge', async () => {
    const { error } = await owner.client.rpc('purge_trash');
    expect(error?.code).toBe('42501');
  });
});

describe("a user's deletion", () => {
  it('keeps their jobs, events and tasks, and passes a sole ownership to the admin', async () => {
    const leaver = await fx.user('leaver');
    const heirAdmin = await fx.user('heir-admin');
    const earlyMember = await fx.user('early-member');
    const orgId = await fx.organisation(leaver, {
      members: [earlyMember],
      admins: [heirAdmin],
    });
    const workflow = await insertRawWorkflow(db, {
      organisationId: orgId,
      userId: leaver.id,
      key: `trash-${crypto.randomUUID().slice(0, 8)}`,
      definition: { steps: [] },
    });
    const job = await insertJob(db, {
      user: leaver,
      workflow: { ...workflow, organisation_id: orgId },
    });
    const restaurant = await createRestaurant(orgId, { created_by: leaver.id });
    const { data: task } = await leaver.client
      .from('tasks')
      .insert({ organisation_id: orgId, restaurant_id: restaurant.id, name: 'Call back' })
      .select('id')
      .single();

    const { error } = await service.auth.admin.deleteUser(leaver.id);
    expect(error).toBeNull();

    const jobs = await db.query('select user_id from public.jobs where id = $1', [job.id]);
    expect(jobs.rows).toEqual([{ user_id: leaver.id }]);
    const events = await db.query(
      'select count(*)::int as n from public.job_events where job_id = $1',
      [job.id],
    );
    expect(events.rows[0].n).toBeGreaterThan(0);
    const tasks = await db.query('select created_by from public.tasks where id = $1', [task!.id]);
    expect(tasks.rows).toEqual([{ created_by: null }]);
    const owners = await db.query(
      `select user_id from public.organisation_members where organisation_id = $1 and role = 'owner'`,
      [orgId],
    );
    expect(owners.rows).toEqual([{ user_id: heirAdmin.id }]);
  });

  it('deletes the organisation of a user who was its only member', async () => {
    const solo = await fx.user('solo');
    const orgId = await fx.organisation(solo);
    const { error } = await service.auth.admin.deleteUser(solo.id);
    expect(error).toBeNull();
    const { rows } = await db.query('select id from public.organisations where id = $1', [orgId]);
    expect(rows).toEqual([]);
  });
});
