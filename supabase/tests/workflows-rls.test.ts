import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  createWorkflowOrganisation,
  EXAMPLE_DEFINITION,
  insertJob,
  type Job,
} from './support/workflows.ts';

// RLS and privileges on the workflow engine's tables (docs/workflows-contract.md), as real
// users through PostgREST: member, admin, outsider (another organisation) and anon, for
// every verb. A denied read returns no rows; a denied UPDATE/DELETE under a policy matches
// no rows (re-read with the service role to prove nothing changed); a write without the
// privilege, or an INSERT a policy refuses, is 42501. anon has no privileges at all.
//
// transformers: built-ins readable by every signed-in user, writable by nobody; an
//   organisation's own ones read by its members, written by its admins.
// workflows, workflow_versions: read by members; no write privileges (save-workflow and
//   set_workflow_status write them).
// jobs, job_events: read by the job's owner and the organisation's admins; no write
//   privileges (RPCs and the orchestrator's queue functions write them); job_events cannot
//   be changed or deleted even by the service role.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;
let anon: Client;
let orgTransformer: string;
let otherTransformer: string;
let memberJob: Job;
let colleagueJob: Job;
let outsiderJob: Job;

type Who = 'member' | 'admin' | 'outsider';
const as = (who: Who): TestUser => t[who];

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-rls');
  db = await adminDb();
  anon = anonClient();
  orgTransformer = `rls-own-${randomUUID().slice(0, 8)}`;
  otherTransformer = `rls-other-${randomUUID().slice(0, 8)}`;
  const { error } = await t.service.from('transformers').insert([
    {
      id: orgTransformer,
      organisation_id: t.organisationId,
      type: 'echo',
      target_function: 'execute-echo',
    },
    {
      id: otherTransformer,
      organisation_id: t.otherOrganisationId,
      type: 'echo',
      target_function: 'execute-echo',
    },
  ]);
  if (error) throw new Error(`seed transformers: ${error.message}`);
  memberJob = await insertJob(db, { user: t.member, workflow: t.workflow });
  colleagueJob = await insertJob(db, { user: t.colleague, workflow: t.workflow });
  outsiderJob = await insertJob(db, { user: t.outsider, workflow: t.otherWorkflow });
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

const ids = (rows: { id: unknown }[] | null) => (rows ?? []).map((r) => r.id);

async function transformerDescription(id: string): Promise<string | null> {
  const { data } = await t.service.from('transformers').select('description').eq('id', id).single();
  return data?.description ?? null;
}

