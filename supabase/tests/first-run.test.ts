// First day (issue 13 §5, migration …008100_first_run.sql): an organisation made with the
// creator's time zone gets a calendar in it; copy_starter_templates copies seed 001's Demo
// Follow-up and its message and task templates once (members may, outsiders and anon may
// not, concurrent copies make one set); a restarted instance's name says it is a restart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '@forkflow/db';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import { createRestaurant, instanceTasks, startSequence } from './support/sequences.ts';
import type { Client } from './support/env.ts';

const fx = createFixtures('first-run');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;

beforeAll(async () => {
  ({ owner, admin, member, outsider } = await fx.users('owner', 'admin', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
}, 60_000);

afterAll(() => fx.cleanup());

type Copied = { sequence_template_id: string; created: number };
type RpcResult<T> = {
  data: T | null;
  error: { code: string; message: string } | null;
  status: number;
};

const copy = (client: Client, organisationId: string | null) =>
  client.rpc('copy_starter_templates', {
    p_organisation_id: organisationId,
  } as never) as unknown as Promise<RpcResult<Copied>>;

const createOrganisation = (client: Client, name: string, timeZone: string | null) =>
  client.rpc('create_organisation', {
    p_name: name,
    p_time_zone: timeZone,
  } as never) as unknown as Promise<RpcResult<{ id: string; name: string }>>;

/** Every template row of an organisation, read by the service role. */
async function templateCounts(orgId: string) {
  const count = async (table: 'message_templates' | 'task_templates' | 'sequence_templates') => {
    const { count: n, error } = await service
      .from(table)
      .select('id', { count: 'exact', head: true })
      .eq('organisation_id', orgId);
    if (error) throw new Error(error.message);
    return n;
  };
  return {
    message: await count('message_templates'),
    task: await count('task_templates'),
    sequence: await count('sequence_templates'),
  };
}

describe('create_organisation with a time zone', () => {
  it("makes the organisation with the creator as owner and a calendar in the creator's zone", async () => {
    const { data, error } = await createOrganisation(
      owner.client,
      `Zoned ${randomUUID().slice(0, 6)}`,
      'Asia/Tokyo',
    );
    expect(error).toBeNull();
    const { data: calendar } = await service
      .from('business_calendars')
      .select('time_zone, working_days, windows')
      .eq('organisation_id', data!.id)
      .single();
    expect(calendar).toEqual({
      time_zone: 'Asia/Tokyo',
      working_days: [1, 2, 3, 4, 5, 6, 7],
      windows: [{ start: '00:00', end: '24:00' }],
    });
    const { data: membership } = await service
      .from('organisation_members')
      .select('role')
      .eq('organisation_id', data!.id)
      .eq('user_id', owner.id)
      .single();
    expect(membership?.role).toBe('owner');
  });

  it('without a zone, makes no calendar (open around the clock in UTC, as before)', async () => {
    const { data, error } = await createOrganisation(
      owner.client,
      `No zone ${randomUUID().slice(0, 6)}`,
      null,
    );
    expect(error).toBeNull();
    const { data: calendars } = await service
      .from('business_calendars')
      .select('organisation_id')
      .eq('organisation_id', data!.id);
    expect(calendars).toEqual([]);
  });

  it('an unknown zone is a 400 invalid_time_zone and makes nothing', async () => {
    const name = `Bad zone ${randomUUID().slice(0, 6)}`;
    const { error, status } = await createOrganisation(owner.client, name, 'Mars/Olympus_Mons');
    expect(status).toBe(400);
    expect(error?.code).toBe('invalid_time_zone');
    const { data: made } = await service.from('organisations').select('id').eq('name', name);
    expect(made).toEqual([]);
  });

  it('a bad name with a good zone is refused and makes nothing', async () => {
    const { error } = await createOrganisation(owner.client, '   ', 'Europe/London');
    expect(error?.code).toBe('23514');
  });

  it('anon cannot create an organisation with a zone', async () => {
    const name = `Anon ${randomUUID().slice(0, 6)}`;
    const { error } = await createOrganisation(anonClient(), name, 'Europe/London');
    expect(error).not.toBeNull();
    const { data: made } = await service.from('organisations').select('id').eq('name', name);
    expect(made).toEqual([]);
  });
});

describe('copy_starter_templates', () => {
  it("a member copies seed 001's Demo Follow-up: seven steps over 0,1,1,1,1,3,7 days using the copied templates", async () => {
    const { data, error } = await copy(member.client, organisationId);
    expect(error).toBeNull();
    expect(data?.created).toBe(7); // 3 message + 3 task templates + the sequence

    const { data: template } = await member.client
      .from('sequence_templates')
      .select('name, is_active, exit_stages, organisation_id, created_by')
      .eq('id', data!.sequence_template_id)
      .single();
    expect(template).toEqual({
      name: 'Demo Follow-up',
      is_active: true,
      exit_stages: ['won', 'lost'],
      organisation_id: organisationId,
      created_by: member.id,
    });

    const { data: stepRows } = await member.client
      .from('sequence_steps')
      .select(
        'step_order, name, type, delay_value, delay_unit, message_templates(name, organisation_id), task_templates(name, organisation_id)',
      )
      .eq('sequence_template_id', data!.sequence_template_id)
      .order('step_order');
    expect(
      stepRows?.map((s) => [
        s.step_order,
        s.name,
        s.type,
        s.delay_value,
        s.delay_unit,
        s.message_templates?.name ?? s.task_templates?.name ?? null,
      ]),
    ).toEqual([
      [1, 'Send demo confirmation', 'email', 0, 'days', 'Demo Confirmation Email'],
      [2, 'Prepare demo materials', 'internal_activity', 1, 'days', 'Prepare demo materials'],
      [3, 'Reminder call day before', 'call', 1, 'days', 'Reminder call'],
      [4, 'Conduct demo', 'internal_activity', 1, 'days', null],
      [5, 'Follow-up email', 'email', 1, 'days', 'Post-Demo Follow-up'],
      [6, 'Check-in call', 'call', 3, 'days', 'Check-in call'],
      [7, 'Contract proposal', 'email', 7, 'days', 'Contract Email Template'],
    ]);
    // Every referenced template is the organisation's own copy.
    for (const s of stepRows ?? []) {
      const ref = s.message_templates ?? s.task_templates;
      if (ref) expect(ref.organisation_id).toBe(organisationId);
    }
  });

  it('copying again (admin, then owner) reuses what is there and duplicates nothing', async () => {
    const before = await templateCounts(organisationId);
    const first = await copy(admin.client, organisationId);
    const second = await copy(owner.client, organisationId);
    expect(first.error).toBeNull();
    expect(second.error).toBeNull();
    expect(first.data?.created).toBe(0);
    expect(second.data?.created).toBe(0);
    expect(second.data?.sequence_template_id).toBe(first.data?.sequence_template_id);
    expect(await templateCounts(organisationId)).toEqual(before);
  });

  it('the copied sequence starts for a restaurant, its first message rendered from the copied template', async () => {
    const { data } = await copy(member.client, organisationId);
    const restaurant = await createRestaurant(service, organisationId, {
      name: 'Bella Pizza',
      contact_name: 'Gianni Rossi',
    });
    const instance = await startSequence(member, data!.sequence_template_id, restaurant.id);
    const tasks = await instanceTasks(service, instance.id);
    expect(tasks).toHaveLength(7);
    expect(tasks[0]?.status).toBe('active');
    expect(tasks[0]?.message).toContain('Thanks for booking a demo for Bella Pizza');
  });

  it('two copies at once into a fresh organisation make one set', async () => {
    const { owner: racer } = await fx.users('owner');
    const orgId = await fx.organisation(racer);
    const results = await Promise.all([copy(racer.client, orgId), copy(racer.client, orgId)]);
    expect(results.map((r) => r.error)).toEqual([null, null]);
    expect(results.map((r) => r.data?.created).sort()).toEqual([0, 7]);
    expect(await templateCounts(orgId)).toEqual({ message: 3, task: 3, sequence: 1 });
  });

  it('a starter moved to the trash is copied anew (the trashed one is not counted as present)', async () => {
    const { owner: trasher } = await fx.users('owner');
    const orgId = await fx.organisation(trasher);
    const first = await copy(trasher.client, orgId);
    await service
      .from('sequence_templates')
      .update({ deleted_at: new Date().toISOString() })
      .eq('id', first.data!.sequence_template_id);
    const second = await copy(trasher.client, orgId);
    expect(second.data?.created).toBe(1);
    expect(second.data?.sequence_template_id).not.toBe(first.data?.sequence_template_id);
  });

  it('an outsider cannot copy into another organisation: 404, and nothing is created there', async () => {
    const { owner: fresh } = await fx.users('owner');
    const orgId = await fx.organisation(fresh);
    const { error, status } = await copy(outsider.client, orgId);
    expect(status).toBe(404);
    expect(error?.code).toBe('organisation_not_found');
    expect(await templateCounts(orgId)).toEqual({ message: 0, task: 0, sequence: 0 });
  });

  it("an outsider's own organisation is untouched by copies into this one", async () => {
    expect(await templateCounts(otherOrganisationId)).toEqual({ message: 0, task: 0, sequence: 0 });
  });

  it('anon cannot copy', async () => {
    const { error } = await copy(anonClient(), organisationId);
    expect(error).not.toBeNull();
    expect(error?.code).not.toBe('organisation_not_found');
  });

  it('a missing organisation id is 404 and a malformed one is 400', async () => {
    const missing = await copy(owner.client, null);
    expect(missing.status).toBe(404);
    const malformed = await copy(owner.client, 'not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.error?.code).toBe('22P02');
  });
});

describe('restart_sequence names the restart', () => {
  it('"(restart 1)", then "(restart 2)" for a restart of the restart — never stacked', async () => {
    const { data } = await copy(member.client, organisationId);
    const restaurant = await createRestaurant(service, organisationId, { name: 'Spice Route' });
    const original = await startSequence(member, data!.sequence_template_id, restaurant.id);
    expect(original.name).toMatch(/^Demo Follow-up – Spice Route – \d{4}-\d{2}-\d{2}$/);

    await member.client.rpc('cancel_sequence', { p_instance_id: original.id });
    const first = await member.client.rpc('restart_sequence', { p_instance_id: original.id });
    expect(first.error).toBeNull();
    expect(first.data?.name).toMatch(/^Demo Follow-up \(restart 1\) – Spice Route – /);
    expect(first.data?.metadata).toMatchObject({ restarted_from: original.id, restart_number: 1 });

    await member.client.rpc('cancel_sequence', { p_instance_id: first.data!.id });
    const second = await member.client.rpc('restart_sequence', { p_instance_id: first.data!.id });
    expect(second.error).toBeNull();
    expect(second.data?.name).toMatch(/^Demo Follow-up \(restart 2\) – Spice Route – /);
    expect((second.data?.metadata as Record<string, Json>).restart_number).toBe(2);
  });

  it('an outsider cannot restart the organisation’s instance (not found)', async () => {
    const { data } = await copy(member.client, organisationId);
    const restaurant = await createRestaurant(service, organisationId, { name: 'Olive & Thyme' });
    const instance = await startSequence(member, data!.sequence_template_id, restaurant.id);
    await member.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { data: restarted, error } = await outsider.client.rpc('restart_sequence', {
      p_instance_id: instance.id,
    });
    expect(restarted).toBeNull();
    expect(error).not.toBeNull();
  });
});
