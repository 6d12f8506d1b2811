import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { anonClient, type TestUser } from './support/users.ts';
import {
  completed,
  createWorkflowOrganisation,
  failedAt,
  insertJob,
  saveWorkflow,
  type Job,
  type Workflow,
} from './support/workflows.ts';

// public.workflow_list (…006400_workflow_list.sql): the workflows page's server-side search,
// status filter, sort, pagination and last run, called as real users through PostgREST.
//
// The organisation holds: the fixture's own workflow ("Workflow base", base-flow), "Transcribe sales
// calls" (transcribe-call), "Invoice sync" (invoice-sync), "Alpha report" (archived) and
// "Transcribe trashed" (in the trash). Another organisation has its own "transcribe-call".

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;
let anon: Client;
let transcribe: Workflow;
let invoice: Workflow;
let alpha: Workflow;
let trashed: Workflow;
let outsiders: Workflow;
let transcribeRun: Job;
let invoiceRun: Job;

type Row = {
  id: string;
  key: string;
  name: string;
  status: string;
  last_run_job_id: string | null;
  last_run_status: string | null;
  last_run_at: string | null;
  total_count: number;
};

type ListArgs = {
  p_query?: string;
  p_status?: string;
  p_sort?: string;
  p_limit?: number;
  p_offset?: number;
};

async function list(who: TestUser, args: ListArgs = {}, organisationId = t.organisationId) {
  const { data, error } = await who.client.rpc('workflow_list', {
    p_organisation_id: organisationId,
    p_status: 'all',
    ...args,
  });
  if (error) throw new Error(`workflow_list: ${error.message}`);
  return data as unknown as Row[];
}

const keys = (rows: Row[]) => rows.map((row) => row.key);

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-list');
  db = await adminDb();
  anon = anonClient();
  transcribe = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    key: 'transcribe-call',
    name: 'Transcribe sales calls',
    description: 'Turns recorded audio into text with Gemini',
  });
  invoice = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    key: 'invoice-sync',
    name: 'Invoice sync',
    description: 'Pushes paid invoices to the accounting system',
  });
  alpha = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    key: 'zeta-report',
    name: 'Alpha report',
  });
  trashed = await saveWorkflow(t.admin, {
    organisation_id: t.organisationId,
    key: 'transcribe-trashed',
    name: 'Transcribe trashed',
  });
  outsiders = await saveWorkflow(t.outsider, {
    organisation_id: t.otherOrganisationId,
    key: 'transcribe-call',
    name: 'Transcribe outsider calls',
  });
  // The fixture's key ends in random hex, which a one-letter search could match: fix it.
  await db.query(
    `update public.workflows set key = 'base-flow', name = 'Workflow base' where id = $1`,
    [t.workflow.id],
  );
  await db.query(`update public.workflows set status = 'archived' where id = $1`, [alpha.id]);
  await db.query(`update public.workflows set deleted_at = now() where id = $1`, [trashed.id]);
  // The member's run of transcribe-call completes; later the admin's run of invoice-sync fails.
  // The trashed and the outsider's workflows have runs too, which must never show.
  transcribeRun = await insertJob(db, { user: t.member, workflow: transcribe, set: completed() });
  invoiceRun = await insertJob(db, { user: t.admin, workflow: invoice, set: failedAt('step1') });
  await insertJob(db, { user: t.admin, workflow: trashed, set: completed() });
  await insertJob(db, { user: t.outsider, workflow: outsiders, set: completed() });
});

afterAll(async () => {
  await db?.end();
  await t?.fx.cleanup();
});

describe('search', () => {
  it('finds a word prefix of the name', async () => {
    expect(keys(await list(t.member, { p_query: 'transcr' }))).toEqual(['transcribe-call']);
  });

  it('finds a key as typed, hyphen included', async () => {
    expect(keys(await list(t.member, { p_query: 'invoice-s' }))).toEqual(['invoice-sync']);
  });

  it('finds a word prefix of the description', async () => {
    expect(keys(await list(t.member, { p_query: 'gemin' }))).toEqual(['transcribe-call']);
  });

  it('requires every word, in any case', async () => {
    expect(keys(await list(t.member, { p_query: 'ALPHA rep' }))).toEqual(['zeta-report']);
    expect(await list(t.member, { p_query: 'alpha invoice' })).toEqual([]);
  });

  it('takes any text safely: tsquery operators are dropped, words kept', async () => {
    // 'a:*|!(' is the prefix a: audio, accounting, Alpha.
    expect(keys(await list(t.member, { p_query: 'a:*|!(', p_sort: 'name' }))).toEqual([
      'zeta-report',
      'invoice-sync',
      'transcribe-call',
    ]);
    expect(await list(t.member, { p_query: "sync')) or true --" })).toEqual([]);
    expect(await list(t.member, { p_query: "\\ & | ! ( ) : * '" })).toHaveLength(4);
  });

  it('an empty query lists everything visible, never the trash', async () => {
    const rows = await list(t.member, { p_query: '' });
    expect(keys(rows).sort()).toEqual(
      ['base-flow', 'transcribe-call', 'invoice-sync', 'zeta-report'].sort(),
    );
    expect(rows.every((row) => row.total_count === 4)).toBe(true);
  });
});

describe('status filter', () => {
  it('active, archived or all', async () => {
    expect(keys(await list(t.member, { p_status: 'archived' }))).toEqual(['zeta-report']);
    expect(keys(await list(t.member, { p_status: 'active' })).sort()).toEqual(
      ['base-flow', 'transcribe-call', 'invoice-sync'].sort(),
    );
    expect(await list(t.member, { p_status: 'all' })).toHaveLength(4);
  });
});

