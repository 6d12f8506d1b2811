import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  DAY_MS,
  activeTask,
  adminDb,
  asTaskResult,
  createRestaurant,
  createTemplate,
  instanceTasks,
  ms,
  readInstance,
  startSequence,
  steps,
  taskRpc,
} from './support/sequences.ts';

// The sequence RPCs as real users through PostgREST: what each does, what it refuses,
// and that no direct write can move a task past its sequence. The organisation has no
// business calendar row, so it is open around the clock and due = from + delay exactly.

const fx = createFixtures('seq-rpcs');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let rep: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;
let db: pg.Client;

beforeAll(async () => {
  ({ owner, admin, rep, outsider } = await fx.users('owner', 'admin', 'rep', 'outsider'));
  organisationId = await fx.organisation(owner, { admins: [admin], members: [rep] });
  otherOrganisationId = await fx.organisation(outsider);
  db = await adminDb();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

/** A fresh template + restaurant + running instance for one test. */
async function running(n = 3, template: Parameters<typeof createTemplate>[3] = {}) {
  const tpl = await createTemplate(rep, organisationId, steps(n), template);
  const restaurant = await createRestaurant(service, organisationId, { name: 'Running Diner' });
  const instance = await startSequence(rep, tpl.id, restaurant.id);
  const tasks = await instanceTasks(service, instance.id);
  return { tpl, restaurant, instance, tasks };
}

describe('start_sequence', () => {
  it('creates every task at once: the first active with its due date, the others pending without one', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(4, 2), { name: 'Demo Chase' });
    const restaurant = await createRestaurant(service, organisationId, { name: 'Bella Pizza' });
    const instance = await startSequence(rep, tpl.id, restaurant.id);

    expect(instance).toMatchObject({
      status: 'active',
      current_step_order: 1,
      total_steps: 4,
      is_modified: false,
      sequence_template_id: tpl.id,
      restaurant_id: restaurant.id,
      created_by: rep.id,
      assigned_to: rep.id,
    });
    expect(instance.name).toMatch(/^Demo Chase – Bella Pizza – \d{4}-\d{2}-\d{2}$/);
    expect(instance.steps_snapshot).toHaveLength(4);

    const tasks = await instanceTasks(service, instance.id);
    expect(tasks.map((t) => [t.sequence_step_order, t.name, t.status])).toEqual([
      [1, 'Step 1', 'active'],
      [2, 'Step 2', 'pending'],
      [3, 'Step 3', 'pending'],
      [4, 'Step 4', 'pending'],
    ]);
    expect(ms(tasks[0]!.due_date)).toBe(ms(instance.started_at));
    expect(tasks.slice(1).every((t) => t.due_date === null)).toBe(true);
    expect(tasks.every((t) => t.restaurant_id === restaurant.id && t.assigned_to === rep.id)).toBe(
      true,
    );

    const { data: after } = await service
      .from('sequence_templates')
      .select('usage_count')
      .eq('id', tpl.id)
      .single();
    expect(after?.usage_count).toBe(1);
  });

  it("a start delay and the first step's delay push the first due date", async () => {
    const tpl = await createTemplate(
      rep,
      organisationId,
      [{ name: 'Later', delay_value: 2, delay_unit: 'hours' }],
      { start_delay_value: 1, start_delay_unit: 'days' },
    );
    const restaurant = await createRestaurant(service, organisationId);
    const instance = await startSequence(rep, tpl.id, restaurant.id);
    const [task] = await instanceTasks(service, instance.id);
    expect(ms(task!.due_date) - ms(instance.started_at)).toBe(DAY_MS + 2 * 60 * 60 * 1000);
  });

  it("each step's message is rendered for the restaurant, with its warnings in the task's metadata", async () => {
    const tpl = await createTemplate(rep, organisationId, [
      { name: 'Intro', custom_message: 'Hello {restaurant_name}, about {unknown_thing}' },
      { name: 'No message' },
    ]);
    const restaurant = await createRestaurant(service, organisationId, { name: 'Render House' });
    const instance = await startSequence(rep, tpl.id, restaurant.id);
    const [first, second] = await instanceTasks(service, instance.id);
    expect(first!.message).toBe('Hello Render House, about {unknown_thing}');
    expect(first!.metadata).toEqual({
      render_warnings: [{ variable: 'unknown_thing', problem: 'unknown' }],
    });
    expect(second!.message).toBeNull();
    expect(second!.metadata).toEqual({});
  });

  it("the assignee defaults to the restaurant's rep and a named one must be a member", async () => {
    const tpl = await createTemplate(owner, organisationId, steps(2));
    const restaurant = await createRestaurant(service, organisationId, {
      assigned_sales_rep: rep.id,
    });
    const instance = await startSequence(owner, tpl.id, restaurant.id);
    expect(instance.assigned_to).toBe(rep.id);
    expect((await instanceTasks(service, instance.id))[0]?.assigned_to).toBe(rep.id);

    const other = await createRestaurant(service, organisationId);
    const { error } = await owner.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: other.id,
      p_assigned_to: outsider.id,
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('the assignee must be a member of the organisation');
  });

  it('an inactive template is refused with 22023', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2), { is_active: false });
    const restaurant = await createRestaurant(service, organisationId);
    const { error } = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(`the sequence template "${tpl.name}" is inactive`);
  });

  it('a template with no steps is refused with 22023', async () => {
    const tpl = await createTemplate(rep, organisationId, []);
    const restaurant = await createRestaurant(service, organisationId);
    const { error } = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(`the sequence template "${tpl.name}" has no steps`);
  });

  it('a template already running for the restaurant is refused with 23505, and nothing is created', async () => {
    const { tpl, restaurant } = await running(2);
    const { error } = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error?.code).toBe('23505');
    expect(error?.message).toBe(`this restaurant already runs ${tpl.name}`);
    const { data } = await service
      .from('sequence_instances')
      .select('id')
      .eq('restaurant_id', restaurant.id);
    expect(data).toHaveLength(1);
  });

  it('a restaurant already at one of the exit stages is refused with 22023', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2), { exit_stages: ['won'] });
    const restaurant = await createRestaurant(service, organisationId, { lead_stage: 'won' });
    const { error } = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error?.code).toBe('22023');
  });

  it("another organisation's template or restaurant is not found (404)", async () => {
    const tpl = await createTemplate(rep, organisationId, steps(1));
    const foreign = await createRestaurant(service, otherOrganisationId);
    const restaurant = await createRestaurant(service, organisationId);

    const byOutsider = await outsider.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: foreign.id,
    });
    expect(byOutsider.error?.code).toBe('P0002');
    expect(byOutsider.status).toBe(404);

    const foreignRestaurant = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: foreign.id,
    });
    expect(foreignRestaurant.error?.code).toBe('P0002');
    expect(foreignRestaurant.error?.message).toBe('restaurant not found');

    const { data } = await service
      .from('sequence_instances')
      .select('id')
      .in('restaurant_id', [foreign.id, restaurant.id]);
    expect(data).toEqual([]);
  });
});

