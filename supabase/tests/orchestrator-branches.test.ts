import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  events,
  insertJobs,
  isFinal,
  ownerDb,
  saveWorkflow,
  waitForJob,
  type EventRow,
} from './support/orchestrator.ts';

// Branches (issue 12 §5; docs/workflow-manager/branches.md): the orchestrator chooses a
// step's successor from its recorded output (chooseNext), finish_workflow_steps accepts the
// choice only if the pinned step allows it (20261122006900_workflow_branches.sql). Driven
// through the real orchestrator and execute-echo, whose output is { echoed_data: data }.

const fx = createFixtures('orch-branch');
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

const echo = (data: string, next_step: string | null) => ({
  transformer_id: 'echo-transformer',
  input_map: { data },
  next_step,
});

// score → hot: call → summarise; NL and > 50: visit → summarise; spam: the end;
// otherwise nurture (the end). The branches read the output as recorded (its output_map).
const scoring = {
  start_step: 'score',
  steps: {
    score: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.lead', fail_times: '$.job_input.fail_times' },
      output_map: {
        score: '$.score.output.echoed_data.score',
        country: '$.score.output.echoed_data.country',
        spam: '$.score.output.echoed_data.spam',
      },
      next: [
        { when: '@.score > 80', step: 'call', label: 'hot' },
        { when: "@.score > 50 && @.country == 'NL'", step: 'visit' },
        { when: '@.spam == true', step: null, label: 'drop' },
      ],
      default: 'nurture',
    },
    call: echo('$.score.output.score', 'summarise'),
    visit: echo('$.score.output.country', 'summarise'),
    nurture: echo('$.score.output', null),
    summarise: echo('$.score.output.score', null),
  },
  output_map: {
    lead: '$.score.output',
    called: '$.call.output.echoed_data',
    visited: '$.visit.output.echoed_data',
    summary: '$.summarise.output.echoed_data',
  },
};

let keys = 0;
const fastRetries = { max_retries: 3, base_ms: 50, factor: 1, cap_ms: 100 };

async function run(lead: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const workflow = await saveWorkflow(db, {
    organisationId,
    userId: owner.id,
    key: `branch-${++keys}`,
    definition: scoring,
    retryPolicy: fastRetries,
  });
  const [id] = await insertJobs(db, {
    organisationId,
    userId: owner.id,
    workflow,
    inputs: [{ lead, ...extra }],
  });
  const done = await waitForJob(db, id!, isFinal, { timeoutMs: 30_000 });
  return { job: done, history: await events(db, id!) };
}

const succeeded = (history: EventRow[]) =>
  history
    .filter((e) => e.event_type === 'step_succeeded')
    .map((e) => ({ step: e.step_id, next_step: e.data.next_step, branch: e.data.branch }));

