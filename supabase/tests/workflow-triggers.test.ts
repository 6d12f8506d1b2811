import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { nextCronTime, validateCron } from '@forkflow/domain/cron';
import type { Json } from '@forkflow/db';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import {
  echoStep,
  ownerDb,
  runOrchestrator,
  saveWorkflow,
  waitForJob,
} from './support/orchestrator.ts';
import { createTemplate, startSequence, steps, taskRpc, activeTask } from './support/sequences.ts';

// Workflow triggers (issue 14 §3; docs/automation/triggers.md) against the real stack: the
// RPCs as members of two organisations, firing through the service-role wrapper, and
// schedules and app events through the real orchestrator function. The stack's cron runs the
// orchestrator too, so every assertion is about what exists afterwards (one job per tick or
// event), never about which run fired it.

const fx = createFixtures('triggers');
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;
let db: pg.Client;
let workflow: { id: string; version: number };

type Trigger = {
  id: string;
  kind: string;
  enabled: boolean;
  next_fire_at: string | null;
  run_as: string | null;
  secret?: string;
  [key: string]: unknown;
};
type Firing = {
  id: string;
  trigger_id: string;
  dedupe_key: string;
  status: string;
  job_id: string | null;
  error: { code: string; message: string } | null;
  details: Record<string, unknown>;
};

async function save(user: TestUser, trigger: Record<string, unknown>) {
  const { data, error } = await user.client.rpc('save_workflow_trigger', {
    p_trigger: trigger as Json,
  });
  return { data: data as unknown as Trigger | null, error };
}

async function saved(user: TestUser, trigger: Record<string, unknown>): Promise<Trigger> {
  const { data, error } = await save(user, { workflow_id: workflow.id, ...trigger });
  if (error || !data) throw new Error(`save_workflow_trigger: ${error?.message}`);
  return data;
}

async function firings(triggerId: string): Promise<Firing[]> {
  const { rows } = await db.query<Firing>(
    `select * from public.workflow_trigger_firings where trigger_id = $1 order by fired_at, id`,
    [triggerId],
  );
  return rows;
}

async function jobsOf(triggerId: string) {
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    trigger_id: string;
    trigger_firing_id: string;
    input_data: Record<string, unknown>;
    status: string;
  }>(`select * from public.jobs where trigger_id = $1 order by created_at`, [triggerId]);
  return rows;
}

async function fire(triggerId: string, key: string, payload: unknown = { body: { n: 1 } }) {
  const { data, error } = await fx.service.rpc('fire_workflow_trigger_service', {
    p_trigger_id: triggerId,
    p_dedupe_key: key,
    p_payload: payload as Json,
  });
  if (error) throw new Error(`fire_workflow_trigger_service: ${error.message}`);
  return data as unknown as {
    firing_id: string;
    job_id: string | null;
    replayed: boolean;
    status: string;
  };
}

/** A restaurant written as the database owner (setup that depends on no role's grants). */
async function restaurantIn(organisation: string, values: { name: string; city?: string }) {
  const { rows } = await db.query<{ id: string; name: string }>(
    `insert into public.restaurants (organisation_id, name, city) values ($1, $2, $3) returning id, name`,
    [organisation, values.name, values.city ?? null],
  );
  return rows[0]!;
}