describe('start_sequence_bulk', () => {
  it('starts one template for many restaurants and says, per restaurant, why not', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2), { exit_stages: ['lost'] });
    const fresh = await createRestaurant(service, organisationId, { name: 'Fresh' });
    const alsoFresh = await createRestaurant(service, organisationId, { name: 'Also Fresh' });
    const busy = await createRestaurant(service, organisationId, { name: 'Busy' });
    const lost = await createRestaurant(service, organisationId, {
      name: 'Lost Cause',
      lead_stage: 'lost',
    });
    const foreign = await createRestaurant(service, otherOrganisationId, { name: 'Foreign' });
    await startSequence(rep, tpl.id, busy.id);

    const { data, error } = await rep.client.rpc('start_sequence_bulk', {
      p_template_id: tpl.id,
      p_restaurant_ids: [fresh.id, busy.id, lost.id, foreign.id, alsoFresh.id, fresh.id],
    });
    expect(error).toBeNull();
    const results = data as { restaurant_id: string; status: string; instance_id?: string }[];
    expect(results.map((r) => [r.restaurant_id, r.status])).toEqual([
      [fresh.id, 'started'],
      [busy.id, 'skipped'],
      [lost.id, 'skipped'],
      [foreign.id, 'failed'],
      [alsoFresh.id, 'started'],
    ]);
    expect(results[1]).toMatchObject({ reason: `this restaurant already runs ${tpl.name}` });
    expect(results[3]).toMatchObject({ reason: 'restaurant not found' });

    const started = results.filter((r) => r.status === 'started');
    for (const r of started) {
      const tasks = await instanceTasks(service, r.instance_id!);
      expect(tasks.map((t) => t.status)).toEqual(['active', 'pending']);
    }
    const { data: foreignInstances } = await service
      .from('sequence_instances')
      .select('id')
      .eq('restaurant_id', foreign.id);
    expect(foreignInstances).toEqual([]);
  });

  it('an inactive template is refused for the whole call', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2), { is_active: false });
    const restaurant = await createRestaurant(service, organisationId);
    const { error } = await rep.client.rpc('start_sequence_bulk', {
      p_template_id: tpl.id,
      p_restaurant_ids: [restaurant.id],
    });
    expect(error?.code).toBe('22023');
  });
});

describe('a restaurant marked "do not contact" (…009700)', () => {
  async function instancesOf(restaurantId: string) {
    const { data } = await service
      .from('sequence_instances')
      .select('id')
      .eq('restaurant_id', restaurantId);
    return data;
  }

  it('is refused by start_sequence (22023, with the reason), and starts again once active', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2));
    const restaurant = await createRestaurant(service, organisationId, {
      name: 'Quiet Please',
      lead_status: 'do_not_contact',
    });
    const { error } = await rep.client.rpc('start_sequence', {
      p_template_id: tpl.id,
      p_restaurant_id: restaurant.id,
    });
    expect(error).toMatchObject({
      code: '22023',
      message: 'Quiet Please is marked do not contact',
    });
    expect(await instancesOf(restaurant.id)).toEqual([]);

    await service.from('restaurants').update({ lead_status: 'active' }).eq('id', restaurant.id);
    const instance = await startSequence(rep, tpl.id, restaurant.id);
    expect(instance.restaurant_id).toBe(restaurant.id);
  });

  it('fails alone in start_sequence_bulk, the others start', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2));
    const quiet = await createRestaurant(service, organisationId, {
      name: 'Quiet Bulk',
      lead_status: 'do_not_contact',
    });
    const open = await createRestaurant(service, organisationId, { name: 'Open Bulk' });
    const { data, error } = await rep.client.rpc('start_sequence_bulk', {
      p_template_id: tpl.id,
      p_restaurant_ids: [quiet.id, open.id],
    });
    expect(error).toBeNull();
    const results = data as { restaurant_id: string; status: string; reason?: string }[];
    expect(results.map((r) => [r.restaurant_id, r.status, r.reason ?? null])).toEqual([
      [quiet.id, 'failed', 'Quiet Bulk is marked do not contact'],
      [open.id, 'started', null],
    ]);
    expect(await instancesOf(quiet.id)).toEqual([]);
  });

  it('is refused by restart_sequence once the restaurant is so marked', async () => {
    const { restaurant, instance } = await running(2);
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    await service
      .from('restaurants')
      .update({ lead_status: 'do_not_contact' })
      .eq('id', restaurant.id);
    const { error } = await rep.client.rpc('restart_sequence', { p_instance_id: instance.id });
    expect(error).toMatchObject({
      code: '22023',
      message: 'Running Diner is marked do not contact',
    });
    expect(await instancesOf(restaurant.id)).toHaveLength(1);
  });
});

