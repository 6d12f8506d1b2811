import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Json } from '@forkflow/db';
import {
  asTaskResult,
  connectAs,
  createRestaurant,
  createTemplate,
  instanceTasks,
  readInstance,
  startSequence,
  steps,
  taskRpc,
  type StepInput,
  type Task,
  type TaskResult,
} from './support/sequences.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// reopen_task, snooze_task, and complete_task/skip_task with a call outcome and a skip
// reason (issue 13 §2), through PostgREST as real users, plus a race with real concurrent
// connections. A reopened sequence step must put the instance back exactly as it was, and
// only while nothing of the sequence moved since.

const fx = createFixtures('task-reopen');
const service = fx.service;

let rep: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let organisationId: string;

beforeAll(async () => {
  ({ rep, colleague, outsider } = await fx.users('rep', 'colleague', 'outsider'));
  organisationId = await fx.organisation(rep, { members: [colleague] });
  await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

const inTwoDays = () => new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString();

/** An ad-hoc task written by the rep through the API. */
async function adHocTask(values: { type?: Task['type']; due_date?: string } = {}): Promise<Task> {
  const restaurant = await createRestaurant(service, organisationId);
  const { data, error } = await rep.client
    .from('tasks')
    .insert({
      organisation_id: organisationId,
      restaurant_id: restaurant.id,
      name: 'Ad-hoc follow-up',
      created_by: rep.id,
      due_date: values.due_date ?? inTwoDays(),
      ...(values.type ? { type: values.type } : {}),
    })
    .select()
    .single();
  if (error) throw new Error(`ad-hoc task: ${error.message}`);
  return data;
}

/** A running instance of `stepInputs` (three one-day steps by default); its tasks in order. */
async function running(stepInputs: StepInput[] = steps(3)) {
  const template = await createTemplate(rep, organisationId, stepInputs);
  const restaurant = await createRestaurant(service, organisationId);
  const instance = await startSequence(rep, template.id, restaurant.id);
  return { instance, tasks: await instanceTasks(service, instance.id) };
}

const readTask = async (id: string): Promise<Task> => {
  const { data, error } = await service.from('tasks').select().eq('id', id).single();
  if (error) throw new Error(`read task: ${error.message}`);
  return data;
};

/** What a reopen must leave as it found it (or put back): states, due dates, places. */
const shape = (tasks: Task[]) =>
  tasks.map((t) => ({
    order: t.sequence_step_order,
    status: t.status,
    due: t.due_date ? Date.parse(t.due_date) : null,
    activated: t.activated_at ? Date.parse(t.activated_at) : null,
  }));

const reopen = (user: TestUser, taskId: string) =>
  user.client.rpc('reopen_task', { p_task_id: taskId });

const meta = (task: Task) => task.metadata as Record<string, Json>;

describe('reopen_task: ad-hoc tasks', () => {
  it('a completed ad-hoc task is active again with its stamps and outcome cleared', async () => {
    const task = await adHocTask({ type: 'call' });
    await rep.client.rpc('complete_task', { p_task_id: task.id, p_outcome: 'voicemail' });
    expect(meta(await readTask(task.id)).call_outcome).toBe('voicemail');

    const { data, error } = await reopen(rep, task.id);
    expect(error).toBeNull();
    expect(asTaskResult(data).task.status).toBe('active');
    const after = await readTask(task.id);
    expect(after).toMatchObject({
      status: 'active',
      completed_at: null,
      completed_by: null,
      skipped_at: null,
    });
    expect(Date.parse(after.due_date!)).toBe(Date.parse(task.due_date!));
    expect(meta(after).call_outcome).toBeUndefined();
  });

  it('a skipped ad-hoc task is active again and loses its skip reason', async () => {
    const task = await adHocTask();
    await rep.client.rpc('skip_task', { p_task_id: task.id, p_reason: 'Owner on holiday' });
    expect(meta(await readTask(task.id)).skip_reason).toBe('Owner on holiday');

    expect((await reopen(colleague, task.id)).error).toBeNull();
    const after = await readTask(task.id);
    expect(after.status).toBe('active');
    expect(meta(after).skip_reason).toBeUndefined();
  });

  it('reopening an open task changes nothing and says so', async () => {
    const task = await adHocTask();
    const { data, error } = await reopen(rep, task.id);
    expect(error).toBeNull();
    expect(asTaskResult(data).warnings).toEqual(['this task is already open; nothing changed']);
    expect((await readTask(task.id)).updated_at).toBe(task.updated_at);
  });
});

describe('reopen_task: sequence steps', () => {
  it('undoing a completion puts the instance back: the step active with its old due date, the next pending', async () => {
    const { instance, tasks } = await running();
    const before = shape(tasks);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect((await instanceTasks(service, instance.id))[1]!.status).toBe('active');

    const { data, error } = await reopen(rep, tasks[0]!.id);
    expect(error).toBeNull();
    const result = asTaskResult(data);
    expect(result.instance).toMatchObject({ status: 'active', current_step_order: 1 });

    const after = await instanceTasks(service, instance.id);
    expect(shape(after)).toEqual(before);
    expect(meta(after[0]!).finished_snapshot).toBeUndefined();
  });

  it('undoing a skip of the last step reopens the completed instance', async () => {
    const { instance, tasks } = await running(steps(2));
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    const beforeLast = shape(await instanceTasks(service, instance.id));
    const last = await taskRpc(rep, 'skip_task', tasks[1]!.id);
    expect(last.instance?.status).toBe('completed');

    expect((await reopen(rep, tasks[1]!.id)).error).toBeNull();
    expect(await readInstance(service, instance.id)).toMatchObject({
      status: 'active',
      completed_at: null,
      current_step_order: 2,
    });
    expect(shape(await instanceTasks(service, instance.id))).toEqual(beforeLast);
  });

  it('undoing a step finished ahead of its turn makes it pending again, the active step untouched', async () => {
    const { instance, tasks } = await running();
    const before = shape(tasks);
    const ahead = await taskRpc(rep, 'complete_task', tasks[2]!.id);
    expect(ahead.warnings[0]).toMatch(/ahead of step 1/);

    expect((await reopen(rep, tasks[2]!.id)).error).toBeNull();
    expect(shape(await instanceTasks(service, instance.id))).toEqual(before);
  });

  it('undos in reverse order both succeed', async () => {
    const { instance, tasks } = await running();
    const before = shape(tasks);
    await taskRpc(rep, 'complete_task', tasks[0]!.id);
    await taskRpc(rep, 'complete_task', tasks[1]!.id);

    expect((await reopen(rep, tasks[1]!.id)).error).toBeNull();
    expect((await reopen(rep, tasks[0]!.id)).error).toBeNull();
    expect(shape(await instanceTasks(service, instance.id))).toEqual(before);
    expect((await readInstance(service, instance.id)).current_step_order).toBe(1);
  });

  it('undoing a step finished while the sequence was paused keeps it paused, on that step', async () => {
    const { instance, tasks } = await running();
    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    const before = shape(await instanceTasks(service, instance.id));
    const finished = await taskRpc(rep, 'complete_task', tasks[0]!.id);
    expect(finished.warnings).toContain(
      'the sequence is paused: the next step becomes active when it resumes',
    );
    expect((await readInstance(service, instance.id)).current_step_order).toBe(2);

    expect((await reopen(rep, tasks[0]!.id)).error).toBeNull();
    expect(shape(await instanceTasks(service, instance.id))).toEqual(before);
    expect(await readInstance(service, instance.id)).toMatchObject({
      status: 'paused',
      current_step_order: 1,
    });
  });

  describe('refused with the reason in words, changing nothing', () => {
    const refused = async (
      prepare: (tasks: Task[], instanceId: string) => Promise<void>,
      reason: RegExp,
    ) => {
      const { instance, tasks } = await running();
      await taskRpc(rep, 'complete_task', tasks[0]!.id);
      await prepare(tasks, instance.id);
      const before = shape(await instanceTasks(service, instance.id));
      const instanceBefore = await readInstance(service, instance.id);

      const { error, status } = await reopen(rep, tasks[0]!.id);
      expect(status).toBe(409);
      expect(error?.code).toBe('cannot_reopen');
      expect(error?.message).toMatch(reason);
      expect(shape(await instanceTasks(service, instance.id))).toEqual(before);
      expect((await readInstance(service, instance.id)).updated_at).toBe(instanceBefore.updated_at);
    };

    it('when the next step has been completed', () =>
      refused(async (tasks) => {
        await taskRpc(rep, 'complete_task', tasks[1]!.id);
      }, /^Step 1 cannot be reopened: step 2 has already been completed\.$/));

    it('when the next step has been snoozed', () =>
      refused(async (tasks) => {
        const { error } = await rep.client.rpc('snooze_task', {
          p_task_id: tasks[1]!.id,
          p_due_date: inTwoDays(),
        });
        expect(error).toBeNull();
      }, /step 2 has been rescheduled since/));

    it('when a later step was finished ahead of its turn', () =>
      refused(async (tasks) => {
        await taskRpc(rep, 'skip_task', tasks[2]!.id);
      }, /step 3 has already been skipped/));

    it('when a step has been added since', () =>
      refused(async (_tasks, instanceId) => {
        const { error } = await rep.client.rpc('insert_sequence_task', {
          p_instance_id: instanceId,
          p_position: null as unknown as number,
          p_task: { name: 'Extra step' },
        });
        expect(error).toBeNull();
      }, /the sequence has been edited since/));

    it('when a later step had its delay changed', () =>
      refused(async (tasks) => {
        const { error } = await rep.client.rpc('update_sequence_task_delay', {
          p_task_id: tasks[2]!.id,
          p_delay_value: 5,
          p_delay_unit: 'days',
        });
        expect(error).toBeNull();
      }, /the sequence has been edited since/));

    it('when the sequence has been paused', () =>
      refused(async (_tasks, instanceId) => {
        const { error } = await rep.client.rpc('pause_sequence', { p_instance_id: instanceId });
        expect(error).toBeNull();
      }, /the sequence has been paused since/));

    it('when the sequence has been cancelled', () =>
      refused(async (_tasks, instanceId) => {
        const { error } = await rep.client.rpc('cancel_sequence', { p_instance_id: instanceId });
        expect(error).toBeNull();
      }, /the sequence has been cancelled since/));
  });

  it('a task cancelled with its sequence cannot be reopened (409)', async () => {
    const { instance, tasks } = await running();
    await rep.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { error, status } = await reopen(rep, tasks[1]!.id);
    expect(status).toBe(409);
    expect(error?.message).toBe(
      'this task was cancelled with its sequence, so it cannot be reopened',
    );
  });
});

describe('call outcome and skip reason', () => {
  it('completing a call step records the outcome on the task', async () => {
    const { tasks } = await running([
      { name: 'Call the owner', type: 'call', delay_value: 0 },
      { name: 'Send the menu', type: 'email', delay_value: 1 },
    ]);
    const { data, error } = await rep.client.rpc('complete_task', {
      p_task_id: tasks[0]!.id,
      p_outcome: 'connected',
    });
    expect(error).toBeNull();
    expect(meta(asTaskResult(data).task).call_outcome).toBe('connected');
    expect(meta(await readTask(tasks[0]!.id)).call_outcome).toBe('connected');
  });

  it('an outcome for a task that is not a call is refused (400) and nothing changes', async () => {
    const task = await adHocTask({ type: 'email' });
    const { error, status } = await rep.client.rpc('complete_task', {
      p_task_id: task.id,
      p_outcome: 'connected',
    });
    expect(status).toBe(400);
    expect(error?.code).toBe('invalid_input');
    expect(error?.message).toMatch(/only for call tasks/);
    expect((await readTask(task.id)).status).toBe('active');
  });

  it('an unknown outcome is refused (400) and nothing changes', async () => {
    const task = await adHocTask({ type: 'call' });
    const { error, status } = await rep.client.rpc('complete_task', {
      p_task_id: task.id,
      p_outcome: 'hung_up',
    });
    expect(status).toBe(400);
    expect(error?.message).toBe('the call outcome must be connected, voicemail or no_answer');
    expect((await readTask(task.id)).status).toBe('active');
  });

  it('a skip reason over 500 characters is refused (400); a blank one is no reason', async () => {
    const task = await adHocTask();
    const long = await rep.client.rpc('skip_task', {
      p_task_id: task.id,
      p_reason: 'x'.repeat(501),
    });
    expect(long.status).toBe(400);
    expect((await readTask(task.id)).status).toBe('active');

    const blank = await rep.client.rpc('skip_task', { p_task_id: task.id, p_reason: '   ' });
    expect(blank.error).toBeNull();
    const after = await readTask(task.id);
    expect(after.status).toBe('skipped');
    expect(meta(after).skip_reason).toBeUndefined();
  });

  it('complete_task and skip_task still work with the task id alone', async () => {
    const { tasks } = await running();
    expect((await rep.client.rpc('complete_task', { p_task_id: tasks[0]!.id })).error).toBeNull();
    expect((await rep.client.rpc('skip_task', { p_task_id: tasks[1]!.id })).error).toBeNull();
  });
});

describe('snooze_task', () => {
  it('moves an ad-hoc task to a new due date (any member)', async () => {
    const task = await adHocTask();
    const due = new Date(Date.now() + 5 * 24 * 60 * 60 * 1000).toISOString();
    const { data, error } = await colleague.client.rpc('snooze_task', {
      p_task_id: task.id,
      p_due_date: due,
    });
    expect(error).toBeNull();
    expect(Date.parse((data as Task).due_date!)).toBe(Date.parse(due));
    expect(Date.parse((await readTask(task.id)).due_date!)).toBe(Date.parse(due));
  });

  it("moves a sequence's active step, which a plain update may not", async () => {
    const { tasks } = await running();
    const due = inTwoDays();
    const direct = await rep.client.from('tasks').update({ due_date: due }).eq('id', tasks[0]!.id);
    expect(direct.error?.code).toBe('42501');

    const { error } = await rep.client.rpc('snooze_task', {
      p_task_id: tasks[0]!.id,
      p_due_date: due,
    });
    expect(error).toBeNull();
    expect(Date.parse((await readTask(tasks[0]!.id)).due_date!)).toBe(Date.parse(due));
  });

  it('refuses a pending step, a finished task and a paused sequence (409), changing nothing', async () => {
    const { instance, tasks } = await running();
    const pending = await rep.client.rpc('snooze_task', {
      p_task_id: tasks[1]!.id,
      p_due_date: inTwoDays(),
    });
    expect(pending.status).toBe(409);
    expect(pending.error?.message).toMatch(/step 2 is not active yet/);

    await rep.client.rpc('pause_sequence', { p_instance_id: instance.id });
    const paused = await rep.client.rpc('snooze_task', {
      p_task_id: tasks[0]!.id,
      p_due_date: inTwoDays(),
    });
    expect(paused.status).toBe(409);
    expect(paused.error?.message).toMatch(/paused/);

    const done = await adHocTask();
    await rep.client.rpc('complete_task', { p_task_id: done.id });
    const finished = await rep.client.rpc('snooze_task', {
      p_task_id: done.id,
      p_due_date: inTwoDays(),
    });
    expect(finished.status).toBe(409);
    expect(finished.error?.message).toBe('this task is completed, so it cannot be snoozed');
    expect((await readTask(tasks[1]!.id)).due_date).toBeNull();
  });

  it('refuses a past or missing date (400), changing nothing', async () => {
    const task = await adHocTask();
    const past = await rep.client.rpc('snooze_task', {
      p_task_id: task.id,
      p_due_date: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.error?.message).toBe('the new due date is in the past');

    const missing = await rep.client.rpc('snooze_task', {
      p_task_id: task.id,
      p_due_date: null as unknown as string,
    });
    expect(missing.status).toBe(400);
    expect((await readTask(task.id)).updated_at).toBe(task.updated_at);
  });
});

describe('across organisations', () => {
  it("an outsider can reopen, snooze, complete or skip none of another organisation's tasks (404)", async () => {
    const openTask = await adHocTask({ type: 'call' });
    const doneTask = await adHocTask();
    await rep.client.rpc('complete_task', { p_task_id: doneTask.id });
    const doneBefore = await readTask(doneTask.id);

    const calls = [
      outsider.client.rpc('reopen_task', { p_task_id: doneTask.id }),
      outsider.client.rpc('snooze_task', { p_task_id: openTask.id, p_due_date: inTwoDays() }),
      outsider.client.rpc('complete_task', { p_task_id: openTask.id, p_outcome: 'connected' }),
      outsider.client.rpc('skip_task', { p_task_id: openTask.id, p_reason: 'not mine' }),
    ];
    for (const { error, status } of await Promise.all(calls)) {
      expect(status).toBe(404);
      expect(error?.code).toBe('P0002');
    }
    expect(await readTask(openTask.id)).toEqual(openTask);
    expect(await readTask(doneTask.id)).toEqual(doneBefore);
  });

  it('anon can call none of them', async () => {
    const task = await adHocTask();
    const anon = anonClient();
    const calls = [
      anon.rpc('reopen_task', { p_task_id: task.id }),
      anon.rpc('snooze_task', { p_task_id: task.id, p_due_date: inTwoDays() }),
      anon.rpc('complete_task', { p_task_id: task.id }),
      anon.rpc('skip_task', { p_task_id: task.id }),
    ];
    for (const { error } of await Promise.all(calls)) {
      expect(error).not.toBeNull();
    }
    expect(await readTask(task.id)).toEqual(task);
  });
});

describe('races (real concurrent connections)', () => {
  const ROUNDS = 20;
  let connections: pg.Client[] = [];

  beforeAll(async () => {
    connections = await Promise.all([connectAs(rep.id), connectAs(rep.id), connectAs(rep.id)]);
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.end()));
  });

  const call = (c: pg.Client, sql: string, taskId: string) => async (): Promise<TaskResult> =>
    (await c.query<{ r: TaskResult }>(sql, [taskId])).rows[0]!.r;

  it(`undo of step 1 against completing step 2 and a second undo, ${ROUNDS} rounds: one consistent outcome each time`, async () => {
    const template = await createTemplate(rep, organisationId, steps(3));
    for (let round = 0; round < ROUNDS; round++) {
      const restaurant = await createRestaurant(service, organisationId, { name: `Race ${round}` });
      const instance = await startSequence(rep, template.id, restaurant.id);
      const [first, second] = await instanceTasks(service, instance.id);
      await taskRpc(rep, 'complete_task', first!.id);

      const [c0, c1, c2] = connections as [pg.Client, pg.Client, pg.Client];
      const settled = await Promise.allSettled([
        call(c0, 'select public.reopen_task($1) as r', first!.id)(),
        call(c1, 'select public.complete_task($1) as r', second!.id)(),
        call(c2, 'select public.reopen_task($1) as r', first!.id)(),
      ]);
      const completion = settled[1];
      expect(completion.status, `round ${round}`).toBe('fulfilled');

      const reopens = [settled[0], settled[2]];
      const restored = reopens.filter(
        (s) => s.status === 'fulfilled' && s.value.warnings.length === 0,
      ).length;
      // At most one undo takes effect; the other sees an open task or the completed step.
      expect(restored, `round ${round}`).toBeLessThanOrEqual(1);
      for (const s of reopens) {
        if (s.status === 'rejected') {
          expect(String(s.reason), `round ${round}`).toMatch(/step 2 has already been completed/);
        }
      }

      const tasks = await instanceTasks(service, instance.id);
      const states = tasks.map((t) => t.status);
      const active = tasks.filter((t) => t.status === 'active');
      expect(active, `round ${round}: ${states.join(',')}`).toHaveLength(1);
      expect((await readInstance(service, instance.id)).current_step_order).toBe(
        active[0]!.sequence_step_order,
      );
      if (restored === 1) {
        // The undo came first; then step 2 was completed ahead of step 1.
        expect(states).toEqual(['active', 'completed', 'pending']);
      } else {
        expect(states).toEqual(['completed', 'completed', 'active']);
      }
    }
  });

  it(`undo of step 1 against snoozing step 2, ${ROUNDS} rounds: either the undo or the snooze, never both`, async () => {
    const template = await createTemplate(rep, organisationId, steps(3));
    const due = inTwoDays();
    for (let round = 0; round < ROUNDS; round++) {
      const restaurant = await createRestaurant(service, organisationId, {
        name: `Snooze race ${round}`,
      });
      const instance = await startSequence(rep, template.id, restaurant.id);
      const [first, second] = await instanceTasks(service, instance.id);
      await taskRpc(rep, 'complete_task', first!.id);

      const [c0, c1] = connections as [pg.Client, pg.Client];
      const [undo, snooze] = await Promise.allSettled([
        c0.query('select public.reopen_task($1)', [first!.id]),
        c1.query('select public.snooze_task($1, $2)', [second!.id, due]),
      ]);
      // Exactly one of them wins; the loser's refusal names what the winner did.
      expect([undo.status, snooze.status].sort(), `round ${round}`).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const tasks = await instanceTasks(service, instance.id);
      if (undo.status === 'fulfilled') {
        expect(String((snooze as PromiseRejectedResult).reason)).toMatch(
          /step 2 is not active yet/,
        );
        expect(tasks.map((t) => [t.status, t.due_date])).toEqual([
          ['active', first!.due_date],
          ['pending', null],
          ['pending', null],
        ]);
      } else {
        expect(String(undo.reason)).toMatch(/step 2 has been rescheduled since/);
        expect(tasks.map((t) => t.status)).toEqual(['completed', 'active', 'pending']);
        expect(Date.parse(tasks[1]!.due_date!)).toBe(Date.parse(due));
      }
    }
  });
});