/** Runs the orchestrator until `done` holds (cron may have done the work already). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not done: ${JSON.stringify(value)}`);
    await runOrchestrator({ budget_ms: 1_000 });
  }
}

beforeAll(async () => {
  const users = await fx.users('owner', 'admin', 'member', 'outsider');
  ({ owner, admin, member, outsider } = users);
  organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
  db = await ownerDb();
  workflow = await saveWorkflow(db, {
    organisationId,
    userId: owner.id,
    key: 'triggered',
    definition: { start_step: 'echo', steps: { echo: echoStep() } },
  });
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

describe('save_workflow_trigger and delete_workflow_trigger', () => {
  it('owners and admins save each kind; a new webhook answers its secret once', async () => {
    const schedule = await saved(owner, { kind: 'schedule', name: 'Nightly', cron: '0  2 * * *' });
    expect(schedule).toMatchObject({
      kind: 'schedule',
      cron: '0 2 * * *',
      enabled: true,
      next_fire_at: null,
      run_as: owner.id,
      organisation_id: organisationId,
    });
    expect(schedule.secret).toBeUndefined();

    const webhook = await saved(admin, {
      kind: 'webhook',
      name: 'CRM hook',
      input: { payload: 'x' },
    });
    expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(webhook.run_as).toBe(admin.id);
    const { rows } = await db.query(
      `select secret from private.workflow_trigger_secrets where trigger_id = $1`,
      [webhook.id],
    );
    expect(rows).toEqual([{ secret: webhook.secret }]);
    // Saving it again never shows the secret.
    const renamed = await saved(admin, { id: webhook.id, name: 'CRM hook 2' });
    expect(renamed.secret).toBeUndefined();
    expect(renamed).toMatchObject({ name: 'CRM hook 2', input: { payload: 'x' } });

    const event = await saved(owner, {
      kind: 'event',
      name: 'Demo done',
      event_type: 'restaurant.stage_changed',
      event_filter: "@.to_stage == 'demo_done'",
      run_as: member.id,
    });
    expect(event).toMatchObject({ event_type: 'restaurant.stage_changed', run_as: member.id });
  });

  it('refuses bad fields with 400 invalid_trigger, in words, and changes nothing', async () => {
    const before = await db.query(
      `select count(*)::int as n from public.workflow_triggers where organisation_id = $1`,
      [organisationId],
    );
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'schedule', name: 'x', cron: '61 * * * *' }, /minute: 61 is out of range \(0-59\)/],
      [{ kind: 'schedule', name: 'x', cron: '* * *' }, /five fields/],
      [{ kind: 'schedule', name: 'x' }, /cron is empty/],
      [
        { kind: 'schedule', name: 'x', cron: '0 9 * * *', timezone: 'Mars/Base' },
        /unknown time zone "Mars\/Base"/,
      ],
      [
        { kind: 'webhook', name: 'x', cron: '* * * * *' },
        /cron and timezone are for schedule triggers only/,
      ],
      [{ kind: 'event', name: 'x', event_type: 'lunch.served' }, /event_type must be/],
      [{ kind: 'event', name: 'x' }, /event_type must be/],
      [{ kind: 'webhook', name: '' }, /name is required/],
      [{ kind: 'fax', name: 'x' }, /kind must be schedule, webhook or event/],
      [{ kind: 'webhook', name: 'x', colour: 'red' }, /unknown field\(s\): colour/],
      [{ kind: 'webhook', name: 'x', input: [1] }, /input must be an object/],
      [{ kind: 'webhook', name: 'x', run_as: outsider.id }, /run_as must be a member/],
    ];
    for (const [trigger, message] of cases) {
      const { error } = await save(owner, { workflow_id: workflow.id, ...trigger });
      expect(error?.code, JSON.stringify(trigger)).toBe('invalid_trigger');
      expect(error?.message, JSON.stringify(trigger)).toMatch(message);
    }
    const { error } = await save(owner, { kind: 'webhook', name: 'x' });
    expect(error).toMatchObject({ code: 'invalid_trigger', message: 'workflow_id is required' });
    const after = await db.query(
      `select count(*)::int as n from public.workflow_triggers where organisation_id = $1`,
      [organisationId],
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('a kind never changes; members get 403, outsiders and visitors 404 or nothing', async () => {
    const webhook = await saved(owner, { kind: 'webhook', name: 'Guarded' });
    expect(
      (await save(owner, { id: webhook.id, kind: 'schedule', cron: '* * * * *' })).error,
    ).toMatchObject({
      code: 'invalid_trigger',
    });

    expect(
      (await save(member, { workflow_id: workflow.id, kind: 'webhook', name: 'm' })).error,
    ).toMatchObject({
      code: 'forbidden',
    });
    expect((await save(member, { id: webhook.id, name: 'm' })).error).toMatchObject({
      code: 'forbidden',
    });
    expect(
      (await save(outsider, { workflow_id: workflow.id, kind: 'webhook', name: 'o' })).error,
    ).toMatchObject({
      code: 'workflow_not_found',
    });
    expect((await save(outsider, { id: webhook.id, name: 'o' })).error).toMatchObject({
      code: 'trigger_not_found',
    });
    const anon = await anonClient().rpc('save_workflow_trigger', {
      p_trigger: { workflow_id: workflow.id, kind: 'webhook', name: 'a' },
    });
    expect(anon.error).not.toBeNull();

    // An admin may not make jobs run as an owner (they would act with rights the admin lacks).
    expect(
      (
        await save(admin, {
          workflow_id: workflow.id,
          kind: 'webhook',
          name: 'as owner',
          run_as: owner.id,
        })
      ).error,
    ).toMatchObject({ code: 'forbidden' });

    expect(
      (await member.client.rpc('delete_workflow_trigger', { p_trigger_id: webhook.id })).error,
    ).toMatchObject({
      code: 'forbidden',
    });
    expect(
      (await outsider.client.rpc('delete_workflow_trigger', { p_trigger_id: webhook.id })).error,
    ).toMatchObject({ code: 'trigger_not_found' });
    const { rows } = await db.query(`select name from public.workflow_triggers where id = $1`, [
      webhook.id,
    ]);
    expect(rows).toEqual([{ name: 'Guarded' }]);

    const deleted = await admin.client.rpc('delete_workflow_trigger', { p_trigger_id: webhook.id });
    expect(deleted.error).toBeNull();
    expect(deleted.data).toEqual({ id: webhook.id, deleted: true });
    const gone = await db.query(
      `select (select count(*) from public.workflow_triggers where id = $1)::int as triggers,
              (select count(*) from private.workflow_trigger_secrets where trigger_id = $1)::int as secrets`,
      [webhook.id],
    );
    expect(gone.rows).toEqual([{ triggers: 0, secrets: 0 }]);
  });

  it('members read their organisation’s triggers and firings; others read none, and nobody writes past the RPCs', async () => {
    const trigger = await saved(owner, { kind: 'webhook', name: 'Readable' });
    await fire(trigger.id, 'delivery:readable');

    const mine = await member.client
      .from('workflow_triggers')
      .select('id, name')
      .eq('id', trigger.id);
    expect(mine.data).toEqual([{ id: trigger.id, name: 'Readable' }]);
    const myFirings = await member.client
      .from('workflow_trigger_firings')
      .select('id')
      .eq('trigger_id', trigger.id);
    expect(myFirings.data).toHaveLength(1);

    const theirs = await outsider.client
      .from('workflow_triggers')
      .select('id')
      .eq('organisation_id', organisationId);
    expect(theirs.data).toEqual([]);
    const theirFirings = await outsider.client
      .from('workflow_trigger_firings')
      .select('id')
      .eq('trigger_id', trigger.id);
    expect(theirFirings.data).toEqual([]);
    const visitor = await anonClient().from('workflow_triggers').select('id');
    expect(visitor.data ?? []).toEqual([]);

    // Writes only through the RPCs: even an owner cannot insert, update or delete rows.
    const insert = await owner.client.from('workflow_triggers').insert({
      organisation_id: organisationId,
      workflow_id: workflow.id,
      kind: 'webhook',
      name: 'direct',
    });
    expect(insert.error).not.toBeNull();
    await owner.client.from('workflow_triggers').update({ name: 'changed' }).eq('id', trigger.id);
    await owner.client.from('workflow_trigger_firings').delete().eq('trigger_id', trigger.id);
    const { rows } = await db.query(
      `select t.name, (select count(*) from public.workflow_trigger_firings f where f.trigger_id = t.id)::int as firings
       from public.workflow_triggers t where t.id = $1`,
      [trigger.id],
    );
    expect(rows).toEqual([{ name: 'Readable', firings: 1 }]);

    // Firing is the service role's: a member's call is refused.
    const memberFire = await member.client.rpc('fire_workflow_trigger_service', {
      p_trigger_id: trigger.id,
      p_dedupe_key: 'delivery:member',
    });
    expect(memberFire.error).not.toBeNull();
    expect(await firings(trigger.id)).toHaveLength(1);
  });
});

describe('the cron rule, in SQL and in the domain', () => {
  it('private.cron_problem says exactly what validateCron says', async () => {
    const expressions = [
      '* * * * *',
      '0 9 * * 1-5',
      '*/15 8-18/2 1,15 1-12 0,7',
      '5/10 * * * *',
      '  0   9 * *  1 ',
      '',
      '* * *',
      '* * * * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * 32 * *',
      '* * * 0 *',
      '* * * * 8',
      '5-1 * * * *',
      '*/0 * * * *',
      '1,,2 * * * *',
      '* * * * MON',
      '100 * * * *',
      '1-2-3 * * * *',
    ];
    const { rows } = await db.query<{ expression: string; problem: string | null }>(
      `select e as expression, private.cron_problem(e) as problem from unnest($1::text[]) as e`,
      [expressions],
    );
    expect(rows).toEqual(
      expressions.map((expression) => ({ expression, problem: validateCron(expression) })),
    );
  });
});