describe('complete_task', () => {
  it('completing the active task activates the next step, due its delay after the completion', async () => {
    const { instance, tasks } = await running(3);
    const result = await taskRpc(rep, 'complete_task', tasks[0]!.id);

    expect(result.warnings).toEqual([]);
    expect(result.task).toMatchObject({
      id: tasks[0]!.id,
      status: 'completed',
      completed_by: rep.id,
    });
    expect(result.next_task).toMatchObject({ id: tasks[1]!.id, status: 'active' });
    expect(ms(result.next_task!.due_date) - ms(result.task.completed_at)).toBe(DAY_MS);
    expect(result.next_task!.activated_at).toBe(result.task.completed_at);
    expect(result.instance).toMatchObject({
      id: instance.id,
      status: 'active',
      current_step_order: 2,
    });
  });

  it('completing the last step completes the instance', async () => {
    const { instance, tasks } = await running(2);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const last = await taskRpc(rep, 'complete_task', tasks[1]!.id);
    expect(last.next_task).toBeNull();
    expect(last.instance).toMatchObject({ status: 'completed', current_step_order: 2 });
    expect(last.instance!.completed_at).toBe(last.task.completed_at);
    expect((await instanceTasks(service, instance.id)).map((t) => t.status)).toEqual([
      'completed',
      'completed',
    ]);
  });

  it('completing a pending step ahead of the active one warns, keeps the active one, and progression later skips it', async () => {
    const { instance, tasks } = await running(4);
    const ahead = await taskRpc(rep, 'complete_task', tasks[1]!.id);
    expect(ahead.warnings).toEqual(['step 2 was completed ahead of step 1, which stays active']);
    expect(ahead.task.status).toBe('completed');
    expect(ahead.next_task).toBeNull();
    expect(ahead.instance?.current_step_order).toBe(1);
    expect((await activeTask(service, instance.id)).id).toBe(tasks[0]!.id);

    const next = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(next.next_task?.id).toBe(tasks[2]!.id);
    expect(next.instance?.current_step_order).toBe(3);
  });

  it('completing a task twice is a no-op with a warning, never a second activation', async () => {
    const { instance, tasks } = await running(3);
    const first = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const again = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(again.warnings).toEqual(['this task was already completed; nothing changed']);
    expect(again.next_task).toBeNull();
    expect(again.task.completed_at).toBe(first.task.completed_at);
    expect((await instanceTasks(service, instance.id)).map((t) => t.status)).toEqual([
      'completed',
      'active',
      'pending',
    ]);
  });

  it('a task outside any sequence is completed without progression', async () => {
    const { data: task } = await rep.client
      .from('tasks')
      .insert({ organisation_id: organisationId, name: 'Call the supplier', type: 'call' })
      .select()
      .single();
    const result = await taskRpc(rep, 'complete_task', task!.id);
    expect(result).toMatchObject({ next_task: null, instance: null, warnings: [] });
    expect(result.task).toMatchObject({ status: 'completed', completed_by: rep.id });
    expect(result.task.completed_at).not.toBeNull();
  });

  it('a task cancelled with its sequence cannot be completed (22023)', async () => {
    const { instance, tasks } = await running(2);
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { error } = await rep.client.rpc('complete_task', { p_task_id: tasks[1]!.id });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(
      'this task was cancelled with its sequence, so it cannot be completed',
    );
  });

  it('an unknown task is not found (404)', async () => {
    const { error, status } = await rep.client.rpc('complete_task', {
      p_task_id: crypto.randomUUID(),
    });
    expect(error?.code).toBe('P0002');
    expect(status).toBe(404);
  });
});

describe('skip_task', () => {
  it('skipping the active task marks it skipped and activates the next step', async () => {
    const { tasks } = await running(3);
    const result = await taskRpc(rep, 'skip_task', tasks[0]!.id);
    expect(result.task).toMatchObject({ status: 'skipped', completed_at: null });
    expect(result.task.skipped_at).not.toBeNull();
    expect(result.next_task).toMatchObject({ id: tasks[1]!.id, status: 'active' });
    expect(ms(result.next_task!.due_date) - ms(result.task.skipped_at)).toBe(DAY_MS);
  });

  it('skipping a completed task is a no-op with a warning', async () => {
    const { tasks } = await running(2);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const result = await taskRpc(rep, 'skip_task', tasks[0]!.id);
    expect(result.task.status).toBe('completed');
    expect(result.warnings).toEqual(['this task was already completed; nothing changed']);
  });
});

