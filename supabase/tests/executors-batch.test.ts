// The batch form of the executor protocol (_shared/executor-protocol.ts) over HTTP through the
// gateway, and the orchestrator sending a claim's steps for one executor in one request: each
// step gets its own result or error, and one step's failure touches no other step.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { env } from './support/env.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  events,
  insertJobs,
  isFinal,
  job,
  ownerDb,
  saveWorkflow,
  waitForJob,
} from './support/orchestrator.ts';

const post = (body: unknown) =>
  fetch(`${env.url}/functions/v1/execute-echo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      Authorization: `Bearer ${env.serviceRoleKey}`,
    },
    body: JSON.stringify(body),
  });

const call = (input: Record<string, unknown>) => ({
  job_id: randomUUID(),
  step_id: 'step1',
  attempt: 1,
  input,
  config: {},
});

describe('execute-echo, a batch of calls', () => {
  it("answers 200 with each call's own output or error, in call order", async () => {
    const res = await post({
      calls: [
        call({ data: 'a' }),
        call({ data: 'b', fail_times: 1, fail_status: 503 }),
        call({ data: 'c', fail_times: 1, non_retryable: true }),
        call({ data: 'd', fail_times: 1, fail_status: 404 }),
        { job_id: 'not a call' },
        call({ data: 'e' }),
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: unknown[] };
    expect(results).toHaveLength(6);
    expect(results[0]).toEqual({ output: { echoed_data: 'a' } });
    expect(results[1]).toMatchObject({ error: { code: 'echo_failure', retryable: true } });
    expect(results[2]).toMatchObject({ error: { code: 'echo_failure', retryable: false } });
    expect(results[3]).toMatchObject({ error: { code: 'echo_failure', retryable: false } });
    expect(results[4]).toMatchObject({ error: { code: 'invalid_request', retryable: false } });
    expect(results[5]).toEqual({ output: { echoed_data: 'e' } });
  });

  it('an empty batch is refused whole with 400', async () => {
    const res = await post({ calls: [] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_request', retryable: false },
    });
  });
});

describe("the orchestrator sends a claim's steps for one executor together", () => {
  const fx = createFixtures('exec-batch');
  let owner: TestUser;
  let organisationId: string;
  let db: pg.Client;

  beforeAll(async () => {
    const users = await fx.users('owner');
    owner = users.owner;
    organisationId = await fx.organisation(owner);
    db = await ownerDb();
  });

  afterAll(async () => {
    await db?.end();
    await fx.cleanup();
  });

  it('a retryable failure of one step retries that step alone; a final one fails only its job', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'batch-one-fails',
      definition: {
        start_step: 'echo',
        steps: {
          echo: {
            transformer_id: 'echo-transformer',
            input_map: {
              data: '$.job_input.payload',
              fail_times: '$.job_input.fail_times',
              non_retryable: '$.job_input.non_retryable',
            },
            next_step: null,
          },
        },
        output_map: { result: '$.echo.output.echoed_data' },
      },
      retryPolicy: { max_retries: 2, base_ms: 100, factor: 2, cap_ms: 200 },
    });
    const inputs = [
      { payload: 'first' },
      { payload: 'flaky', fail_times: 1 },
      { payload: 'third' },
      { payload: 'broken', fail_times: 5, non_retryable: true },
      { payload: 'fifth' },
    ];
    const ids = await insertJobs(db, {
      organisationId,
      userId: owner.id,
      workflow,
      inputs,
      maxRetries: 2,
    });
    // Whichever orchestrator claims them (the test's or cron's) claims all five at once and
    // sends them to execute-echo in one request (executor_batch 100 by default).
    for (const id of ids) await waitForJob(db, id, isFinal);

    for (const id of ids) {
      const row = await job(db, id);
      const { rows } = await db.query<{ payload: string }>(
        `select input_data ->> 'payload' as payload from public.jobs where id = $1`,
        [id],
      );
      const payload = rows[0]!.payload;
      const history = await events(db, id);
      const failures = history.filter((e) => e.event_type === 'step_failed');
      const successes = history.filter((e) => e.event_type === 'step_succeeded');
      if (payload === 'broken') {
        expect(row.status).toBe('failed');
        expect(row.error_code).toBe('echo_failure');
        expect(failures).toHaveLength(1);
        expect(successes).toHaveLength(0);
      } else if (payload === 'flaky') {
        expect(row.status).toBe('completed');
        expect(row.final_result).toEqual({ result: 'flaky' });
        expect(failures.map((e) => e.attempt)).toEqual([1]);
        expect(successes.map((e) => e.attempt)).toEqual([2]);
      } else {
        expect(row.status).toBe('completed');
        expect(row.final_result).toEqual({ result: payload });
        expect(failures).toHaveLength(0);
        expect(successes.map((e) => e.attempt)).toEqual([1]);
      }
    }
  });

  it('steps with large inputs are sent in requests of their own and all complete', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: 'batch-large-inputs',
      definition: {
        start_step: 'echo',
        steps: {
          echo: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.payload' },
            next_step: null,
          },
        },
        output_map: { result: '$.echo.output.echoed_data' },
      },
    });
    // 3 × 600 KB is past the 1 MiB a batch's calls may take (MAX_BATCH_JSON).
    const big = 'x'.repeat(600 * 1024);
    const ids = await insertJobs(db, {
      organisationId,
      userId: owner.id,
      workflow,
      inputs: [{ payload: big }, { payload: big }, { payload: big }, { payload: 'small' }],
    });
    for (const id of ids) {
      const row = await waitForJob(db, id, isFinal);
      expect(row.status).toBe('completed');
      expect([big.length, 5]).toContain(
        ((row.final_result as { result: string }).result ?? '').length,
      );
      expect((await events(db, id)).filter((e) => e.event_type === 'step_failed')).toHaveLength(0);
    }
  });
});