describe('branches in the engine', () => {
  it('takes the first branch that matches (hot, though visit matches too)', async () => {
    const { job, history } = await run({ score: 90, country: 'NL' });
    expect(job.status).toBe('completed');
    expect(succeeded(history)).toEqual([
      {
        step: 'score',
        next_step: 'call',
        branch: { index: 0, label: 'hot', when: '@.score > 80' },
      },
      { step: 'call', next_step: 'summarise', branch: undefined },
      { step: 'summarise', next_step: null, branch: undefined },
    ]);
    expect(Object.keys(job.step_data).sort()).toEqual(['call', 'score', 'summarise']);
    expect(job.final_result).toEqual({
      lead: { score: 90, country: 'NL' },
      called: 90,
      summary: 90,
    });
  });

  it('takes the second branch when only it matches', async () => {
    const { job, history } = await run({ score: 60, country: 'NL' });
    expect(job.status).toBe('completed');
    expect(succeeded(history).map((s) => s.step)).toEqual(['score', 'visit', 'summarise']);
    expect(succeeded(history)[0]).toMatchObject({
      next_step: 'visit',
      branch: { index: 1, when: "@.score > 50 && @.country == 'NL'" },
    });
    expect(job.final_result).toMatchObject({ visited: 'NL', summary: 60 });
  });

  it('takes the default when no branch matches', async () => {
    const { job, history } = await run({ score: 60, country: 'BE' });
    expect(job.status).toBe('completed');
    expect(succeeded(history)).toEqual([
      { step: 'score', next_step: 'nurture', branch: 'default' },
      { step: 'nurture', next_step: null, branch: undefined },
    ]);
    // nurture ends the job: the workflow's output_map keeps what the path ran.
    expect(job.final_result).toEqual({ lead: { score: 60, country: 'BE' } });
  });

  it('ends the job on a branch to null, with its final_result', async () => {
    const { job, history } = await run({ score: 10, spam: true });
    expect(job).toMatchObject({
      status: 'completed',
      current_step_id: 'score',
      final_result: { lead: { score: 10, spam: true } },
    });
    expect(succeeded(history)).toEqual([
      {
        step: 'score',
        next_step: null,
        branch: { index: 2, label: 'drop', when: '@.spam == true' },
      },
    ]);
    const step = history.find((e) => e.event_type === 'step_succeeded')!;
    // The output_map's keys the path skipped are recorded as unmatched, not errors.
    expect(step.data.unmatched_outputs).toEqual(
      expect.arrayContaining([{ key: 'called', path: '$.call.output.echoed_data' }]),
    );
    expect(history.at(-1)?.event_type).toBe('completed');
  });

  it('branches after a retry of the branching step', async () => {
    const { job, history } = await run({ score: 95, country: 'DE' }, { fail_times: 1 });
    expect(job).toMatchObject({ status: 'completed', retry_count: 1 });
    expect(history.map((e) => e.event_type)).toEqual(
      expect.arrayContaining(['step_failed', 'retry_scheduled']),
    );
    expect(succeeded(history).map((s) => `${s.step}→${String(s.next_step)}`)).toEqual([
      'score→call',
      'call→summarise',
      'summarise→null',
    ]);
  });

  it('fails a branch whose condition cannot be evaluated, not retried', async () => {
    // save_workflow checks targets, not `when` (save-workflow's domain validation does):
    // a condition whose evaluation throws stands for one a later json-p3 would reject.
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: `branch-${++keys}`,
      definition: {
        start_step: 'a',
        steps: {
          a: {
            ...echo('$.job_input', null),
            next_step: undefined,
            next: [{ when: '@.x ==', step: null }],
          },
        },
      },
      retryPolicy: fastRetries,
    });
    const [id] = await insertJobs(db, { organisationId, userId: owner.id, workflow, inputs: [{}] });
    const done = await waitForJob(db, id!, isFinal, { timeoutMs: 30_000 });
    expect(done).toMatchObject({ status: 'failed', error_code: 'invalid_branch', retry_count: 0 });
    expect(done.error_message).toContain('@.x ==');
  });

  it('still runs a job pinned to a linear version after the workflow gained branches', async () => {
    const linear = {
      start_step: 'first',
      steps: {
        first: echo('$.job_input.n', 'second'),
        second: echo('$.first.output.echoed_data', null),
      },
      output_map: { n: '$.second.output.echoed_data' },
    };
    const key = `branch-${++keys}`;
    const v1 = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key,
      definition: linear,
    });
    const [id] = await insertJobs(db, {
      organisationId,
      userId: owner.id,
      workflow: v1,
      inputs: [{ n: 7 }],
    });
    // Version 2 branches away from `second`; the job stays on version 1.
    const { rows } = await db.query<{ w: { version: number } }>(
      `select public.save_workflow($1, $2, $3, $4, $4, null, $5::jsonb, '{}'::jsonb) as w`,
      [
        owner.id,
        organisationId,
        v1.id,
        key,
        JSON.stringify({
          ...linear,
          steps: {
            first: {
              ...linear.steps.first,
              next_step: undefined,
              next: [{ when: '@', step: null }],
            },
            second: linear.steps.second,
          },
        }),
      ],
    );
    expect(rows[0]!.w.version).toBe(2);
    const done = await waitForJob(db, id!, isFinal, { timeoutMs: 30_000 });
    expect(done).toMatchObject({ status: 'completed', final_result: { n: 7 } });
    const history = await events(db, id!);
    expect(succeeded(history).map((s) => s.step)).toEqual(['first', 'second']);
  });
});