describe('pause_sequence and resume_sequence', () => {
  it("pausing clears the active task's due date; resuming counts it again from the resume", async () => {
    const { instance, tasks } = await running(3);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);

    const paused = await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    expect(paused.error).toBeNull();
    expect(paused.data).toMatchObject({ status: 'paused', resume_at: null });
    const whilePaused = await activeTask(service, instance.id);
    expect(whilePaused).toMatchObject({ id: tasks[1]!.id, status: 'active', due_date: null });

    const resumed = await rep.client.rpc('resume_sequence', { p_instance_id: instance.id });
    expect(resumed.error).toBeNull();
    expect(resumed.data).toMatchObject({ status: 'active' });
    const after = await activeTask(service, instance.id);
    expect(after.id).toBe(tasks[1]!.id);
    expect(ms(after.due_date) - ms(resumed.data!.resumed_at)).toBe(DAY_MS);
  });

  it('completing the active task while paused leaves the next one pending until the resume', async () => {
    const { instance, tasks } = await running(3);
    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });

    const result = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(result.next_task).toBeNull();
    expect(result.warnings).toEqual([
      'the sequence is paused: the next step becomes active when it resumes',
    ]);
    expect(result.instance).toMatchObject({ status: 'paused', current_step_order: 2 });
    expect((await instanceTasks(service, instance.id)).map((t) => t.status)).toEqual([
      'completed',
      'pending',
      'pending',
    ]);

    const resumed = await rep.client.rpc('resume_sequence', { p_instance_id: instance.id });
    const next = await activeTask(service, instance.id);
    expect(next.id).toBe(tasks[1]!.id);
    expect(ms(next.due_date) - ms(resumed.data!.resumed_at)).toBe(DAY_MS);
  });

  it('pausing until a date records resume_at; a date in the past is refused', async () => {
    const { instance } = await running(2);
    const past = await rep.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.error?.code).toBe('22023');

    const until = new Date(Date.now() + 3 * DAY_MS).toISOString();
    const { data, error } = await rep.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: until,
    });
    expect(error).toBeNull();
    expect(ms(data!.resume_at)).toBe(ms(until));
  });

  it('resume_due_sequences resumes the instances whose resume_at has come, for the service role only', async () => {
    const { instance, tasks } = await running(2);
    await rep.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: new Date(Date.now() + DAY_MS).toISOString(),
    });
    const byUser = await rep.client.rpc('resume_due_sequences');
    expect(byUser.error?.code).toBe('42501');

    // Time passes: move resume_at into the past as the database owner.
    await db.query(
      `update public.sequence_instances set resume_at = now() - interval '1 minute' where id = $1`,
      [instance.id],
    );
    const { data, error } = await service.rpc('resume_due_sequences');
    expect(error).toBeNull();
    expect(data).toBeGreaterThanOrEqual(1);
    expect(await readInstance(service, instance.id)).toMatchObject({
      status: 'active',
      resume_at: null,
    });
    expect((await activeTask(service, instance.id)).id).toBe(tasks[0]!.id);
  });

  it('resuming an instance that is not paused is refused (22023)', async () => {
    const { instance } = await running(2);
    const { error } = await rep.client.rpc('resume_sequence', { p_instance_id: instance.id });
    expect(error?.code).toBe('22023');
  });
});

describe('cancel_sequence', () => {
  it('cancelling keeps completed tasks and cancels the pending and active ones', async () => {
    const { instance, tasks } = await running(4);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    await taskRpc(rep, 'skip_task', tasks[1]!.id);

    const { data, error } = await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'cancelled', exit_reason: null });
    const after = await instanceTasks(service, instance.id);
    expect(after.map((t) => t.status)).toEqual(['completed', 'skipped', 'cancelled', 'cancelled']);
    expect(after[0]!.completed_at).not.toBeNull();
    expect(after.slice(2).every((t) => t.cancelled_at === data!.cancelled_at)).toBe(true);
  });

  it('cancelling an ended instance is refused (22023)', async () => {
    const { instance } = await running(2);
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { error } = await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('the sequence has already ended (cancelled)');
  });
});

describe('restart_sequence', () => {
  it("re-enrols from the ended instance's snapshot, not from the template as it is now", async () => {
    const { tpl, restaurant, instance } = await running(3);
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    // The template changes after the start: the restart must not follow it.
    await rep.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id },
      p_steps: [{ name: 'Only step now' }],
    });

    const { data: restarted, error } = await rep.client.rpc('restart_sequence', {
      p_instance_id: instance.id,
    });
    expect(error).toBeNull();
    expect(restarted).toMatchObject({
      status: 'active',
      restaurant_id: restaurant.id,
      sequence_template_id: tpl.id,
      total_steps: 3,
      metadata: expect.objectContaining({ restarted_from: instance.id }),
    });
    expect(restarted!.id).not.toBe(instance.id);
    expect(restarted!.steps_snapshot).toEqual(instance.steps_snapshot);
    const tasks = await instanceTasks(service, restarted!.id);
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ['Step 1', 'active'],
      ['Step 2', 'pending'],
      ['Step 3', 'pending'],
    ]);
  });

  it('restarting a running instance is refused (22023)', async () => {
    const { instance } = await running(2);
    const { error } = await rep.client.rpc('restart_sequence', { p_instance_id: instance.id });
    expect(error?.code).toBe('22023');
  });

  it('restarting while another instance of the template runs for the restaurant is refused (23505)', async () => {
    const { tpl, restaurant, instance } = await running(2);
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    await startSequence(rep, tpl.id, restaurant.id);
    const { error } = await rep.client.rpc('restart_sequence', { p_instance_id: instance.id });
    expect(error?.code).toBe('23505');
  });
});

