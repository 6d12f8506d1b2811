import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { SEQUENCE_MAX_STEPS } from '../../packages/domain/src/sequence-template.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  adminDb,
  connectAs,
  createRestaurant,
  createTemplate,
  startSequence,
  steps,
  type TaskResult,
} from './support/sequences.ts';

// Race tests with real concurrent connections: each pg.Client is its own Postgres
// backend acting as the rep exactly as PostgREST would (role authenticated + JWT claims),
// and every call of a round is sent before any answer is awaited. The RPCs lock the
// instance row before reading task states, so concurrent calls queue on that lock and
// each later one sees what the earlier ones committed.

const CONNECTIONS = 8;
const ROUNDS = 200;

const fx = createFixtures('seq-races');
const service = fx.service;

let rep: TestUser;
let organisationId: string;
let admin: pg.Client;
let connections: pg.Client[] = [];

beforeAll(async () => {
  const users = await fx.users('owner', 'rep');
  rep = users.rep;
  organisationId = await fx.organisation(users.owner, { members: [rep] });
  admin = await adminDb();
  connections = await Promise.all(Array.from({ length: CONNECTIONS }, () => connectAs(rep.id)));
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.end()));
  await admin?.end();
  await fx.cleanup();
});

interface Counts {
  active: number;
  completed: number;
  pending: number;
  active_order: number | null;
  current_step_order: number;
  instance_status: string;
}

/** The instance's task counts and where it thinks it is, read by the superuser. */
async function counts(instanceId: string): Promise<Counts> {
  const { rows } = await admin.query<Counts>(
    `select count(*) filter (where t.status = 'active')::int as active,
            count(*) filter (where t.status = 'completed')::int as completed,
            count(*) filter (where t.status = 'pending')::int as pending,
            min(t.sequence_step_order) filter (where t.status = 'active') as active_order,
            i.current_step_order, i.status as instance_status
     from public.sequence_instances as i
     join public.tasks as t on t.sequence_instance_id = i.id
     where i.id = $1
     group by i.id`,
    [instanceId],
  );
  return rows[0]!;
}

async function taskIdAt(instanceId: string, order: number): Promise<string> {
  const { rows } = await admin.query<{ id: string }>(
    `select id from public.tasks where sequence_instance_id = $1 and sequence_step_order = $2`,
    [instanceId, order],
  );
  return rows[0]!.id;
}

/** Sends every call before awaiting any; returns results and errors in call order. */
function together<T>(calls: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(calls.map((call) => call()));
}

const completeOn = (client: pg.Client, taskId: string) => async (): Promise<TaskResult> =>
  (await client.query<{ r: TaskResult }>('select public.complete_task($1) as r', [taskId])).rows[0]!
    .r;