describe('transformers', () => {
  describe('select', () => {
    it.each(['member', 'admin', 'outsider'] as const)(
      '%s reads the built-in transformers',
      async (who) => {
        const { data, error } = await as(who)
          .client.from('transformers')
          .select('id')
          .in('id', ['echo-transformer', 'http-request', 'gemini-timestamp-transcriber'])
          .order('id');
        expect(error).toBeNull();
        expect(ids(data)).toEqual([
          'echo-transformer',
          'gemini-timestamp-transcriber',
          'http-request',
        ]);
      },
    );

    it.each(['member', 'admin'] as const)("%s reads the organisation's own", async (who) => {
      const { data } = await as(who)
        .client.from('transformers')
        .select('id')
        .eq('id', orgTransformer);
      expect(ids(data)).toEqual([orgTransformer]);
    });

    it("outsider cannot read another organisation's transformer", async () => {
      const { data, error } = await t.outsider.client
        .from('transformers')
        .select('id')
        .in('id', [orgTransformer, otherTransformer]);
      expect(error).toBeNull();
      expect(ids(data)).toEqual([otherTransformer]);
    });

    it('anon cannot read transformers at all', async () => {
      const { error } = await anon.from('transformers').select('id');
      expect(error?.code).toBe('42501');
    });
  });

  describe('insert', () => {
    const row = (organisation_id: string | null) => ({
      id: `rls-${randomUUID().slice(0, 8)}`,
      organisation_id,
      type: 'echo',
      target_function: 'execute-echo',
    });

    it("admin adds the organisation's own transformer", async () => {
      const { error } = await t.admin.client.from('transformers').insert(row(t.organisationId));
      expect(error).toBeNull();
    });

    it.each(['member', 'outsider'] as const)(
      '%s cannot add one to the organisation',
      async (who) => {
        const { error } = await as(who).client.from('transformers').insert(row(t.organisationId));
        expect(error?.code).toBe('42501');
      },
    );

    it.each(['member', 'admin', 'outsider'] as const)('%s cannot add a built-in', async (who) => {
      const { error } = await as(who).client.from('transformers').insert(row(null));
      expect(error?.code).toBe('42501');
    });

    it('anon cannot add one', async () => {
      const { error } = await anon.from('transformers').insert(row(t.organisationId));
      expect(error?.code).toBe('42501');
    });
  });

  describe('update', () => {
    it("admin edits the organisation's own transformer", async () => {
      const description = `edited ${randomUUID().slice(0, 8)}`;
      const { data, error } = await t.admin.client
        .from('transformers')
        .update({ description })
        .eq('id', orgTransformer)
        .select('id');
      expect(error).toBeNull();
      expect(ids(data)).toEqual([orgTransformer]);
      expect(await transformerDescription(orgTransformer)).toBe(description);
    });

    it.each(['member', 'outsider'] as const)(
      "%s cannot edit the organisation's transformer",
      async (who) => {
        const before = await transformerDescription(orgTransformer);
        const { data, error } = await as(who)
          .client.from('transformers')
          .update({ description: 'hijacked' })
          .eq('id', orgTransformer)
          .select('id');
        expect(error).toBeNull();
        expect(data).toEqual([]);
        expect(await transformerDescription(orgTransformer)).toBe(before);
      },
    );

    it.each(['member', 'admin', 'outsider'] as const)('%s cannot edit a built-in', async (who) => {
      const before = await transformerDescription('echo-transformer');
      const { data } = await as(who)
        .client.from('transformers')
        .update({ target_function: 'execute-http-request', description: 'hijacked' })
        .eq('id', 'echo-transformer')
        .select('id');
      expect(data).toEqual([]);
      expect(await transformerDescription('echo-transformer')).toBe(before);
    });

    it('admin cannot move a transformer to another organisation (no privilege on the column)', async () => {
      const { error } = await t.admin.client
        .from('transformers')
        .update({ organisation_id: t.otherOrganisationId })
        .eq('id', orgTransformer);
      expect(error?.code).toBe('42501');
    });

    it('anon cannot edit transformers', async () => {
      const { error } = await anon
        .from('transformers')
        .update({ description: 'x' })
        .eq('id', 'echo-transformer');
      expect(error?.code).toBe('42501');
    });
  });

  describe('delete', () => {
    it("admin deletes the organisation's own transformer", async () => {
      const id = `rls-del-${randomUUID().slice(0, 8)}`;
      await t.service.from('transformers').insert({
        id,
        organisation_id: t.organisationId,
        type: 'echo',
        target_function: 'execute-echo',
      });
      const { data, error } = await t.admin.client
        .from('transformers')
        .delete()
        .eq('id', id)
        .select('id');
      expect(error).toBeNull();
      expect(ids(data)).toEqual([id]);
    });

    it.each(['member', 'outsider'] as const)(
      "%s cannot delete the organisation's transformer",
      async (who) => {
        const { data } = await as(who)
          .client.from('transformers')
          .delete()
          .eq('id', orgTransformer)
          .select('id');
        expect(data).toEqual([]);
        expect(await transformerDescription(orgTransformer)).not.toBeNull();
      },
    );

    it.each(['member', 'admin', 'outsider'] as const)(
      '%s cannot delete a built-in',
      async (who) => {
        const { data } = await as(who)
          .client.from('transformers')
          .delete()
          .eq('id', 'echo-transformer')
          .select('id');
        expect(data).toEqual([]);
        const { data: still } = await t.service
          .from('transformers')
          .select('id')
          .eq('id', 'echo-transformer');
        expect(ids(still)).toEqual(['echo-transformer']);
      },
    );

    it('anon cannot delete transformers', async () => {
      const { error } = await anon.from('transformers').delete().eq('id', 'echo-transformer');
      expect(error?.code).toBe('42501');
    });
  });
});