describe('editing a running instance', () => {
  it('inserting a task after the active step shifts the later ones and marks the instance modified', async () => {
    const { instance, tasks } = await running(3);
    const { data, error } = await rep.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 2,
      p_task: { name: 'Send the menu PDF', type: 'email', delay_value: 2, delay_unit: 'hours' },
    });
    expect(error).toBeNull();
    const result = asTaskResult(data);
    expect(result.task).toMatchObject({
      name: 'Send the menu PDF',
      status: 'pending',
      due_date: null,
      sequence_step_order: 2,
      sequence_delay_value: 2,
      sequence_delay_unit: 'hours',
    });
    expect(result.instance).toMatchObject({ is_modified: true, total_steps: 4 });
    expect((await instanceTasks(service, instance.id)).map((t) => t.name)).toEqual([
      'Step 1',
      'Send the menu PDF',
      'Step 2',
      'Step 3',
    ]);

    const next = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(next.next_task?.name).toBe('Send the menu PDF');
    expect(ms(next.next_task!.due_date) - ms(next.task.completed_at)).toBe(2 * 60 * 60 * 1000);
  });

  it('inserting a task at or before the active step is refused (22023)', async () => {
    const { instance, tasks } = await running(3);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const { error } = await rep.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 2,
      p_task: { name: 'Too early' },
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('position must be between 3 and 4 (after the active step)');
  });

  it("changing a pending step's delay marks the instance modified and is used when it activates", async () => {
    const { instance, tasks } = await running(3);
    const { data, error } = await rep.client.rpc('update_sequence_task_delay', {
      p_task_id: tasks[1]!.id,
      p_delay_value: 30,
      p_delay_unit: 'minutes',
    });
    expect(error).toBeNull();
    expect(asTaskResult(data).instance?.is_modified).toBe(true);
    const next = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(ms(next.next_task!.due_date) - ms(next.task.completed_at)).toBe(30 * 60 * 1000);
    expect((await readInstance(service, instance.id)).is_modified).toBe(true);
  });

  it("changing the active or a completed step's delay is refused (22023)", async () => {
    const { tasks } = await running(2);
    const { error } = await rep.client.rpc('update_sequence_task_delay', {
      p_task_id: tasks[0]!.id,
      p_delay_value: 1,
      p_delay_unit: 'days',
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe("only a pending step's delay can be changed (this one is active)");
  });

  it('deleting the active task activates the next and renumbers the rest', async () => {
    const { instance, tasks } = await running(3);
    const result = await taskRpc(rep, 'delete_sequence_task', tasks[0]!.id);
    expect(result.task.id).toBe(tasks[0]!.id);
    expect(result.next_task).toMatchObject({
      id: tasks[1]!.id,
      status: 'active',
      sequence_step_order: 1,
    });
    expect(result.warnings).toEqual(['the active step was deleted; the next step is now active']);
    expect(result.instance).toMatchObject({
      is_modified: true,
      total_steps: 2,
      current_step_order: 1,
    });
    expect(
      (await instanceTasks(service, instance.id)).map((t) => [t.sequence_step_order, t.name]),
    ).toEqual([
      [1, 'Step 2'],
      [2, 'Step 3'],
    ]);
  });

  it('deleting the last open task completes the instance', async () => {
    const { tasks } = await running(2);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const result = await taskRpc(rep, 'delete_sequence_task', tasks[1]!.id);
    expect(result.instance).toMatchObject({ status: 'completed', total_steps: 1 });
    expect(result.warnings).toEqual(['no open step was left, so the sequence is completed']);
  });

  it('delete_sequence_task refuses a task outside any sequence (22023)', async () => {
    const { data: task } = await rep.client
      .from('tasks')
      .insert({ organisation_id: organisationId, name: 'Loose task' })
      .select()
      .single();
    const { error } = await rep.client.rpc('delete_sequence_task', { p_task_id: task!.id });
    expect(error?.code).toBe('22023');
  });
});

describe('exit criteria', () => {
  it("moving a restaurant into an exit stage ends the template's running instance with the reason", async () => {
    const { restaurant, instance, tasks } = await running(3, { exit_stages: ['won', 'lost'] });
    await taskRpc(rep, 'complete_task', tasks[0]!.id);

    const { error } = await rep.client
      .from('restaurants')
      .update({ lead_stage: 'won' })
      .eq('id', restaurant.id);
    expect(error).toBeNull();
    expect(await readInstance(service, instance.id)).toMatchObject({
      status: 'cancelled',
      exit_reason: 'restaurant moved to won',
    });
    expect((await instanceTasks(service, instance.id)).map((t) => t.status)).toEqual([
      'completed',
      'cancelled',
      'cancelled',
    ]);
  });

  it('moving to a stage that is not an exit stage leaves the instance running', async () => {
    const { restaurant, instance } = await running(2, { exit_stages: ['won'] });
    await rep.client.from('restaurants').update({ lead_stage: 'proposal' }).eq('id', restaurant.id);
    expect((await readInstance(service, instance.id)).status).toBe('active');
  });
});

