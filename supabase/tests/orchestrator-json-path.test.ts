import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createFixtures, type TestUser } from './support/users.ts';
import {
  echoStep,
  events,
  insertJobs,
  insertRawWorkflow,
  isFinal,
  ownerDb,
  saveWorkflow,
  waitForJob,
} from './support/orchestrator.ts';
import { callFunction, EXAMPLE_DEFINITION, uniqueKey } from './support/workflows.ts';

// JSONPath where it meets the engine (docs/workflows-contract.md, "JSONPath"): what a
// mapping that cannot be evaluated does to its step, what an output_map path that matches
// nothing leaves behind, and what saving a path that reads $.variables says.

const fx = createFixtures('orch-jsonpath');
let owner: TestUser;
let organisationId: string;
let db: pg.Client;

beforeAll(async () => {
  ({ owner } = await fx.users('owner'));
  organisationId = await fx.organisation(owner);
  db = await ownerDb();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

const jobsOf = (workflow: { id: string; version: number }, inputs: unknown[]) =>
  insertJobs(db, { organisationId, userId: owner.id, workflow, inputs });

describe('a mapping that cannot be evaluated', () => {
  // count() with no argument passed the old parser and threw a TypeError when evaluated,
  // which the orchestrator recorded as a retryable orchestrator_error. Stored directly,
  // as a definition saved before the stricter parse would be.
  it.each([
    ['input_map', { input_map: { data: '$.job_input.items[?count()==1]' } }],
    ['output_map', { output_map: { picked: '$.s.output.echoed_data[?count()==1]' } }],
  ])('in a step %s fails the step as invalid_json_path, not retried', async (_map, step) => {
    const workflow = await insertRawWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: uniqueKey('bad-fn'),
      definition: { start_step: 's', steps: { s: echoStep(step) } },
    });
    const [id] = await jobsOf(workflow, [{ payload: [1], items: [[1]] }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done).toMatchObject({
      status: 'failed',
      error_code: 'invalid_json_path',
      retry_count: 0,
    });
    expect(done.error_message).toContain('count()');
  });
});

describe('output_map paths that match nothing', () => {
  it("are recorded on the step's result, from the step's and the workflow's output_map", async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: uniqueKey('unmatched'),
      definition: {
        start_step: 's',
        steps: {
          s: echoStep({
            output_map: { kept: '$.s.output.echoed_data', lost: '$.s.output.not_there' },
          }),
        },
        output_map: { result: '$.s.output.kept', gone: '$.job_input.nothing' },
      },
    });
    const [id] = await jobsOf(workflow, [{ payload: 7 }]);
    const done = await waitForJob(db, id!, isFinal);
    expect(done.status).toBe('completed');
    expect(done.final_result).toEqual({ result: 7 });
    const step = (await events(db, id!)).find((e) => e.event_type === 'step_succeeded')!;
    expect(step.data.unmatched_outputs).toEqual([
      { key: 'lost', path: '$.s.output.not_there' },
      { key: 'gone', path: '$.job_input.nothing' },
    ]);
  });

  it('leave nothing behind when every path matched', async () => {
    const workflow = await saveWorkflow(db, {
      organisationId,
      userId: owner.id,
      key: uniqueKey('all-matched'),
      definition: {
        start_step: 's',
        steps: { s: echoStep() },
        output_map: { result: '$.s.output.echoed_data' },
      },
    });
    const [id] = await jobsOf(workflow, [{ payload: 1 }]);
    expect((await waitForJob(db, id!, isFinal)).status).toBe('completed');
    const step = (await events(db, id!)).find((e) => e.event_type === 'step_succeeded')!;
    expect(step.data).not.toHaveProperty('unmatched_outputs');
  });
});

describe('save-workflow and $.variables', () => {
  const save = (definition: unknown) =>
    callFunction<{ version: number; warnings: unknown[] }>('save-workflow', {
      as: owner,
      body: { organisation_id: organisationId, key: uniqueKey('vars'), name: 'Vars', definition },
    });

  it('saves a definition that reads $.variables, with a warning naming the path', async () => {
    const res = await save({
      start_step: 'step1',
      steps: { step1: echoStep({ input_map: { data: '$.variables.lang' } }) },
    });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(1);
    expect(res.body.warnings).toEqual([
      {
        path: ['steps', 'step1', 'input_map', 'data'],
        code: 'variables_not_set',
        message: expect.stringContaining('$.variables.lang'),
      },
    ]);
  });

  it('has no warnings for a definition that does not', async () => {
    const res = await save(EXAMPLE_DEFINITION);
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([]);
  });

  it("refuses a match() pattern that is not an I-Regexp, naming the pattern's path", async () => {
    const res = await save({
      start_step: 'step1',
      steps: { step1: echoStep({ input_map: { data: "$.job_input[?match(@, '\\\\d+')]" } }) },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'invalid_definition',
        details: [
          {
            path: ['steps', 'step1', 'input_map', 'data'],
            code: 'invalid_json_path',
            message: expect.stringContaining('not an I-Regexp'),
          },
        ],
      },
    });
  });
});