describe.each(['workflows', 'workflow_versions'] as const)('%s', (table) => {
  const idColumn = table === 'workflows' ? 'id' : 'workflow_id';
  // One typed name for both tables, so the shared column names type-check.
  const as_ = (name: typeof table) => name as 'workflow_versions';

  describe('select', () => {
    it.each(['member', 'admin'] as const)("%s reads the organisation's", async (who) => {
      const { data, error } = await as(who)
        .client.from(as_(table))
        .select(idColumn)
        .eq(idColumn, t.workflow.id);
      expect(error).toBeNull();
      expect(data).toHaveLength(1);
    });

    it("outsider cannot read another organisation's", async () => {
      const { data, error } = await t.outsider.client
        .from(as_(table))
        .select(idColumn)
        .eq(idColumn, t.workflow.id);
      expect(error).toBeNull();
      expect(data).toEqual([]);
    });

    it('anon cannot read any', async () => {
      const { error } = await anon.from(as_(table)).select(idColumn).limit(1);
      expect(error?.code).toBe('42501');
    });
  });

  describe.each(['member', 'admin', 'outsider', 'anon'] as const)('as %s', (who) => {
    const client = () => (who === 'anon' ? anon : as(who).client);

    it('cannot insert (save-workflow is the way in)', async () => {
      const row =
        table === 'workflows'
          ? {
              organisation_id: t.organisationId,
              key: `rls-${randomUUID().slice(0, 8)}`,
              name: 'Sneaked in',
              definition: EXAMPLE_DEFINITION,
            }
          : {
              organisation_id: t.organisationId,
              workflow_id: t.workflow.id,
              version: 99,
              definition: EXAMPLE_DEFINITION,
            };
      const { error } = await client()
        .from(as_(table))
        .insert(row as never);
      expect(error?.code).toBe('42501');
    });

    it('cannot update', async () => {
      const { error } = await client()
        .from(as_(table))
        .update({ definition: { hijacked: true } } as never)
        .eq(idColumn, t.workflow.id);
      expect(error?.code).toBe('42501');
      const { data } = await t.service
        .from(as_(table))
        .select('definition')
        .eq(idColumn, t.workflow.id)
        .limit(1)
        .single();
      expect(data?.definition).toEqual(EXAMPLE_DEFINITION);
    });

    it('cannot delete', async () => {
      const { error } = await client().from(as_(table)).delete().eq(idColumn, t.workflow.id);
      expect(error?.code).toBe('42501');
    });
  });
});