describe('no direct write bypasses progression', () => {
  it("a direct PostgREST update of a task's status is refused", async () => {
    const { tasks } = await running(2);
    const { error } = await rep.client
      .from('tasks')
      .update({ status: 'completed' } as never)
      .eq('id', tasks[0]!.id);
    expect(error?.code).toBe('42501');
    expect((await instanceTasks(service, tasks[0]!.sequence_instance_id!))[0]?.status).toBe(
      'active',
    );
  });

  it('a direct insert of a completed task into a sequence is refused', async () => {
    const { instance } = await running(2);
    const { error } = await rep.client.from('tasks').insert({
      organisation_id: organisationId,
      name: 'Forged step',
      status: 'completed',
      sequence_instance_id: instance.id,
      sequence_step_order: 3,
    } as never);
    expect(error?.code).toBe('42501');
    expect(await instanceTasks(service, instance.id)).toHaveLength(2);
  });

  it('even the service role cannot set a status or add a task to a sequence directly', async () => {
    const { instance, tasks } = await running(2);
    const update = await service
      .from('tasks')
      .update({ status: 'completed', completed_at: new Date().toISOString() })
      .eq('id', tasks[0]!.id);
    expect(update.error?.code).toBe('42501');
    const insert = await service.from('tasks').insert({
      organisation_id: organisationId,
      name: 'Forged step',
      sequence_instance_id: instance.id,
      sequence_step_order: 3,
    });
    expect(insert.error?.code).toBe('42501');
    expect((await instanceTasks(service, instance.id)).map((t) => t.status)).toEqual([
      'active',
      'pending',
    ]);
  });

  it("a sequence task's due date cannot be edited directly; an ad-hoc task's can", async () => {
    const { tasks } = await running(2);
    const due = new Date(Date.now() + DAY_MS).toISOString();
    const sequenceTask = await rep.client
      .from('tasks')
      .update({ due_date: due })
      .eq('id', tasks[0]!.id);
    expect(sequenceTask.error?.code).toBe('42501');

    const { data: adHoc } = await rep.client
      .from('tasks')
      .insert({ organisation_id: organisationId, name: 'Flexible task' })
      .select()
      .single();
    const adHocUpdate = await rep.client
      .from('tasks')
      .update({ due_date: due, name: 'Flexible task, rescheduled' })
      .eq('id', adHoc!.id)
      .select()
      .single();
    expect(adHocUpdate.error).toBeNull();
    expect(ms(adHocUpdate.data!.due_date)).toBe(ms(due));
  });

  it('a sequence task cannot be deleted directly, only through delete_sequence_task', async () => {
    const { instance, tasks } = await running(2);
    const { error } = await rep.client.from('tasks').delete().eq('id', tasks[0]!.id);
    expect(error?.code).toBe('42501');
    expect(await instanceTasks(service, instance.id)).toHaveLength(2);
  });

  it('sequence instances cannot be written directly, even by the service role', async () => {
    const { instance } = await running(2);
    const byUser = await rep.client
      .from('sequence_instances')
      .update({ status: 'completed' } as never)
      .eq('id', instance.id);
    expect(byUser.error?.code).toBe('42501');
    const byService = await service
      .from('sequence_instances')
      .update({ status: 'cancelled', cancelled_at: new Date().toISOString() })
      .eq('id', instance.id);
    expect(byService.error?.code).toBe('42501');
    expect((await readInstance(service, instance.id)).status).toBe('active');
  });
});

