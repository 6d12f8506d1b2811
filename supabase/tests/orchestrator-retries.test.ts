import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  events,
  insertJobs,
  isFinal,
  job,
  ownerDb,
  runOrchestrator,
  saveWorkflow,
  sleep,
  waitForJob,
  type EventRow,
} from './support/orchestrator.ts';

// Seed 003 iterations 9–10: failures, retries with backoff, and the state history, driven
// through execute-echo's test hooks (fail while attempt <= fail_times, fail_status,
// non_retryable, delay_ms) so every failure takes the real HTTP path.

const fx = createFixtures('orch-retry');
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

/** One echo step whose hooks come from the job's input. */
const hookedStep = (transformerId = 'echo-transformer') => ({
  start_step: 'flaky',
  steps: {
    flaky: {
      transformer_id: transformerId,
      input_map: {
        data: '$.job_input.payload',
        fail_times: '$.job_input.fail_times',
        fail_status: '$.job_input.fail_status',
        non_retryable: '$.job_input.non_retryable',
        delay_ms: '$.job_input.delay_ms',
      },
      next_step: null,
    },
  },
  output_map: { result: '$.flaky.output.echoed_data' },
});

let keys = 0;
async function startJob(
  input: Record<string, unknown>,
  retryPolicy: Record<string, unknown>,
  transformerId?: string,
): Promise<string> {
  const workflow = await saveWorkflow(db, {
    organisationId,
    userId: owner.id,
    key: `retry-${++keys}`,
    definition: hookedStep(transformerId),
    retryPolicy,
  });
  const [id] = await insertJobs(db, {
    organisationId,
    userId: owner.id,
    workflow,
    inputs: [input],
    maxRetries: (retryPolicy.max_retries as number | undefined) ?? 3,
  });
  return id!;
}

const ofType = (history: EventRow[], type: string) => history.filter((e) => e.event_type === type);

