import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate, type BusinessCalendar } from '@forkflow/domain/business-calendar';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  DAY_MS,
  DEMO_FOLLOW_UP_STEPS,
  createRestaurant,
  createTemplate,
  instanceTasks,
  ms,
  startSequence,
  taskRpc,
  type Task,
} from './support/sequences.ts';

// Seed 001's "Demo Follow-up" (7 steps: 0, 1, 1, 1, 1, 3, 7 days) run end to end by a rep
// through PostgREST: every completion activates exactly the next step, due its delay
// after the completion the RPC reports, in the organisation's business calendar.

const fx = createFixtures('demo-follow-up');
const service = fx.service;

afterAll(() => fx.cleanup());

const delays = DEMO_FOLLOW_UP_STEPS.map((s) => s.delay_value!);

/** Runs the whole sequence; `check` sees each newly active task and the completion it followed. */
async function runDemoFollowUp(
  rep: TestUser,
  organisationId: string,
  check: (active: Task, from: string, stepIndex: number) => void,
) {
  const template = await createTemplate(rep, organisationId, DEMO_FOLLOW_UP_STEPS, {
    name: 'Demo Follow-up',
  });
  const restaurant = await createRestaurant(service, organisationId, { name: 'Bella Pizza' });
  const instance = await startSequence(rep, template.id, restaurant.id);
  expect(instance.name).toMatch(/^Demo Follow-up – Bella Pizza – \d{4}-\d{2}-\d{2}$/);

  const tasks = await instanceTasks(service, instance.id);
  expect(tasks.map((t) => t.name)).toEqual(DEMO_FOLLOW_UP_STEPS.map((s) => s.name));
  expect(tasks.map((t) => t.status)).toEqual(['active', ...Array(6).fill('pending')]);
  check(tasks[0]!, instance.started_at, 0);

  let active = tasks[0]!;
  for (let i = 1; i < tasks.length; i++) {
    const result = await taskRpc(rep, 'complete_task', active.id);
    expect(result.warnings).toEqual([]);
    expect(result.task.status).toBe('completed');
    expect(result.next_task?.id).toBe(tasks[i]!.id);
    expect(result.instance).toMatchObject({ status: 'active', current_step_order: i + 1 });

    // Exactly the next step is active; everything after it is still pending with no date.
    const now = await instanceTasks(service, instance.id);
    expect(now.map((t) => t.status)).toEqual([
      ...Array(i).fill('completed'),
      'active',
      ...Array(tasks.length - i - 1).fill('pending'),
    ]);
    expect(now.slice(i + 1).every((t) => t.due_date === null)).toBe(true);

    check(result.next_task!, result.task.completed_at!, i);
    active = result.next_task!;
  }

  const last = await taskRpc(rep, 'complete_task', active.id);
  expect(last.next_task).toBeNull();
  expect(last.instance).toMatchObject({ status: 'completed', current_step_order: 7 });
  return instance.id;
}

describe('Demo Follow-up in a calendar open around the clock', () => {
  let rep: TestUser;
  let organisationId: string;

  beforeAll(async () => {
    const users = await fx.users('owner', 'rep');
    rep = users.rep;
    organisationId = await fx.organisation(users.owner, { members: [rep] });
  });

  it('each completion activates exactly the next step, due its delay in days after the completion', async () => {
    const dueOffsets: number[] = [];
    await runDemoFollowUp(rep, organisationId, (active, from, i) => {
      dueOffsets.push(ms(active.due_date) - ms(from));
      expect(active.activated_at).toBe(from);
      expect(i).toBe(dueOffsets.length - 1);
    });
    expect(dueOffsets).toEqual(delays.map((d) => d * DAY_MS));
  });
});

describe('Demo Follow-up in a calendar with working hours', () => {
  // Mon–Fri, never during lunch or dinner service.
  const calendar: BusinessCalendar = {
    time_zone: 'Europe/London',
    working_days: [1, 2, 3, 4, 5],
    windows: [
      { start: '09:00', end: '11:30' },
      { start: '14:30', end: '17:30' },
    ],
    holidays: [],
  };

  const london = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  /** Whether an instant is inside one of the windows on a working day, in London. */
  function insideOpenWindow(at: Date): boolean {
    const parts = Object.fromEntries(london.formatToParts(at).map((p) => [p.type, p.value]));
    if (['Sat', 'Sun'].includes(parts.weekday!)) return false;
    const seconds = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
    return (
      (seconds >= 9 * 3600 && seconds < 11.5 * 3600) ||
      (seconds >= 14.5 * 3600 && seconds < 17.5 * 3600)
    );
  }

  let rep: TestUser;
  let organisationId: string;

  beforeAll(async () => {
    const users = await fx.users('owner', 'rep');
    rep = users.rep;
    organisationId = await fx.organisation(users.owner, { members: [rep] });
    const { error } = await users.owner.client.from('business_calendars').insert({
      organisation_id: organisationId,
      ...calendar,
    });
    if (error) throw new Error(`business calendar: ${error.message}`);
  });

  it('every due date lands inside an open window and matches the shared due-date maths', async () => {
    const seen: string[] = [];
    await runDemoFollowUp(rep, organisationId, (active, from, i) => {
      const due = new Date(ms(active.due_date));
      seen.push(active.due_date!);
      expect(insideOpenWindow(due), `step ${i + 1} due ${active.due_date}`).toBe(true);
      expect(due.getTime()).toBeGreaterThanOrEqual(ms(from));
      // The SQL is authoritative; packages/domain must agree with it (previews use it).
      const expected = dueDate(new Date(ms(from)), { value: delays[i]!, unit: 'days' }, calendar);
      expect(due.toISOString()).toBe(expected.toISOString());
    });
    expect(seen).toHaveLength(7);
  });
});