describe('save_sequence_template', () => {
  it('creates a template with its steps in order', async () => {
    const { data, error } = await rep.client.rpc('save_sequence_template', {
      p_template: {
        organisation_id: organisationId,
        name: '  New Leads  ',
        tags: ['inbound', 'q4'],
        exit_stages: ['won'],
      },
      p_steps: [
        { name: 'Call', type: 'call', delay_value: 0 },
        { name: 'Email', type: 'email', delay_value: 2, delay_unit: 'hours', priority: 'high' },
      ],
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      name: 'New Leads',
      tags: ['inbound', 'q4'],
      exit_stages: ['won'],
      created_by: rep.id,
      usage_count: 0,
      is_active: true,
    });
    const { data: saved } = await rep.client
      .from('sequence_steps')
      .select('step_order, name, type, delay_value, delay_unit, priority')
      .eq('sequence_template_id', data!.id)
      .order('step_order');
    expect(saved).toEqual([
      {
        step_order: 1,
        name: 'Call',
        type: 'call',
        delay_value: 0,
        delay_unit: 'days',
        priority: 'medium',
      },
      {
        step_order: 2,
        name: 'Email',
        type: 'email',
        delay_value: 2,
        delay_unit: 'hours',
        priority: 'high',
      },
    ]);
  });

  it('reorders, keeps the ids of listed steps and deletes the others, in one call', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(3));
    const { data: before } = await rep.client
      .from('sequence_steps')
      .select('id, name')
      .eq('sequence_template_id', tpl.id)
      .order('step_order');
    const [one, two, three] = before!;
    const { error } = await rep.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id, name: 'Renamed template' },
      p_steps: [
        { id: three!.id, name: 'Step 3' },
        { name: 'Brand new' },
        { id: one!.id, name: 'Step 1' },
      ],
    });
    expect(error).toBeNull();
    const { data: after } = await rep.client
      .from('sequence_steps')
      .select('id, name, step_order')
      .eq('sequence_template_id', tpl.id)
      .order('step_order');
    expect(after!.map((s) => s.name)).toEqual(['Step 3', 'Brand new', 'Step 1']);
    expect(after![0]!.id).toBe(three!.id);
    expect(after![2]!.id).toBe(one!.id);
    expect(after!.some((s) => s.id === two!.id)).toBe(false);
  });

  it('an update keeps every key it does not name, and p_steps null keeps the steps', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(2), {
      description: 'First words',
      tags: ['kept'],
      exit_stages: ['won'],
      start_delay_value: 3,
      start_delay_unit: 'hours',
      metadata: { source: 'test' },
      is_active: false,
    });
    // No name: an upsert proposing a row without one would break NOT NULL before it updates.
    const { data, error } = await rep.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id, tags: ['changed'], is_active: null },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      id: tpl.id,
      name: tpl.name,
      description: 'First words',
      tags: ['changed'],
      exit_stages: ['won'],
      start_delay_value: 3,
      start_delay_unit: 'hours',
      metadata: { source: 'test' },
      is_active: false,
      created_by: rep.id,
    });
    const { count } = await rep.client
      .from('sequence_steps')
      .select('id', { count: 'exact', head: true })
      .eq('sequence_template_id', tpl.id);
    expect(count).toBe(2);
  });

  it("an unknown template id, or another organisation's, is a 404 and creates nothing", async () => {
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    const { error } = await rep.client.rpc('save_sequence_template', {
      p_template: { id: unknown, organisation_id: organisationId, name: 'Ghost template' },
    });
    expect(error?.code).toBe('P0002');
    expect(error?.message).toBe('sequence template not found');
    const { data: ghosts } = await service
      .from('sequence_templates')
      .select('id')
      .eq('id', unknown);
    expect(ghosts).toEqual([]);

    const tpl = await createTemplate(rep, organisationId, steps(1));
    const byOutsider = await outsider.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id, name: 'Taken over' },
    });
    expect(byOutsider.error?.code).toBe('P0002');
    const { data: still } = await service
      .from('sequence_templates')
      .select('name')
      .eq('id', tpl.id)
      .single();
    expect(still?.name).toBe(tpl.name);
  });

  it("a member cannot change someone else's template (42501); an admin can", async () => {
    const tpl = await createTemplate(owner, organisationId, steps(1));
    const byRep = await rep.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id, name: 'Hijacked' },
    });
    expect(byRep.error?.code).toBe('42501');
    const byAdmin = await admin.client.rpc('save_sequence_template', {
      p_template: { id: tpl.id, name: 'Tidied by admin' },
    });
    expect(byAdmin.error).toBeNull();
    expect(byAdmin.data?.name).toBe('Tidied by admin');
  });

  it('a name under 3 characters is refused (23514)', async () => {
    const { error } = await rep.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationId, name: 'ab' },
    });
    expect(error?.code).toBe('23514');
  });

  it('an outsider cannot create a template in the organisation (42501)', async () => {
    const { error } = await outsider.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationId, name: 'Outsider template' },
    });
    expect(error?.code).toBe('42501');
  });
});

describe('sequence_template_stats', () => {
  it('counts instances by status and, per step, how many reached, completed and skipped it', async () => {
    const tpl = await createTemplate(rep, organisationId, steps(3));
    const a = await startSequence(
      rep,
      tpl.id,
      (await createRestaurant(service, organisationId)).id,
    );
    const b = await startSequence(
      rep,
      tpl.id,
      (await createRestaurant(service, organisationId)).id,
    );
    const aTasks = await instanceTasks(service, a.id);
    await taskRpc(rep, 'complete_task', aTasks[0]!.id);
    await taskRpc(rep, 'skip_task', aTasks[1]!.id);
    await taskRpc(rep, 'complete_task', aTasks[2]!.id);
    await rep.client.rpc('cancel_sequence', { p_instance_id: b.id });

    const { data, error } = await rep.client.rpc('sequence_template_stats', {
      p_template_id: tpl.id,
    });
    expect(error).toBeNull();
    const stats = data as {
      started: number;
      active: number;
      completed: number;
      cancelled: number;
      steps: {
        step_order: number;
        reached: number;
        completed: number;
        skipped: number;
        median_seconds: number | null;
      }[];
    };
    expect(stats).toMatchObject({ started: 2, active: 0, completed: 1, cancelled: 1 });
    expect(stats.steps.map((s) => [s.step_order, s.reached, s.completed, s.skipped])).toEqual([
      [1, 2, 1, 0],
      [2, 1, 0, 1],
      [3, 1, 1, 0],
    ]);
    expect(stats.steps[0]!.median_seconds).toBeGreaterThanOrEqual(0);
    expect(stats.steps[1]!.median_seconds).toBeNull();
  });

  it("another organisation's template is not found (404)", async () => {
    const tpl = await createTemplate(rep, organisationId, steps(1));
    const { error } = await outsider.client.rpc('sequence_template_stats', {
      p_template_id: tpl.id,
    });
    expect(error?.code).toBe('P0002');
  });
});