describe('fire_workflow_trigger: once per dedupe key', () => {
  it('the same key fired at once from many callers starts one job, recorded on it', async () => {
    const trigger = await saved(admin, {
      kind: 'webhook',
      name: 'Once',
      input: { payload: 'hello' },
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fire(trigger.id, 'delivery:abc', { body: { order: 7 } })),
    );
    const jobIds = new Set(answers.map((a) => a.job_id));
    expect(jobIds.size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(answers.every((a) => a.status === 'started')).toBe(true);

    const jobs = await jobsOf(trigger.id);
    expect(jobs).toHaveLength(1);
    const [firing] = await firings(trigger.id);
    expect(firing).toMatchObject({
      dedupe_key: 'delivery:abc',
      status: 'started',
      job_id: jobs[0]!.id,
    });
    expect(jobs[0]).toMatchObject({ user_id: admin.id, trigger_firing_id: firing!.id });
    expect(jobs[0]!.input_data).toMatchObject({
      payload: 'hello',
      body: { order: 7 },
      trigger: { id: trigger.id, kind: 'webhook', fired_at: expect.any(String) },
    });
    const created = await db.query(
      `select data from public.job_events where job_id = $1 and event_type = 'created'`,
      [jobs[0]!.id],
    );
    expect(created.rows[0].data).toMatchObject({
      trigger_id: trigger.id,
      trigger_firing_id: firing!.id,
    });
    const { rows } = await db.query(
      `select last_fired_at from public.workflow_triggers where id = $1`,
      [trigger.id],
    );
    expect(rows[0].last_fired_at).not.toBeNull();

    // The job runs like any other.
    const done = await waitForJob(db, jobs[0]!.id, (j) => j.status === 'completed');
    expect(done.status).toBe('completed');
  });

  it('a disabled trigger or an archived workflow records a failed firing and starts nothing', async () => {
    const trigger = await saved(owner, { kind: 'webhook', name: 'Off', enabled: false });
    expect(await fire(trigger.id, 'delivery:off')).toMatchObject({
      status: 'failed',
      job_id: null,
    });
    expect((await firings(trigger.id))[0]).toMatchObject({
      status: 'failed',
      error: { code: 'trigger_disabled' },
    });

    const archivable = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'to-archive',
      definition: { start_step: 'echo', steps: { echo: echoStep() } },
    });
    const onArchived = await saved(owner, {
      workflow_id: archivable.id,
      kind: 'webhook',
      name: 'Archived',
    });
    const archived = await owner.client.rpc('set_workflow_status', {
      p_workflow_id: archivable.id,
      p_status: 'archived',
    });
    expect(archived.error).toBeNull();
    expect(await fire(onArchived.id, 'delivery:1')).toMatchObject({
      status: 'failed',
      job_id: null,
    });
    expect((await firings(onArchived.id))[0]).toMatchObject({
      error: { code: 'workflow_archived' },
    });
    expect(await jobsOf(trigger.id)).toEqual([]);
    expect(await jobsOf(onArchived.id)).toEqual([]);
  });
});