describe('sort', () => {
  it('by name, ignoring case', async () => {
    expect(keys(await list(t.member, { p_sort: 'name' }))).toEqual([
      'zeta-report',
      'invoice-sync',
      'transcribe-call',
      'base-flow',
    ]);
  });

  it('by created, newest first', async () => {
    expect(keys(await list(t.member, { p_sort: 'created' }))).toEqual([
      'zeta-report',
      'invoice-sync',
      'transcribe-call',
      'base-flow',
    ]);
  });

  it('by last updated, newest first', async () => {
    // Touching the fixture's workflow (the oldest) makes it the most recently updated.
    await db.query(`update public.workflows set description = 'touched' where id = $1`, [
      t.workflow.id,
    ]);
    expect(keys(await list(t.member, { p_sort: 'updated' }))[0]).toBe('base-flow');
    expect(keys(await list(t.member, { p_sort: 'updated', p_status: 'archived' }))).toEqual([
      'zeta-report',
    ]);
  });

  it('by last run, newest first, never run last', async () => {
    expect(keys(await list(t.admin, { p_sort: 'last_run' }))).toEqual([
      'invoice-sync',
      'transcribe-call',
      // Never run: by name.
      'zeta-report',
      'base-flow',
    ]);
  });

  it('refuses an unknown sort, status or page size with 400', async () => {
    for (const args of [
      { p_sort: 'id; drop table public.jobs' },
      { p_status: 'deleted' },
      { p_limit: 0 },
      { p_limit: 101 },
      { p_offset: -1 },
    ]) {
      const { data, error, status } = await t.member.client.rpc('workflow_list', {
        p_organisation_id: t.organisationId,
        ...args,
      });
      expect(status, JSON.stringify(args)).toBe(400);
      expect(error?.code).toBe('22023');
      expect(data).toBeNull();
    }
  });
});

describe('pagination', () => {
  it('pages through every row once, each with the total', async () => {
    const first = await list(t.member, { p_sort: 'name', p_limit: 3, p_offset: 0 });
    const second = await list(t.member, { p_sort: 'name', p_limit: 3, p_offset: 3 });
    const beyond = await list(t.member, { p_sort: 'name', p_limit: 3, p_offset: 6 });
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(1);
    expect(beyond).toEqual([]);
    expect([...first, ...second].every((row) => row.total_count === 4)).toBe(true);
    expect(new Set(keys([...first, ...second])).size).toBe(4);
  });

  it('the total counts matches, not the page', async () => {
    const rows = await list(t.member, { p_query: 'a', p_limit: 1 });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.total_count).toBe(3);
  });
});

describe('last run', () => {
  it("an admin sees each workflow's newest run and its status", async () => {
    const rows = await list(t.admin);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    expect(byKey.get('transcribe-call')).toMatchObject({
      last_run_job_id: transcribeRun.id,
      last_run_status: 'completed',
    });
    expect(byKey.get('invoice-sync')).toMatchObject({
      last_run_job_id: invoiceRun.id,
      last_run_status: 'failed',
    });
    expect(byKey.get('zeta-report')).toMatchObject({
      last_run_job_id: null,
      last_run_status: null,
      last_run_at: null,
    });
  });

  it('follows a newer run as it changes status', async () => {
    const job = await insertJob(db, { user: t.admin, workflow: transcribe });
    let row = (await list(t.admin, { p_query: 'transcribe-call' }))[0];
    expect(row).toMatchObject({ last_run_job_id: job.id, last_run_status: 'pending' });
    await db.query(
      `update public.jobs set status = 'failed', started_at = now(), completed_at = now()
        where id = $1`,
      [job.id],
    );
    row = (await list(t.admin, { p_query: 'transcribe-call' }))[0];
    expect(row).toMatchObject({ last_run_job_id: job.id, last_run_status: 'failed' });
  });

  it('a member sees only runs they may open (their own), as the jobs policy says', async () => {
    const byKey = new Map((await list(t.member)).map((row) => [row.key, row]));
    expect(byKey.get('transcribe-call')?.last_run_job_id).toBe(transcribeRun.id);
    // The admin's failed run of invoice-sync is not the member's to read.
    expect(byKey.get('invoice-sync')?.last_run_job_id).toBeNull();
    expect(byKey.get('invoice-sync')?.last_run_status).toBeNull();
  });
});

describe('visibility', () => {
  it("another organisation's workflows never appear, even when asked for by id", async () => {
    expect(keys(await list(t.member, { p_query: 'outsider' }))).toEqual([]);
    expect(await list(t.member, {}, t.otherOrganisationId)).toEqual([]);
    expect(await list(t.outsider, {}, t.organisationId)).toEqual([]);
    expect(keys(await list(t.outsider, {}, t.otherOrganisationId)).sort()).toEqual(
      [t.otherWorkflow.key, 'transcribe-call'].sort(),
    );
  });

  it('the trash stays hidden, its runs too', async () => {
    expect(await list(t.admin, { p_query: 'trashed' })).toEqual([]);
  });

  it('anon cannot call it', async () => {
    const { data, error } = await anon.rpc('workflow_list', {
      p_organisation_id: t.organisationId,
    });
    expect(error).not.toBeNull();
    expect(data).toBeNull();
  });
});