describe('retries (iterations 9–10)', () => {
  it('a step failing twice then succeeding completes with retry_count 2, each retry inside its backoff window', async () => {
    const policy = { max_retries: 3, base_ms: 300, factor: 2, cap_ms: 1_000 };
    const id = await startJob({ payload: 'ok', fail_times: 2 }, policy);
    const done = await waitForJob(db, id, isFinal, { timeoutMs: 20_000 });
    expect(done).toMatchObject({
      status: 'completed',
      retry_count: 2,
      final_result: { result: 'ok' },
      next_retry_at: null,
    });

    const history = await events(db, id);
    expect(history.map((e) => `${e.event_type}:${e.attempt ?? ''}`)).toEqual([
      'created:',
      'claimed:1',
      'step_failed:1',
      'retry_scheduled:1',
      'claimed:2',
      'step_failed:2',
      'retry_scheduled:2',
      'claimed:3',
      'step_succeeded:3',
      'completed:3',
    ]);
    expect(history.map((e) => e.to_status)).toEqual([
      'pending',
      'running',
      'running',
      'awaiting_retry',
      'running',
      'running',
      'awaiting_retry',
      'running',
      'running',
      'completed',
    ]);

    const claims = ofType(history, 'claimed');
    const retries = ofType(history, 'retry_scheduled');
    retries.forEach((retry, i) => {
      const n = i + 1;
      const window = Math.min(policy.cap_ms, policy.base_ms * policy.factor ** (n - 1));
      const nextRetryAt = new Date(retry.data.next_retry_at as string).getTime();
      // next_retry_at = the failing transaction's now() + delay, delay in [0, window):
      // after the claim that ran the attempt, at most `window` after the failure was logged.
      expect(nextRetryAt).toBeGreaterThanOrEqual(claims[i]!.created_at.getTime());
      expect(nextRetryAt).toBeLessThanOrEqual(retry.created_at.getTime() + window);
      expect(retry.data.retry_count).toBe(n);
      // Never claimed again before it was due.
      expect(claims[i + 1]!.created_at.getTime()).toBeGreaterThanOrEqual(nextRetryAt);
    });
    const failures = ofType(history, 'step_failed');
    expect(failures[0]!.data.error).toMatchObject({ code: 'echo_failure', retryable: true });
  });

  it('failing past max_retries ends failed with the error message', async () => {
    const id = await startJob(
      { payload: 1, fail_times: 10 },
      { max_retries: 2, base_ms: 100, cap_ms: 200 },
    );
    const done = await waitForJob(db, id, isFinal, { timeoutMs: 20_000 });
    expect(done.status).toBe('failed');
    expect(done.retry_count).toBe(2);
    expect(done.error_code).toBe('echo_failure');
    expect(done.error_message).toMatch(/Failing on purpose/);
    expect(done.completed_at).not.toBeNull();
    const history = await events(db, id);
    expect(ofType(history, 'step_failed')).toHaveLength(3);
    expect(ofType(history, 'retry_scheduled')).toHaveLength(2);
    expect(ofType(history, 'failed')).toEqual([
      expect.objectContaining({ to_status: 'failed', data: { reason: 'retries_exhausted' } }),
    ]);
    expect(history.at(-1)!.event_type).toBe('failed');
  });

  it('a non-retryable failure fails the job at once', async () => {
    const id = await startJob(
      { payload: 1, fail_times: 5, non_retryable: true },
      { max_retries: 3 },
    );
    const done = await waitForJob(db, id, isFinal);
    expect(done).toMatchObject({ status: 'failed', retry_count: 0, error_code: 'echo_failure' });
    const history = await events(db, id);
    expect(ofType(history, 'claimed')).toHaveLength(1);
    expect(ofType(history, 'failed')[0]!.data).toEqual({ reason: 'non_retryable' });
  });

  it('a 4xx without a retryable flag is not retried; a 429 is', async () => {
    const notFound = await startJob(
      { payload: 1, fail_times: 1, fail_status: 404 },
      { max_retries: 3 },
    );
    const limited = await startJob(
      { payload: 1, fail_times: 1, fail_status: 429 },
      { max_retries: 3, base_ms: 100 },
    );
    expect(await waitForJob(db, notFound, isFinal)).toMatchObject({
      status: 'failed',
      retry_count: 0,
    });
    expect(await waitForJob(db, limited, isFinal)).toMatchObject({
      status: 'completed',
      retry_count: 1,
    });
  });

  it("a step that outlives its transformer's timeout_ms is a retryable timeout", async () => {
    const transformerId = `slow-echo-${Date.now()}`;
    await db.query(
      `insert into public.transformers (id, organisation_id, type, config, target_function, timeout_ms)
       values ($1, $2, 'echo', '{}', 'execute-echo', 1000)`,
      [transformerId, organisationId],
    );
    const id = await startJob({ payload: 1, delay_ms: 2_500 }, { max_retries: 0 }, transformerId);
    const done = await waitForJob(db, id, isFinal, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'failed', error_code: 'timeout' });
    const failure = ofType(await events(db, id), 'step_failed')[0]!;
    expect(failure.data.error).toMatchObject({ code: 'timeout', retryable: true });
    expect(failure.duration_ms).toBeGreaterThanOrEqual(1_000);
    expect(ofType(await events(db, id), 'failed')[0]!.data).toEqual({
      reason: 'retries_exhausted',
    });
  });

  it('a transformer whose executor function does not exist fails the step (404, not retried)', async () => {
    const transformerId = `missing-fn-${Date.now()}`;
    await db.query(
      `insert into public.transformers (id, organisation_id, type, config, target_function, timeout_ms)
       values ($1, $2, 'echo', '{}', 'execute-not-deployed', 5000)`,
      [transformerId, organisationId],
    );
    const id = await startJob({ payload: 1 }, { max_retries: 3 }, transformerId);
    const done = await waitForJob(db, id, isFinal);
    expect(done).toMatchObject({
      status: 'failed',
      retry_count: 0,
      error_code: 'function_not_found',
    });
  });

  it("a job cancelled while its step runs keeps its cancellation: the step's result is refused", async () => {
    const id = await startJob({ payload: 1, delay_ms: 1_500 }, { max_retries: 3 });
    const run = runOrchestrator({ budget_ms: 1_000 });
    await waitForJob(db, id, (j) => j.status === 'running', { invoke: false, everyMs: 20 });
    const { error } = await owner.client.rpc('cancel_job', { p_job_id: id });
    expect(error).toBeNull();
    await run;
    // Whichever orchestrator held it has finished by now (delay 1.5 s): nothing applied.
    await sleep(2_000);
    const after = await job(db, id);
    expect(after).toMatchObject({ status: 'cancelled', step_data: {}, final_result: null });
    const history = await events(db, id);
    expect(history.map((e) => e.event_type)).toEqual(['created', 'claimed', 'cancelled']);
  });

  it('a job cancelled while awaiting its retry never runs again', async () => {
    const id = await startJob(
      { payload: 1, fail_times: 5 },
      { max_retries: 3, base_ms: 1_500, factor: 1, jitter: 'none' },
    );
    const waiting = await waitForJob(db, id, (j) => j.status === 'awaiting_retry' || isFinal(j));
    expect(waiting.status).toBe('awaiting_retry');
    const { error } = await owner.client.rpc('cancel_job', { p_job_id: id });
    expect(error).toBeNull();

    // Well past next_retry_at, with the orchestrator invoked meanwhile.
    const dueAt = new Date(waiting.next_retry_at!).getTime();
    while (Date.now() < dueAt + 1_000) {
      await runOrchestrator({ budget_ms: 1_000 });
      await sleep(200);
    }
    const after = await job(db, id);
    expect(after.status).toBe('cancelled');
    const history = await events(db, id);
    expect(ofType(history, 'claimed')).toHaveLength(1);
    expect(history.at(-1)).toMatchObject({
      event_type: 'cancelled',
      from_status: 'awaiting_retry',
    });
  });
});