describe('schedules through the orchestrator', () => {
  it('a new schedule gets its next time in its zone; a due tick fires once with two orchestrators at once', async () => {
    const trigger = await saved(owner, {
      kind: 'schedule',
      name: 'Every minute',
      cron: '* * * * *',
      timezone: 'Europe/London',
      input: { payload: 'tick' },
    });
    const scheduled = await until(
      async () =>
        (
          await db.query(`select next_fire_at from public.workflow_triggers where id = $1`, [
            trigger.id,
          ])
        ).rows[0],
      (row) => row.next_fire_at !== null,
    );
    const next = new Date(scheduled.next_fire_at as Date);
    expect(next.getUTCSeconds()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.now() - 60_000);

    // A tick ten minutes ago (missed while nothing ran): it fires once, not ten times.
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    const runFrom = new Date(Date.now() - 60_000).toISOString();
    await db.query(`update public.workflow_triggers set next_fire_at = $2 where id = $1`, [
      trigger.id,
      tick,
    ]);
    await Promise.all([
      runOrchestrator({ budget_ms: 2_000 }),
      runOrchestrator({ budget_ms: 2_000 }),
    ]);
    // Ticks of the minutes since (fired by cron's runs meanwhile) are fine; of the missed
    // ones, only the oldest fires.
    const missed = (rows: Firing[]) => rows.filter((f) => f.dedupe_key < `tick:${runFrom}`);
    const fired = missed(
      await until(
        () => firings(trigger.id),
        (rows) => missed(rows).length > 0,
      ),
    );
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ dedupe_key: `tick:${tick.toISOString()}`, status: 'started' });
    const jobs = (await jobsOf(trigger.id)).filter(
      (j) => j.input_data.scheduled_for === tick.toISOString(),
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id: fired[0]!.job_id, user_id: owner.id });
    expect(jobs[0]!.input_data).toMatchObject({
      payload: 'tick',
      trigger: { id: trigger.id, kind: 'schedule' },
    });
    const { rows } = await db.query(
      `select next_fire_at from public.workflow_triggers where id = $1`,
      [trigger.id],
    );
    expect(new Date(rows[0].next_fire_at as Date).getTime()).toBeGreaterThan(
      tick.getTime() + 9 * 60_000,
    );

    // The same tick again (an orchestrator that read it before the move): skipped, and the
    // key would answer the first job anyway.
    const again = await fx.service.rpc('advance_workflow_schedules', {
      p_items: [
        {
          trigger_id: trigger.id,
          expected: tick.toISOString(),
          cron: '* * * * *',
          time_zone: 'Europe/London',
          next_fire_at: null,
        },
      ],
    });
    expect(again.data).toEqual([{ trigger_id: trigger.id, status: 'skipped' }]);
    expect(
      await fire(trigger.id, `tick:${tick.toISOString()}`, { scheduled_for: tick.toISOString() }),
    ).toMatchObject({
      replayed: true,
      job_id: jobs[0]!.id,
    });
    expect(
      (await jobsOf(trigger.id)).filter((j) => j.input_data.scheduled_for === tick.toISOString()),
    ).toHaveLength(1);
    await waitForJob(db, jobs[0]!.id, (j) => j.status === 'completed');
    await owner.client.rpc('delete_workflow_trigger', { p_trigger_id: trigger.id });
  });

  it('without a zone of its own, a schedule follows the organisation’s time zone', async () => {
    await db.query(
      `insert into public.business_calendars (organisation_id, time_zone) values ($1, 'America/New_York')
       on conflict (organisation_id) do update set time_zone = excluded.time_zone`,
      [organisationId],
    );
    const trigger = await saved(owner, {
      kind: 'schedule',
      name: 'Nine in New York',
      cron: '0 9 * * *',
    });
    const before = new Date();
    const row = await until(
      async () =>
        (
          await db.query(`select next_fire_at from public.workflow_triggers where id = $1`, [
            trigger.id,
          ])
        ).rows[0],
      (r) => r.next_fire_at !== null,
    );
    const expected = nextCronTime('0 9 * * *', before, 'America/New_York')!;
    expect(new Date(row.next_fire_at as Date).toISOString()).toBe(expected.toISOString());
    // 09:00 in New York is 13:00 or 14:00 UTC, never 09:00.
    expect([13, 14]).toContain(expected.getUTCHours());
  });
});