describe('concurrent completions', () => {
  it(`the same task completed from ${CONNECTIONS} connections at once, ${ROUNDS} rounds, activates exactly one next step per round`, async () => {
    // Instances of the longest template a sequence may have serve the rounds: an
    // instance's round k completes its step k from all connections.
    const template = await createTemplate(rep, organisationId, steps(SEQUENCE_MAX_STEPS, 0));

    let activations = 0;
    let noOps = 0;
    for (let done = 0; done < ROUNDS;) {
      const restaurant = await createRestaurant(service, organisationId, {
        name: `Race Track ${done}`,
      });
      const instance = await startSequence(rep, template.id, restaurant.id);
      const rounds = Math.min(SEQUENCE_MAX_STEPS - 1, ROUNDS - done);
      let activeId = await taskIdAt(instance.id, 1);
      for (let round = 1; round <= rounds; round++) {
        const settled = await together(connections.map((c) => completeOn(c, activeId)));
        const results = settled.map((s) => {
          if (s.status === 'rejected') throw s.reason;
          return s.value;
        });

        const activated = results.filter((r) => r.next_task !== null);
        expect(activated, `round ${done + round}`).toHaveLength(1);
        expect(results.filter((r) => r.warnings.length > 0)).toHaveLength(CONNECTIONS - 1);
        activations += activated.length;
        noOps += results.length - activated.length;

        const now = await counts(instance.id);
        expect(now, `round ${done + round}`).toMatchObject({
          active: 1,
          completed: round,
          active_order: round + 1,
          current_step_order: round + 1,
        });
        activeId = activated[0]!.next_task!.id;
      }
      done += rounds;
    }

    expect(activations).toBe(ROUNDS);
    expect(noOps).toBe(ROUNDS * (CONNECTIONS - 1));
    console.log(
      `same task from ${CONNECTIONS} connections: ${ROUNDS} rounds, ${activations} activations, ${noOps} no-op completions`,
    );
  });

  it('completions of two different steps of one instance at once leave a consistent instance', async () => {
    // 60 pairs over instances of the longest template: a pair uses up to three steps.
    const pairsPerInstance = Math.floor((SEQUENCE_MAX_STEPS - 3) / 3);
    const template = await createTemplate(rep, organisationId, steps(SEQUENCE_MAX_STEPS, 0));
    const [a, b] = connections;
    let instance!: Awaited<ReturnType<typeof startSequence>>;

    for (let pair = 0; pair < 60; pair++) {
      const round = pair % pairsPerInstance;
      if (round === 0) {
        const restaurant = await createRestaurant(service, organisationId, {
          name: `Two Step ${pair}`,
        });
        instance = await startSequence(rep, template.id, restaurant.id);
      }
      const before = await counts(instance.id);
      const active = before.active_order!;
      // Alternate: the active step with the first pending one after it, or with the second.
      const { rows: pending } = await admin.query<{ order: number }>(
        `select sequence_step_order as order from public.tasks
         where sequence_instance_id = $1 and status = 'pending'
         order by sequence_step_order limit 2`,
        [instance.id],
      );
      const ahead = pending[round % 2]!.order;
      const expectedActive = round % 2 === 0 ? pending[1]!.order : pending[0]!.order;
      const [activeId, aheadId] = await Promise.all([
        taskIdAt(instance.id, active),
        taskIdAt(instance.id, ahead),
      ]);
      const settled = await together([completeOn(a!, activeId), completeOn(b!, aheadId)]);
      expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);

      const after = await counts(instance.id);
      expect(after, `round ${round}`).toMatchObject({
        active: 1,
        active_order: expectedActive,
        current_step_order: expectedActive,
        completed: before.completed + 2,
        instance_status: 'active',
      });
      // Everything before the active step is done; nothing after it is active.
      const { rows } = await admin.query<{ open_before: number }>(
        `select count(*)::int as open_before from public.tasks
         where sequence_instance_id = $1 and sequence_step_order < $2 and status not in ('completed', 'skipped')`,
        [instance.id, expectedActive],
      );
      expect(rows[0]!.open_before).toBe(0);
    }
  });
});

describe('concurrent starts', () => {
  it('start_sequence on the same restaurant twice at once makes one instance', async () => {
    const template = await createTemplate(rep, organisationId, steps(5));
    const [a, b] = connections;
    for (let round = 0; round < 20; round++) {
      const restaurant = await createRestaurant(service, organisationId, {
        name: `Double Start ${round}`,
      });
      const start = (client: pg.Client) => () =>
        client.query('select (public.start_sequence($1, $2)).id', [template.id, restaurant.id]);
      const settled = await together([start(a!), start(b!)]);

      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
      const failure = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
      expect((failure.reason as { code?: string }).code).toBe('23505');

      const { rows } = await admin.query<{ instances: number; tasks: number }>(
        `select count(distinct i.id)::int as instances, count(t.id)::int as tasks
         from public.sequence_instances as i
         left join public.tasks as t on t.sequence_instance_id = i.id
         where i.restaurant_id = $1`,
        [restaurant.id],
      );
      expect(rows[0]).toEqual({ instances: 1, tasks: 5 });
    }
  });
});