describe('retry bookkeeping in the database (iterations 9–10)', () => {
  it('each retryable failure sets next_retry_at = now + base·factor^(n−1) (jitter none), is claimable only once due, and the last one fails the job', async () => {
    // The queue functions called directly inside one transaction, rolled back: no other
    // orchestrator can see the job, and now() is one fixed instant, so the backoff can be
    // checked to the millisecond without reading a clock.
    await db.query('begin');
    try {
      const policy = { max_retries: 2, base_ms: 1_000, factor: 3, cap_ms: 60_000, jitter: 'none' };
      const workflow = await saveWorkflow(db, {
        organisationId,
        userId: owner.id,
        key: `retry-sql-${++keys}`,
        definition: hookedStep(),
        retryPolicy: policy,
      });
      const { rows } = await db.query<{ id: string }>(
        `insert into public.jobs (organisation_id, workflow_id, workflow_version, user_id,
           input_data, max_retries, available_at)
         values ($1, $2, $3, $4, '{"payload": 1}', 2, now() - interval '1 second') returning id`,
        [organisationId, workflow.id, workflow.version, owner.id],
      );
      const id = rows[0]!.id;
      const worker = 'acceptance:retries';
      const claim = async () => {
        const res = await db.query<{ c: { job_id: string; attempt: number }[] }>(
          `select public.claim_workflow_steps($1, 10, 30, $2::uuid[]) as c`,
          [worker, [workflow.id]],
        );
        return res.rows[0]!.c;
      };
      const fail = async (attempt: number) => {
        const res = await db.query<{ a: { job_id: string; applied: boolean; status: string }[] }>(
          `select public.finish_workflow_steps($1, $2::jsonb) as a`,
          [
            worker,
            JSON.stringify([
              {
                job_id: id,
                attempt,
                step_id: 'flaky',
                duration_ms: 5,
                input: { data: 1 },
                outcome: 'failed',
                error: { code: 'boom', message: `boom ${attempt}`, retryable: true },
              },
            ]),
          ],
        );
        return res.rows[0]!.a;
      };
      const state = async () =>
        (
          await db.query<{
            status: string;
            retry_count: number;
            delay_ms: number | null;
            error_code: string | null;
            error_message: string | null;
            completed: boolean;
          }>(
            `select status, retry_count, error_code, error_message, completed_at is not null as completed,
               (extract(epoch from next_retry_at - now()) * 1000)::float8 as delay_ms
             from public.jobs where id = $1`,
            [id],
          )
        ).rows[0]!;

      for (const n of [1, 2]) {
        const claimed = await claim();
        expect(claimed.map((c) => [c.job_id, c.attempt])).toEqual([[id, n]]);
        expect(await fail(n)).toEqual([{ job_id: id, applied: true, status: 'awaiting_retry' }]);
        expect(await state()).toEqual({
          status: 'awaiting_retry',
          retry_count: n,
          delay_ms: policy.base_ms * policy.factor ** (n - 1),
          error_code: 'boom',
          error_message: `boom ${n}`,
          completed: false,
        });
        // Not before its time …
        expect(await claim()).toEqual([]);
        // … and claimable once the clock reaches next_retry_at (moved here instead of waited for).
        await db.query(
          `update public.jobs set next_retry_at = now(), available_at = now() where id = $1`,
          [id],
        );
      }
      const last = await claim();
      expect(last.map((c) => c.attempt)).toEqual([3]);
      expect(await fail(3)).toEqual([{ job_id: id, applied: true, status: 'failed' }]);
      expect(await state()).toEqual({
        status: 'failed',
        retry_count: 2,
        delay_ms: null,
        error_code: 'boom',
        error_message: 'boom 3',
        completed: true,
      });
      // A result for an attempt the job is no longer on changes nothing.
      expect(await fail(3)).toEqual([{ job_id: id, applied: false, status: 'failed' }]);

      // The history: every transition, in order, with what caused it.
      const history = await events(db, id);
      expect(history.map((e) => [e.event_type, e.attempt, e.from_status, e.to_status])).toEqual([
        ['claimed', 1, 'pending', 'running'],
        ['step_failed', 1, 'running', 'running'],
        ['retry_scheduled', 1, 'running', 'awaiting_retry'],
        ['claimed', 2, 'awaiting_retry', 'running'],
        ['step_failed', 2, 'running', 'running'],
        ['retry_scheduled', 2, 'running', 'awaiting_retry'],
        ['claimed', 3, 'awaiting_retry', 'running'],
        ['step_failed', 3, 'running', 'running'],
        ['failed', 3, 'running', 'failed'],
      ]);
      const scheduled = ofType(history, 'retry_scheduled');
      expect(scheduled.map((e) => [e.message, e.data.retry_count])).toEqual([
        ['retry 1 of 2', 1],
        ['retry 2 of 2', 2],
      ]);
      expect(ofType(history, 'step_failed')[0]!.data).toEqual({
        input: { data: 1 },
        error: { code: 'boom', message: 'boom 1', retryable: true },
      });
      expect(ofType(history, 'failed')[0]!.data).toEqual({ reason: 'retries_exhausted' });
    } finally {
      await db.query('rollback');
    }
  });
});
