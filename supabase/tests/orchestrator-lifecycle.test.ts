import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { env } from './support/env.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  echoStep,
  events,
  insertJobs,
  insertRawWorkflow,
  invokeOrchestrator,
  isFinal,
  job,
  ownerDb,
  runOrchestrator,
  saveWorkflow,
  waitForJob,
} from './support/orchestrator.ts';

// Seed 003 iterations 5–8 through the real path: jobs inserted by hand as the database owner,
// the workflow-orchestrator function invoked over HTTP, the execute-echo executor called by
// it. The stack's cron may run the orchestrator too, so every assertion polls for outcomes.

const fx = createFixtures('orch-life');
let owner: TestUser;
let member: TestUser;
let organisationId: string;
let db: pg.Client;

beforeAll(async () => {
  const users = await fx.users('owner', 'member');
  owner = users.owner;
  member = users.member;
  organisationId = await fx.organisation(owner, { members: [member] });
  db = await ownerDb();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

const jobsOf = (workflow: { id: string; version: number }, inputs: unknown[]) =>
  insertJobs(db, { organisationId, userId: member.id, workflow, inputs });

describe('who may run the orchestrator', () => {
  it('refuses a call without a token (401)', async () => {
    const res = await fetch(`${env.url}/functions/v1/workflow-orchestrator`, { method: 'POST' });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it("refuses a signed-in user's token (403 forbidden)", async () => {
    const { data } = await member.client.auth.getSession();
    const res = await invokeOrchestrator({}, data.session!.access_token);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('refuses the anon key (403 forbidden)', async () => {
    const res = await invokeOrchestrator({}, env.anonKey);
    expect(res.status).toBe(403);
  });

  it('rejects out-of-bounds options (400)', async () => {
    for (const body of [
      { batch_size: 0 },
      { budget_ms: -1 },
      { lease_seconds: 99999 },
      { worker: 'a b' },
      { workflow_ids: ['not-a-uuid'] },
    ]) {
      const res = await invokeOrchestrator(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('answers the service role with counts', async () => {
    const res = await runOrchestrator({ budget_ms: 500 });
    expect(res).toMatchObject({
      claimed: expect.any(Number),
      succeeded: expect.any(Number),
      failed: expect.any(Number),
      lost: expect.any(Number),
      duration_ms: expect.any(Number),
    });
    expect(res.worker).toMatch(/^orchestrator:/);
  });
});

describe('picking up pending jobs (iteration 5)', () => {
  it('a manually inserted pending job becomes running from start_step, then completes', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'pickup',
      definition: {
        start_step: 'first',
        steps: {
          first: echoStep({
            input_map: { data: '$.job_input.payload', delay_ms: '$.job_input.delay_ms' },
          }),
        },
      },
    });
    const [id] = await jobsOf(workflow, [{ payload: 'hello', delay_ms: 1500 }]);
    const before = await job(db, id!);
    expect(before).toMatchObject({ status: 'pending', started_at: null, current_step_id: null });

    const run = runOrchestrator({ budget_ms: 5_000 });
    const running = await waitForJob(db, id!, (j) => j.status !== 'pending', {
      invoke: false,
      everyMs: 20,
    });
    expect(running.status).toBe('running');
    expect(running.current_step_id).toBe('first');
    expect(running.started_at).not.toBeNull();
    expect(new Date(running.last_updated_at).getTime()).toBeGreaterThan(
      new Date(before.last_updated_at).getTime(),
    );
    // Held by whichever orchestrator claimed it (ours or cron's).
    expect(running.locked_by).toEqual(expect.any(String));

    await run;
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'completed',
      step_data: { first: { echoed_data: 'hello' } },
      final_result: { echoed_data: 'hello' },
      locked_by: null,
    });
    expect(done.completed_at).not.toBeNull();
    expect((await events(db, id!)).map((e) => [e.event_type, e.from_status, e.to_status])).toEqual([
      ['created', null, 'pending'],
      ['claimed', 'pending', 'running'],
      ['step_succeeded', 'running', 'running'],
      ['completed', 'running', 'completed'],
    ]);
  });

  it('a job whose start_step is missing from its definition fails, not loops', async () => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'no-start',
      definition: { start_step: 'nowhere', steps: { first: echoStep() } },
    });
    const [id] = await jobsOf(workflow, [{ payload: 1 }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done.status).toBe('failed');
    expect(done.error_code).toBe('invalid_definition');
    expect(done.error_message).toMatch(/nowhere/);
    expect(done.retry_count).toBe(0);
  });

  it('a job whose definition has no start_step at all fails', async () => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'no-start-at-all',
      definition: { steps: {} },
    });
    const [id] = await jobsOf(workflow, [{}]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({ status: 'failed', error_code: 'invalid_definition' });
  });

  it('a step whose transformer does not exist fails without retrying', async () => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'ghost-transformer',
      definition: {
        start_step: 's',
        steps: { s: echoStep({ transformer_id: 'no-such-transformer' }) },
      },
    });
    const [id] = await jobsOf(workflow, [{ payload: 1 }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'failed',
      error_code: 'transformer_not_found',
      retry_count: 0,
    });
  });

  it('an unparsable JSONPath fails the step without retrying', async () => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'bad-path',
      definition: {
        start_step: 's',
        steps: { s: echoStep({ input_map: { data: '$.job_input[' } }) },
      },
    });
    const [id] = await jobsOf(workflow, [{ payload: 1 }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'failed',
      error_code: 'invalid_json_path',
      retry_count: 0,
    });
  });
});