describe('jobs', () => {
  describe('select', () => {
    it('a member reads their own jobs only', async () => {
      const { data, error } = await t.member.client
        .from('jobs')
        .select('id')
        .in('id', [memberJob.id, colleagueJob.id, outsiderJob.id]);
      expect(error).toBeNull();
      expect(ids(data)).toEqual([memberJob.id]);
    });

    it("an admin reads every job of the organisation, not another organisation's", async () => {
      const { data } = await t.admin.client
        .from('jobs')
        .select('id')
        .in('id', [memberJob.id, colleagueJob.id, outsiderJob.id]);
      expect(ids(data).sort()).toEqual([memberJob.id, colleagueJob.id].sort());
    });

    it("an outsider reads none of the organisation's jobs", async () => {
      const { data } = await t.outsider.client
        .from('jobs')
        .select('id')
        .in('id', [memberJob.id, colleagueJob.id, outsiderJob.id]);
      expect(ids(data)).toEqual([outsiderJob.id]);
    });

    it('anon cannot read jobs', async () => {
      const { error } = await anon.from('jobs').select('id').limit(1);
      expect(error?.code).toBe('42501');
    });

    it('a member who leaves the organisation no longer sees their jobs', async () => {
      const leaver = await t.fx.user('leaver');
      await t.fx.addMember(t.owner, t.organisationId, leaver, 'member');
      const job = await insertJob(db, { user: leaver, workflow: t.workflow });
      const { error } = await t.service
        .from('organisation_members')
        .delete()
        .eq('organisation_id', t.organisationId)
        .eq('user_id', leaver.id);
      expect(error).toBeNull();
      const { data } = await leaver.client.from('jobs').select('id').eq('id', job.id);
      expect(data).toEqual([]);
    });
  });

  describe.each(['member', 'admin', 'outsider', 'anon'] as const)('as %s', (who) => {
    const client = () => (who === 'anon' ? anon : as(who).client);

    it('cannot insert a job (start-workflow is the way in)', async () => {
      const { error } = await client().from('jobs').insert({
        organisation_id: t.organisationId,
        workflow_id: t.workflow.id,
        workflow_version: 1,
        user_id: t.member.id,
      });
      expect(error?.code).toBe('42501');
    });

    it('cannot update a job', async () => {
      const { error } = await client()
        .from('jobs')
        .update({ status: 'completed' })
        .eq('id', memberJob.id);
      expect(error?.code).toBe('42501');
      const { data } = await t.service
        .from('jobs')
        .select('status')
        .eq('id', memberJob.id)
        .single();
      expect(data?.status).toBe('pending');
    });

    it('cannot delete a job', async () => {
      const { error } = await client().from('jobs').delete().eq('id', memberJob.id);
      expect(error?.code).toBe('42501');
    });
  });
});