describe('more edge cases', () => {
  it('pausing a paused instance only changes its resume_at', async () => {
    const { instance } = await running(2);
    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    const first = await readInstance(service, instance.id);
    const until = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const { data, error } = await rep.client.rpc('pause_sequence', {
      p_instance_id: instance.id,
      p_resume_at: until,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'paused', paused_at: first.paused_at });
    expect(ms(data!.resume_at)).toBe(ms(until));
  });

  it('an instance keeps running from its snapshot when its template is deleted', async () => {
    const { tpl, instance, tasks } = await running(3);
    const { data, error } = await rep.client.rpc('move_to_trash', {
      p_kind: 'sequence_template',
      p_ids: [tpl.id],
    });
    expect(error).toBeNull();
    expect(data).toEqual([{ id: tpl.id }]);
    // Purged for good (the trash's 30 days skipped), the instance loses only the link.
    await service.from('sequence_templates').delete().eq('id', tpl.id);
    expect((await readInstance(service, instance.id)).sequence_template_id).toBeNull();
    const result = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(result.next_task?.id).toBe(tasks[1]!.id);
  });

  it('a step with a message template gets its subject and message rendered, fallbacks included', async () => {
    const { data: messageTemplate } = await rep.client
      .from('message_templates')
      .insert({
        organisation_id: organisationId,
        name: 'Hello',
        subject: 'News for {restaurant_name}',
        message_content: 'Hi {contact_first_name|there}, from {rep_first_name}',
      })
      .select()
      .single();
    const tpl = await createTemplate(rep, organisationId, [
      { name: 'Say hello', type: 'email', message_template_id: messageTemplate!.id },
    ]);
    const restaurant = await createRestaurant(service, organisationId, { name: 'No Contact Cafe' });
    const instance = await startSequence(rep, tpl.id, restaurant.id);
    const [task] = await instanceTasks(service, instance.id);
    expect(task).toMatchObject({
      message_template_id: messageTemplate!.id,
      subject: 'News for No Contact Cafe',
      message: `Hi there, from ${rep.fullName.split(' ')[0]}`,
      metadata: {},
    });
  });

  it("a step's assignee override assigns its task", async () => {
    const tpl = await createTemplate(rep, organisationId, [
      { name: 'Mine' },
      { name: "Admin's", assigned_to_override: admin.id },
    ]);
    const restaurant = await createRestaurant(service, organisationId);
    const instance = await startSequence(rep, tpl.id, restaurant.id);
    expect((await instanceTasks(service, instance.id)).map((t) => t.assigned_to)).toEqual([
      rep.id,
      admin.id,
    ]);
  });

  it('an inserted task takes what it lacks from its task template', async () => {
    const { data: taskTemplate } = await rep.client
      .from('task_templates')
      .insert({
        organisation_id: organisationId,
        name: 'Tasting visit',
        type: 'internal_activity',
        priority: 'high',
        default_message: 'Bring samples to {restaurant_name}',
      })
      .select()
      .single();
    const { instance, restaurant } = await running(2);
    const { data, error } = await rep.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: null as never,
      p_task: { task_template_id: taskTemplate!.id },
    });
    expect(error).toBeNull();
    expect(asTaskResult(data).task).toMatchObject({
      name: 'Tasting visit',
      priority: 'high',
      task_template_id: taskTemplate!.id,
      message: `Bring samples to ${restaurant.name}`,
      sequence_step_order: 3,
      status: 'pending',
    });
  });

  it('deleting the active task of a paused instance leaves the next one pending until resume', async () => {
    const { instance, tasks } = await running(3);
    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    const result = await taskRpc(rep, 'delete_sequence_task', tasks[0]!.id);
    expect(result.next_task).toBeNull();
    expect(result.instance).toMatchObject({ status: 'paused', current_step_order: 1 });
    expect(result.warnings).toEqual([
      'the sequence is paused: the next step becomes active when it resumes',
    ]);
    await rep.client.rpc('resume_sequence', { p_instance_id: instance.id });
    expect((await activeTask(service, instance.id)).id).toBe(tasks[1]!.id);
  });

  it('deleting a restaurant takes its instances and their tasks into the trash, then purges them', async () => {
    const { restaurant, instance } = await running(2);
    // The rep neither created nor is assigned this restaurant: the owner deletes it.
    const { error } = await owner.client.rpc('move_to_trash', {
      p_kind: 'restaurant',
      p_ids: [restaurant.id],
    });
    expect(error).toBeNull();
    expect(
      (await rep.client.from('sequence_instances').select('id').eq('id', instance.id)).data,
    ).toEqual([]);
    expect(
      (await rep.client.from('tasks').select('id').eq('sequence_instance_id', instance.id)).data,
    ).toEqual([]);

    // Purged (as purge_trash does after 30 days): the cascade removes them for good.
    await service.from('restaurants').delete().eq('id', restaurant.id);
    expect(
      (await service.from('sequence_instances').select('id').eq('id', instance.id)).data,
    ).toEqual([]);
    expect(await instanceTasks(service, instance.id)).toEqual([]);
  });
});

describe('when the rep leaves the organisation', () => {
  it('their instances and tasks are unassigned, and restarts and inserted tasks go to the caller', async () => {
    const leaver = await fx.user('leaver');
    await fx.addMember(owner, organisationId, leaver, 'member');
    const tpl = await createTemplate(rep, organisationId, steps(2));
    const restaurant = await createRestaurant(service, organisationId);
    const instance = await startSequence(rep, tpl.id, restaurant.id, leaver.id);
    expect(instance.assigned_to).toBe(leaver.id);

    await leaver.client
      .from('organisation_members')
      .delete()
      .eq('organisation_id', organisationId)
      .eq('user_id', leaver.id);
    expect((await readInstance(service, instance.id)).assigned_to).toBeNull();
    expect((await instanceTasks(service, instance.id)).map((t) => t.assigned_to)).toEqual([
      null,
      null,
    ]);

    const { data, error } = await rep.client.rpc('insert_sequence_task', {
      p_instance_id: instance.id,
      p_position: 2,
      p_task: { name: 'Hand over' },
    });
    expect(error).toBeNull();
    expect(asTaskResult(data).task.assigned_to).toBe(rep.id);

    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const restarted = await rep.client.rpc('restart_sequence', { p_instance_id: instance.id });
    expect(restarted.error).toBeNull();
    expect(restarted.data?.assigned_to).toBe(rep.id);
  });
});