describe('the claim query (iteration 5)', () => {
  it('takes due jobs oldest first up to its limit, starts them at start_step, and leaves jobs not yet due or finished', async () => {
    // Inside one transaction, rolled back: no other orchestrator (cron's) can see these
    // jobs, so what the claim returns is all there is to it.
    await db.query('begin');
    try {
      const workflow = await saveWorkflow(db, {
        organisationId,
        userId: owner.id,
        key: 'claim-order',
        definition: {
          start_step: 'first',
          steps: { first: { ...echoStep(), next_step: 'second' }, second: echoStep() },
        },
      });
      const insert = async (
        label: string,
        minutesAgo: number,
        status = 'pending',
      ): Promise<string> => {
        const { rows } = await db.query<{ id: string }>(
          `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id,
             input_data, status, created_at, available_at, completed_at)
           values ($1, $2, $3, $4, $5, $6, now() - make_interval(mins => $7),
             now() - make_interval(mins => $7),
             case when $6 in ('completed', 'failed', 'cancelled') then now() end)
           returning id`,
          [
            organisationId,
            workflow.id,
            workflow.version,
            member.id,
            JSON.stringify({ payload: label }),
            status,
            minutesAgo,
          ],
        );
        return rows[0]!.id;
      };
      // Inserted out of order on purpose.
      const newest = await insert('newest', 1);
      const oldest = await insert('oldest', 3);
      const notDue = await insert('not due', -60);
      const middle = await insert('middle', 2);
      const done = await insert('done', 10, 'completed');
      const cancelled = await insert('cancelled', 9, 'cancelled');
      const failed = await insert('failed', 8, 'failed');

      const claim = async (limit: number) => {
        const { rows } = await db.query<{
          claimed: {
            job_id: string;
            attempt: number;
            step_id: string;
            input_data: unknown;
            transformer: { id: string; target_function: string } | null;
          }[];
        }>(
          `select public.claim_workflow_steps('acceptance:claim', $1, 30, $2::uuid[]) as claimed`,
          [limit, [workflow.id]],
        );
        return rows[0]!.claimed;
      };

      // The two due longest, whichever order the claim lists them in (it hands them all
      // out at once).
      const first = await claim(2);
      expect(first.map((c) => c.job_id).sort()).toEqual([oldest, middle].sort());
      expect(first.find((c) => c.job_id === oldest)).toMatchObject({
        attempt: 1,
        step_id: 'first',
        input_data: { payload: 'oldest' },
        transformer: { id: 'echo-transformer', target_function: 'execute-echo' },
      });

      const { rows } = await db.query<{
        id: string;
        status: string;
        current_step_id: string | null;
        locked_by: string | null;
        started_now: boolean | null;
        lease_seconds: number;
      }>(
        `select id, status, current_step_id, locked_by,
           started_at = now() as started_now,
           extract(epoch from available_at - now())::int as lease_seconds
         from public.jobs where workflow_id = $1`,
        [workflow.id],
      );
      const row = Object.fromEntries(rows.map((r) => [r.id, r]));
      for (const id of [oldest, middle]) {
        expect(row[id]).toMatchObject({
          status: 'running',
          current_step_id: 'first',
          locked_by: 'acceptance:claim',
          started_now: true,
          lease_seconds: 30,
        });
      }
      expect(row[newest]).toMatchObject({
        status: 'pending',
        current_step_id: null,
        locked_by: null,
      });
      expect(row[newest]!.started_now).toBeNull();
      expect(row[done]!.status).toBe('completed');

      const claimedEvents = await db.query<{
        job_id: string;
        from_status: string;
        to_status: string;
      }>(
        `select job_id, from_status, to_status from public.job_events
         where event_type = 'claimed' and job_id = any($1::uuid[]) order by job_id`,
        [[oldest, middle, newest]],
      );
      expect(claimedEvents.rows).toEqual(
        [oldest, middle]
          .sort()
          .map((job_id) => ({ job_id, from_status: 'pending', to_status: 'running' })),
      );

      // The rest: only the one still due. Leased, future and finished jobs stay put.
      const second = await claim(10);
      expect(second.map((c) => c.job_id)).toEqual([newest]);
      expect(await claim(10)).toEqual([]);
      const untouched = await db.query<{ status: string; attempt: number }>(
        `select status, attempt from public.jobs where id = any($1::uuid[]) order by id`,
        [[notDue, done, cancelled, failed]],
      );
      expect(untouched.rows.every((r) => r.attempt === 0)).toBe(true);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('running steps and passing data (iterations 6–8)', () => {
  it("seed 003's example turns { payload: X } into final_result { result: X }", async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'seed-example',
      definition: {
        start_step: 'step1',
        steps: {
          step1: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.payload' },
            next_step: null,
          },
        },
        output_map: { result: '$.step1.output.echoed_data' },
      },
    });
    const payload = { text: 'hi', n: [1, 2, 3] };
    const [id] = await jobsOf(workflow, [{ payload }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'completed',
      final_result: { result: payload },
      step_data: { step1: { echoed_data: payload } },
    });
    const succeeded = (await events(db, id!)).find((e) => e.event_type === 'step_succeeded')!;
    expect(succeeded).toMatchObject({
      step_id: 'step1',
      transformer_id: 'echo-transformer',
      attempt: 1,
      data: { input: { data: payload }, output: { echoed_data: payload } },
    });
    expect(succeeded.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('data flows through three steps by JSONPath; step output_map reshapes; output_map builds the result', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'three-steps',
      definition: {
        start_step: 'fetch',
        steps: {
          fetch: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.order' },
            next_step: 'price',
          },
          price: {
            transformer_id: 'echo-transformer',
            // Reads the previous step's output and the step's own config.
            input_map: {
              data: '$.fetch.output.echoed_data.items[*].price',
              currency: '$.config.currency',
            },
            config: { currency: 'EUR' },
            // Keeps only what later steps need, renamed.
            output_map: { prices: '$.price.output.echoed_data' },
            next_step: 'summarise',
          },
          summarise: {
            transformer_id: 'echo-transformer',
            input_map: {
              data: '$.price.output.prices',
              customer: '$.job_input.order.customer',
              absent: '$.job_input.not_there',
            },
            next_step: null,
          },
        },
        output_map: {
          customer: '$.job_input.order.customer',
          prices: '$.summarise.output.echoed_data',
          first_item: '$.fetch.output.echoed_data.items[0].name',
        },
      },
    });
    const order = {
      customer: 'Ada',
      items: [
        { name: 'tea', price: 3 },
        { name: 'cake', price: 4.5 },
      ],
    };
    const [id] = await jobsOf(workflow, [{ order }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done.status).toBe('completed');
    expect(done.step_data).toEqual({
      fetch: { echoed_data: order },
      price: { prices: [3, 4.5] },
      summarise: { echoed_data: [3, 4.5] },
    });
    expect(done.final_result).toEqual({ customer: 'Ada', prices: [3, 4.5], first_item: 'tea' });
    expect(done.current_step_id).toBe('summarise');

    const history = await events(db, id!);
    expect(history.map((e) => `${e.event_type}:${e.step_id ?? ''}`)).toEqual([
      'created:',
      'claimed:fetch',
      'step_succeeded:fetch',
      'claimed:price',
      'step_succeeded:price',
      'claimed:summarise',
      'step_succeeded:summarise',
      'completed:summarise',
    ]);
    const price = history.find((e) => e.event_type === 'step_succeeded' && e.step_id === 'price')!;
    expect(price.data.input).toEqual({ data: [3, 4.5], currency: 'EUR' });
    // A path that matched nothing is recorded with the step, not silently dropped.
    const last = history.find(
      (e) => e.event_type === 'step_succeeded' && e.step_id === 'summarise',
    )!;
    expect(last.data.missing_inputs).toEqual([{ key: 'absent', path: '$.job_input.not_there' }]);
  });

  it("the step's transformer is fetched: its target function runs with the transformer's config under the step's", async () => {
    const transformerId = `greeter-${Date.now()}`;
    await db.query(
      `insert into public.transformers (id, organisation_id, type, config, target_function)
       values ($1, $2, 'echo', '{"greeting": "hello", "currency": "USD"}', 'execute-echo')`,
      [transformerId, organisationId],
    );
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'own-transformer',
      definition: {
        start_step: 'greet',
        steps: {
          greet: {
            transformer_id: transformerId,
            input_map: { data: '$.config' },
            config: { currency: 'EUR' },
            next_step: null,
          },
        },
      },
    });
    const [id] = await jobsOf(workflow, [{}]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'completed',
      step_data: { greet: { echoed_data: { greeting: 'hello', currency: 'EUR' } } },
    });
    const history = await events(db, id!);
    expect(history.find((e) => e.event_type === 'claimed')?.transformer_id).toBe(transformerId);
    expect(history.find((e) => e.event_type === 'step_succeeded')?.transformer_id).toBe(
      transformerId,
    );
  });

  it('many jobs of one workflow run in one invocation, each with its own data', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'many',
      definition: {
        start_step: 'a',
        steps: {
          a: { ...echoStep(), next_step: 'b' },
          b: echoStep({ input_map: { data: '$.a.output.echoed_data' } }),
        },
        output_map: { result: '$.b.output.echoed_data' },
      },
    });
    const ids = await jobsOf(
      workflow,
      Array.from({ length: 50 }, (_, i) => ({ payload: i })),
    );
    await runOrchestrator({ budget_ms: 10_000 });
    for (const id of ids) {
      const done = await waitForJob(db, id, isFinal);
      const { rows } = await db.query<{ input_data: { payload: number } }>(
        'select input_data from public.jobs where id = $1',
        [id],
      );
      expect(done.final_result).toEqual({ result: rows[0]!.input_data.payload });
    }
  });
});
