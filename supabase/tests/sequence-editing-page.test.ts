import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import {
  createRestaurant,
  createTemplate,
  instanceTasks,
  readInstance,
  startSequence,
  steps,
} from './support/sequences.ts';

// The requests the restaurant page makes to edit sequences (issue 13 §3), as real users
// through PostgREST, across organisations. No SQL changed for the page: these pin what it
// relies on.
// - Deleting an ended sequence: policy sequence_instances_delete_own_or_admins (completed or
//   cancelled; whoever started it, its rep, or an owner/admin). A refused DELETE matches no
//   rows, so the page asks the row back (`select=id`) and reads "none" as "not allowed".
//   Its tasks stay, unlinked (NFR-2).
// - The bulk start's check ahead: restaurants with their running templates only.
// - The step RPCs refuse another organisation's rows as not found and bad input as 400,
//   changing nothing.

const fx = createFixtures('sequence-editing-page');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let colleague: TestUser;
let bystander: TestUser;
let outsider: TestUser;
let organisationId: string;

beforeAll(async () => {
  ({ owner, admin, member, colleague, bystander, outsider } = await fx.users(
    'owner',
    'admin',
    'member',
    'colleague',
    'bystander',
    'outsider',
  ));
  organisationId = await fx.organisation(owner, {
    admins: [admin],
    members: [member, colleague, bystander],
  });
  // The outsider is the owner of another organisation (admin rights there do not carry over).
  await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

/** A two-step sequence started by `member`, its tasks assigned to `colleague`. */
async function sequence(options: { ended: boolean }) {
  const template = await createTemplate(member, organisationId, steps(2));
  const restaurant = await createRestaurant(service, organisationId);
  const instance = await startSequence(member, template.id, restaurant.id, colleague.id);
  if (options.ended) {
    const { error } = await member.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    if (error) throw new Error(`cancel_sequence: ${error.message}`);
  }
  return { template, restaurant, instance };
}

const exists = async (id: string) =>
  (await service.from('sequence_instances').select('id').eq('id', id)).data?.length === 1;

/** The page's delete: the row asked back, so a refusal reads as no row. */
const pageDelete = (user: TestUser, id: string) =>
  user.client.from('sequence_instances').delete().eq('id', id).select('id');

describe('deleting an ended sequence from the page', () => {
  it.each([
    ['whoever started it', () => member],
    ['its rep', () => colleague],
    ['an admin', () => admin],
    ['the owner', () => owner],
  ])('%s deletes it; its tasks stay, unlinked', async (_, who) => {
    const { instance } = await sequence({ ended: true });
    const tasks = await instanceTasks(service, instance.id);
    const { data, error } = await pageDelete(who(), instance.id);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: instance.id }]);
    expect(await exists(instance.id)).toBe(false);
    const { data: kept } = await service
      .from('tasks')
      .select('id, sequence_instance_id')
      .in(
        'id',
        tasks.map((t) => t.id),
      );
    expect(kept).toHaveLength(2);
    expect(kept?.every((t) => t.sequence_instance_id === null)).toBe(true);
  });

  it('another member of the organisation gets no row back and deletes nothing', async () => {
    const { instance } = await sequence({ ended: true });
    const { data, error } = await pageDelete(bystander, instance.id);
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect(await exists(instance.id)).toBe(true);
  });

  it('an outsider (owner of another organisation) deletes nothing', async () => {
    const { instance } = await sequence({ ended: true });
    const { data } = await pageDelete(outsider, instance.id);
    expect(data).toEqual([]);
    expect(await exists(instance.id)).toBe(true);
  });

  it('anon is refused outright', async () => {
    const { instance } = await sequence({ ended: true });
    const { error } = await anonClient()
      .from('sequence_instances')
      .delete()
      .eq('id', instance.id)
      .select('id');
    expect(error?.code).toBe('42501');
    expect(await exists(instance.id)).toBe(true);
  });

  it('a running sequence is not deleted, even by an admin (cancel it first)', async () => {
    const { instance } = await sequence({ ended: false });
    const { data } = await pageDelete(admin, instance.id);
    expect(data).toEqual([]);
    expect(await exists(instance.id)).toBe(true);
    expect((await readInstance(service, instance.id)).status).toBe('active');
  });
});