describe('job_events', () => {
  const eventsOf = (client: Client, jobIds: string[]) =>
    client.from('job_events').select('job_id').in('job_id', jobIds);
  const all = () => [memberJob.id, colleagueJob.id, outsiderJob.id];

  describe('select', () => {
    it("a member reads their own jobs' events only", async () => {
      const { data, error } = await eventsOf(t.member.client, all());
      expect(error).toBeNull();
      expect(data?.map((e) => e.job_id)).toEqual([memberJob.id]);
    });

    it('an admin reads the events of every job of the organisation', async () => {
      const { data } = await eventsOf(t.admin.client, all());
      expect([...new Set(data?.map((e) => e.job_id))].sort()).toEqual(
        [memberJob.id, colleagueJob.id].sort(),
      );
    });

    it("an outsider reads none of the organisation's events", async () => {
      const { data } = await eventsOf(t.outsider.client, all());
      expect(data?.map((e) => e.job_id)).toEqual([outsiderJob.id]);
    });

    it('anon cannot read events', async () => {
      const { error } = await anon.from('job_events').select('id').limit(1);
      expect(error?.code).toBe('42501');
    });
  });

  describe.each(['member', 'admin', 'outsider', 'anon'] as const)('as %s', (who) => {
    const client = () => (who === 'anon' ? anon : as(who).client);

    it('cannot insert an event', async () => {
      const { error } = await client().from('job_events').insert({
        organisation_id: t.organisationId,
        job_id: memberJob.id,
        user_id: t.member.id,
        event_type: 'completed',
      });
      expect(error?.code).toBe('42501');
    });

    it('cannot update an event', async () => {
      const { error } = await client()
        .from('job_events')
        .update({ message: 'rewritten' })
        .eq('job_id', memberJob.id);
      expect(error?.code).toBe('42501');
    });

    it('cannot delete an event', async () => {
      const { error } = await client().from('job_events').delete().eq('job_id', memberJob.id);
      expect(error?.code).toBe('42501');
    });
  });

  it('the service role may add history but neither rewrite nor delete it', async () => {
    const { error: insertError } = await t.service.from('job_events').insert({
      organisation_id: t.organisationId,
      job_id: colleagueJob.id,
      user_id: t.colleague.id,
      event_type: 'retried',
      message: 'added by the service role',
    });
    expect(insertError).toBeNull();
    const { error: updateError } = await t.service
      .from('job_events')
      .update({ message: 'rewritten' })
      .eq('job_id', colleagueJob.id);
    expect(updateError?.code).toBe('42501');
    const { error: deleteError } = await t.service
      .from('job_events')
      .delete()
      .eq('job_id', colleagueJob.id);
    expect(deleteError?.code).toBe('42501');
    const { count } = await t.service
      .from('job_events')
      .select('id', { count: 'exact', head: true })
      .eq('job_id', colleagueJob.id);
    expect(count).toBe(2);
  });

  it('even the database owner cannot rewrite an event (append-only trigger)', async () => {
    await expect(
      db.query(`update public.job_events set message = 'rewritten' where job_id = $1`, [
        memberJob.id,
      ]),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('RPCs', () => {
  // Refused either way: no execute privilege (42501) or, where PostgREST hides what the
  // role cannot run, not found (PGRST202).
  const refused = ['42501', 'PGRST202'];

  it.each(['member', 'admin', 'anon'] as const)(
    'the queue functions and save_workflow are refused to %s',
    async (who) => {
      const client = who === 'anon' ? anon : as(who).client;
      const claim = await client.rpc('claim_workflow_steps', {
        p_worker: 'sneaky',
        p_limit: 10,
        p_lease_seconds: 60,
      });
      expect(refused).toContain(claim.error?.code);
      expect(claim.data).toBeNull();
      const finish = await client.rpc('finish_workflow_steps', {
        p_worker: 'sneaky',
        p_results: [],
      });
      expect(refused).toContain(finish.error?.code);
      const save = await client.rpc('save_workflow', {
        p_user_id: t.admin.id,
        p_organisation_id: t.organisationId,
        p_workflow_id: null as unknown as string,
        p_key: `rls-${randomUUID().slice(0, 8)}`,
        p_name: 'Sneaked',
        p_description: null as unknown as string,
        p_definition: EXAMPLE_DEFINITION,
      });
      expect(refused).toContain(save.error?.code);
    },
  );

  it('nothing was claimed by those attempts', async () => {
    const { data } = await t.service
      .from('jobs')
      .select('status, attempt')
      .eq('id', memberJob.id)
      .single();
    expect(data).toEqual({ status: 'pending', attempt: 0 });
  });

  it("start_workflow_job for another organisation's workflow is a 404", async () => {
    const { error, status } = await t.outsider.client.rpc('start_workflow_job', {
      p_workflow: t.workflow.id,
      p_input: {},
    });
    expect(status).toBe(404);
    expect(error?.code).toBe('workflow_not_found');
  });

  it('anon cannot start, cancel or retry jobs', async () => {
    const start = await anon.rpc('start_workflow_job', { p_workflow: t.workflow.id, p_input: {} });
    expect(start.error?.code).toBe('42501');
    const cancel = await anon.rpc('cancel_job', { p_job_id: memberJob.id });
    expect(cancel.error?.code).toBe('42501');
    const retry = await anon.rpc('retry_job', { p_job_id: memberJob.id });
    expect(retry.error?.code).toBe('42501');
  });

  it("cancel_job on another member's job is a 404 for a member", async () => {
    const { error, status } = await t.member.client.rpc('cancel_job', {
      p_job_id: colleagueJob.id,
    });
    expect(status).toBe(404);
    expect(error?.code).toBe('P0002');
  });

  it('set_workflow_status: a member gets 403, an outsider 404', async () => {
    const member = await t.member.client.rpc('set_workflow_status', {
      p_workflow_id: t.workflow.id,
      p_status: 'archived',
    });
    expect(member.status).toBe(403);
    expect(member.error?.code).toBe('forbidden');
    const outsider = await t.outsider.client.rpc('set_workflow_status', {
      p_workflow_id: t.workflow.id,
      p_status: 'archived',
    });
    expect(outsider.status).toBe(404);
    const { data } = await t.service
      .from('workflows')
      .select('status')
      .eq('id', t.workflow.id)
      .single();
    expect(data?.status).toBe('active');
  });
});