describe('app events through the orchestrator', () => {
  it('a stage change fires each matching trigger once; filters match, filter out or fail in words', async () => {
    const all = await saved(owner, {
      kind: 'event',
      name: 'Every move',
      event_type: 'restaurant.stage_changed',
    });
    const demo = await saved(owner, {
      kind: 'event',
      name: 'Demo done',
      event_type: 'restaurant.stage_changed',
      event_filter: "@.to_stage == 'demo_done'",
    });
    const broken = await saved(owner, {
      kind: 'event',
      name: 'Broken filter',
      event_type: 'restaurant.stage_changed',
      event_filter: '@.to_stage ==',
    });
    const restaurant = await restaurantIn(organisationId, {
      name: 'Trigger Bistro',
      city: 'Leeds',
    });

    const moved = await owner.client
      .from('restaurants')
      .update({ lead_stage: 'contacted' })
      .eq('id', restaurant.id);
    expect(moved.error).toBeNull();
    await Promise.all([
      runOrchestrator({ budget_ms: 2_000 }),
      runOrchestrator({ budget_ms: 2_000 }),
    ]);
    await until(
      () => firings(broken.id),
      (rows) => rows.length === 1,
    );

    const [allFiring] = await firings(all.id);
    expect(allFiring).toMatchObject({
      status: 'started',
      dedupe_key: expect.stringMatching(/^event:\d+$/),
    });
    expect(await firings(demo.id)).toMatchObject([
      { status: 'filtered_out', job_id: null, dedupe_key: allFiring!.dedupe_key },
    ]);
    const [brokenFiring] = await firings(broken.id);
    expect(brokenFiring).toMatchObject({ status: 'failed', error: { code: 'invalid_filter' } });
    expect(brokenFiring!.error!.message).toMatch(/@\.to_stage ==/);

    const [job] = await jobsOf(all.id);
    expect(job!.input_data).toMatchObject({
      trigger: { id: all.id, kind: 'event' },
      event: {
        event: 'restaurant.stage_changed',
        organisation_id: organisationId,
        restaurant_id: restaurant.id,
        restaurant: {
          id: restaurant.id,
          name: 'Trigger Bistro',
          city: 'Leeds',
          lead_stage: 'contacted',
        },
        from_stage: 'new',
        to_stage: 'contacted',
        actor_id: owner.id,
        occurred_at: expect.any(String),
      },
    });

    await owner.client
      .from('restaurants')
      .update({ lead_stage: 'demo_done' })
      .eq('id', restaurant.id);
    await until(
      () => firings(demo.id),
      (rows) => rows.length === 2,
    );
    expect((await firings(demo.id)).map((f) => f.status)).toEqual(['filtered_out', 'started']);
    expect(await firings(all.id)).toHaveLength(2);
    expect(await jobsOf(all.id)).toHaveLength(2);
    const { rows } = await db.query(
      `select count(*)::int as n from private.workflow_trigger_events where organisation_id = $1`,
      [organisationId],
    );
    expect(rows).toEqual([{ n: 0 }]);

    for (const t of [all, demo, broken])
      await admin.client.rpc('delete_workflow_trigger', { p_trigger_id: t.id });
  });

  it('task completed and sequence ended carry their payloads', async () => {
    const tasks = await saved(owner, {
      kind: 'event',
      name: 'Task done',
      event_type: 'task.completed',
    });
    const ended = await saved(owner, {
      kind: 'event',
      name: 'Cancelled',
      event_type: 'sequence.ended',
      event_filter: "@.sequence.status == 'cancelled'",
    });
    const template = await createTemplate(owner, organisationId, steps(2));
    const restaurant = await restaurantIn(organisationId, {
      name: 'Sequence Trigger',
    });
    const instance = await startSequence(owner, template.id, restaurant.id);
    const first = await activeTask(fx.service, instance.id);
    await taskRpc(owner, 'complete_task', first.id);
    const cancelled = await owner.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    expect(cancelled.error).toBeNull();

    const [taskJob] = await until(
      () => jobsOf(tasks.id),
      (rows) => rows.length === 1,
    );
    expect(taskJob!.input_data.event).toMatchObject({
      event: 'task.completed',
      task_id: first.id,
      task: {
        id: first.id,
        name: first.name,
        sequence_instance_id: instance.id,
        sequence_step_order: first.sequence_step_order,
      },
      restaurant_id: restaurant.id,
      actor_id: owner.id,
    });
    const [endJob] = await until(
      () => jobsOf(ended.id),
      (rows) => rows.length === 1,
    );
    expect(endJob!.input_data.event).toMatchObject({
      event: 'sequence.ended',
      sequence_instance_id: instance.id,
      sequence: { id: instance.id, sequence_template_id: template.id, status: 'cancelled' },
      restaurant_id: restaurant.id,
    });
    for (const t of [tasks, ended])
      await admin.client.rpc('delete_workflow_trigger', { p_trigger_id: t.id });
  });

  it('an event a crashed orchestrator held fires once its lease runs out', async () => {
    const trigger = await saved(owner, {
      kind: 'event',
      name: 'Leased',
      event_type: 'restaurant.stage_changed',
    });
    const restaurant = await restaurantIn(organisationId, {
      name: 'Leased Bistro',
    });
    // Claimed and never dispatched (the orchestrator died), in the change's own transaction
    // so no cron run takes it first; the lease is a second.
    await db.query('begin');
    let claimedIds: number[] = [];
    try {
      await db.query(`update public.restaurants set lead_stage = 'proposal' where id = $1`, [
        restaurant.id,
      ]);
      const { rows } = await db.query<{ events: { id: number; triggers: { id: string }[] }[] }>(
        `select public.claim_workflow_trigger_events(1000, 1) as events`,
      );
      claimedIds = rows[0]!.events.map((e) => e.id);
      expect(rows[0]!.events.some((e) => e.triggers.some((t) => t.id === trigger.id))).toBe(true);
      await db.query('commit');
    } catch (err) {
      await db.query('rollback');
      throw err;
    }
    const fired = await until(
      () => firings(trigger.id),
      (rows) => rows.length === 1,
    );
    expect(claimedIds.map((id) => `event:${id}`)).toContain(fired[0]!.dedupe_key);
    expect(fired[0]).toMatchObject({ status: 'started' });
    expect(await jobsOf(trigger.id)).toHaveLength(1);
    await admin.client.rpc('delete_workflow_trigger', { p_trigger_id: trigger.id });
  });

  it('writes no event when no enabled event trigger wants it (another organisation, disabled)', async () => {
    const off = await saved(owner, {
      kind: 'event',
      name: 'Disabled',
      event_type: 'restaurant.stage_changed',
      enabled: false,
    });
    const mine = await restaurantIn(organisationId, { name: 'Quiet' });
    const theirs = await restaurantIn(otherOrganisationId, { name: 'Elsewhere' });
    // No runOrchestrator in between: cron could drain the outbox, so count what was written
    // in the same transaction as the change, before it commits.
    await db.query('begin');
    try {
      // The other event triggers of this file, off for this transaction only.
      await db.query(
        `update public.workflow_triggers set enabled = false where organisation_id = $1 and kind = 'event'`,
        [organisationId],
      );
      await db.query(`update public.restaurants set lead_stage = 'qualified' where id = any($1)`, [
        [mine.id, theirs.id],
      ]);
      const { rows } = await db.query(
        `select count(*)::int as n from private.workflow_trigger_events where organisation_id = any($1)`,
        [[organisationId, otherOrganisationId]],
      );
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await db.query('rollback');
    }
    expect(await firings(off.id)).toEqual([]);
  });
});