describe("the bulk start's check ahead", () => {
  const candidates = (user: TestUser, ids: string[]) =>
    user.client
      .from('restaurants')
      .select('id, lead_stage, lead_status, sequence_instances(sequence_template_id, status)')
      .in('id', ids)
      .in('sequence_instances.status', ['active', 'paused']);

  it('a member sees the stage, status and only the running sequences of each restaurant', async () => {
    const running = await sequence({ ended: false });
    const ended = await sequence({ ended: true });
    const { data, error } = await candidates(member, [running.restaurant.id, ended.restaurant.id]);
    expect(error).toBeNull();
    const byId = new Map((data ?? []).map((row) => [row.id, row]));
    expect(byId.get(running.restaurant.id)?.sequence_instances).toEqual([
      { sequence_template_id: running.template.id, status: 'active' },
    ]);
    expect(byId.get(ended.restaurant.id)?.sequence_instances).toEqual([]);
    expect(byId.get(ended.restaurant.id)?.lead_status).toBe('active');
  });

  it("an outsider asking by another organisation's ids sees nothing", async () => {
    const running = await sequence({ ended: false });
    const { data, error } = await candidates(outsider, [running.restaurant.id]);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});

describe('the step RPCs the page calls', () => {
  it('a member adds a step after the current one: the instance is marked modified', async () => {
    const { instance } = await sequence({ ended: false });
    const { error } = await member.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 2,
      p_task: { name: 'Send pricing', type: 'email', delay_value: 2, delay_unit: 'days' },
    });
    expect(error).toBeNull();
    expect((await instanceTasks(service, instance.id)).map((t) => t.name)).toEqual([
      'Step 1',
      'Send pricing',
      'Step 2',
    ]);
    expect((await readInstance(service, instance.id)).is_modified).toBe(true);
  });

  it('a position before the current step is a 400 and changes nothing', async () => {
    const { instance } = await sequence({ ended: false });
    const { error, status } = await member.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 1,
      p_task: { name: 'Too early' },
    });
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
    expect(await instanceTasks(service, instance.id)).toHaveLength(2);
    expect((await readInstance(service, instance.id)).is_modified).toBe(false);
  });

  it('a negative delay is a 400 and changes nothing', async () => {
    const { instance } = await sequence({ ended: false });
    const pending = (await instanceTasks(service, instance.id))[1]!;
    const { error, status } = await member.client.rpc('update_sequence_task_delay', {
      p_task_id: pending.id,
      p_delay_value: -1,
      p_delay_unit: 'days',
    });
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
    expect((await instanceTasks(service, instance.id))[1]?.sequence_delay_value).toBe(
      pending.sequence_delay_value,
    );
  });

  it("an outsider's add, delay change and delete are 404 and change nothing", async () => {
    const { instance } = await sequence({ ended: false });
    const [active, pending] = await instanceTasks(service, instance.id);
    const insert = await outsider.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 3,
      p_task: { name: 'Forged' },
    });
    const delay = await outsider.client.rpc('update_sequence_task_delay', {
      p_task_id: pending!.id,
      p_delay_value: 9,
      p_delay_unit: 'days',
    });
    const remove = await outsider.client.rpc('delete_sequence_task', { p_task_id: active!.id });
    for (const answer of [insert, delay, remove]) {
      expect(answer.status).toBe(404);
      expect(answer.error?.code).toBe('P0002');
    }
    const after = await instanceTasks(service, instance.id);
    expect(after.map((t) => [t.id, t.status, t.sequence_delay_value])).toEqual([
      [active!.id, 'active', active!.sequence_delay_value],
      [pending!.id, 'pending', pending!.sequence_delay_value],
    ]);
    expect((await readInstance(service, instance.id)).is_modified).toBe(false);
  });
});