describe('claim_workflow_steps and finish_workflow_steps with branches', () => {
  type Claim = {
    job_id: string;
    attempt: number;
    step_id: string;
    step: Record<string, unknown>;
    last_step: boolean;
    output_map: unknown;
  };

  // Inside a transaction rolled back at the end: the stack's cron orchestrator cannot see
  // (and claim) the job, so this test's worker is the only one that does.
  async function inTransaction(
    body: (claimStep: () => Promise<Claim>, jobId: string) => Promise<void>,
    definition: unknown = scoring,
  ): Promise<void> {
    await db.query('begin');
    try {
      const workflow = await saveWorkflow(db, {
        organisationId,
        userId: owner.id,
        key: `branch-tx-${++keys}`,
        definition,
      });
      const [jobId] = await insertJobs(db, {
        organisationId,
        userId: owner.id,
        workflow,
        inputs: [{ lead: { score: 1 } }],
        maxRetries: 0,
      });
      const claimStep = async () => {
        const { rows } = await db.query<{ c: Claim[] }>(
          `select public.claim_workflow_steps('acceptance:branches', 10, 30, $1::uuid[]) as c`,
          [[workflow.id]],
        );
        expect(rows[0]!.c).toHaveLength(1);
        return rows[0]!.c[0]!;
      };
      await body(claimStep, jobId!);
    } finally {
      await db.query('rollback');
    }
  }

  const finish = async (claim: Claim, extra: Record<string, unknown>) => {
    const { rows } = await db.query<{ r: { applied: boolean; status: string }[] }>(
      `select public.finish_workflow_steps('acceptance:branches', $1::jsonb) as r`,
      [
        JSON.stringify([
          {
            job_id: claim.job_id,
            attempt: claim.attempt,
            step_id: claim.step_id,
            duration_ms: 1,
            outcome: 'succeeded',
            output: { score: 1 },
            ...extra,
          },
        ]),
      ],
    );
    return rows[0]!.r[0]!;
  };

  const jobRow = async (id: string) =>
    (
      await db.query<{ status: string; current_step_id: string; error_code: string | null }>(
        'select status, current_step_id, error_code from public.jobs where id = $1',
        [id],
      )
    ).rows[0]!;

  it('hands out the branches, and last_step when a branch or the default may end', async () => {
    await inTransaction(async (claimStep) => {
      const claim = await claimStep();
      expect(claim.step_id).toBe('score');
      expect(claim.step.next).toEqual(scoring.steps.score.next);
      expect(claim.step.default).toBe('nurture');
      // The spam branch goes to null: the step may end the job.
      expect(claim.last_step).toBe(true);
      expect(claim.output_map).toEqual(scoring.output_map);
      // The worker's choice, as chooseNext would make it, is accepted.
      expect(await finish(claim, { next_step: 'nurture', branch: 'default' })).toMatchObject({
        applied: true,
        status: 'running',
      });
      const next = await claimStep();
      expect(next.step_id).toBe('nurture');
      expect(next.step.next_step).toBeNull();
    });
    await inTransaction(
      async (claimStep) => {
        const claim = await claimStep();
        // call → summarise: this step cannot end the job, so no output_map is sent.
        expect(claim).toMatchObject({ last_step: false, output_map: null });
      },
      { ...scoring, start_step: 'call', steps: { ...scoring.steps, score: undefined } },
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['a step that is not a successor', { next_step: 'summarise', branch: 'default' }],
    [
      'a branch whose target is not the step named',
      { next_step: 'call', branch: { index: 1, when: 'x' } },
    ],
    ['the end, when the default leads on', { next_step: null, branch: 'default' }],
    ['a branch index past the list', { next_step: 'call', branch: { index: 7, when: 'x' } }],
    ['an index that is not a number', { next_step: 'call', branch: { index: 'zero', when: 'x' } }],
    ['no choice at all on a branching step', {}],
  ])('refuses %s: the job fails invalid_branch, not retried', async (_name, extra) => {
    await inTransaction(async (claimStep, jobId) => {
      const claim = await claimStep();
      expect(await finish(claim, extra)).toMatchObject({ applied: true, status: 'failed' });
      expect(await jobRow(jobId)).toMatchObject({ status: 'failed', error_code: 'invalid_branch' });
      const history = await events(db, jobId);
      expect(history.slice(-2).map((e) => e.event_type)).toEqual(['step_failed', 'failed']);
      expect(history.at(-2)!.data.error).toMatchObject({
        code: 'invalid_branch',
        retryable: false,
      });
      expect(history.at(-1)!.data).toEqual({ reason: 'non_retryable' });
    });
  });

  it('on a linear step: accepts no choice (an older worker) or its next_step, refuses another', async () => {
    const linear = { ...scoring, start_step: 'call' };
    await inTransaction(async (claimStep, jobId) => {
      expect(await finish(await claimStep(), {})).toMatchObject({ status: 'running' });
      expect(await jobRow(jobId)).toMatchObject({ current_step_id: 'summarise' });
    }, linear);
    await inTransaction(async (claimStep, jobId) => {
      expect(await finish(await claimStep(), { next_step: 'summarise' })).toMatchObject({
        status: 'running',
      });
      expect(await jobRow(jobId)).toMatchObject({ current_step_id: 'summarise' });
    }, linear);
    await inTransaction(async (claimStep, jobId) => {
      expect(await finish(await claimStep(), { next_step: 'visit' })).toMatchObject({
        status: 'failed',
      });
      expect(await jobRow(jobId)).toMatchObject({ error_code: 'invalid_branch' });
    }, linear);
  });

  it('save_workflow refuses a branch to a step that does not exist (its last line of defence)', async () => {
    await expect(
      saveWorkflow(db, {
        organisationId,
        userId: owner.id,
        key: `branch-${++keys}`,
        definition: {
          start_step: 'a',
          steps: {
            a: { transformer_id: 'echo-transformer', next: [{ when: '@', step: 'ghost' }] },
          },
        },
      }),
    ).rejects.toThrow(/steps\.a\.next\.0\.step ghost is not one of the steps/);
  });
});
