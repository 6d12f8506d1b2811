import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callFunction,
  createWorkflowOrganisation,
  uniqueKey,
  type Workflow,
} from './support/workflows.ts';

// save-workflow with branches (issue 12 §5; docs/workflow-manager/branches.md): the domain's
// validateWorkflowDefinition refuses each kind of bad branch with a 400 invalid_definition
// naming its path, and saves nothing; a valid branching definition is stored as sent.

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-branch');
});

afterAll(async () => {
  await t?.fx.cleanup();
});

type Details = { path: (string | number)[]; code: string; message: string }[];
type Answer = Workflow & { error: { code: string; message: string; details: Details } };

const save = (definition: unknown, key = uniqueKey('branch')) =>
  callFunction<Answer>('save-workflow', {
    as: t.admin,
    body: { organisation_id: t.organisationId, key, name: 'Branches', definition },
  });

const echo = (extra: Record<string, unknown> = {}) => ({
  transformer_id: 'echo-transformer',
  input_map: { data: '$.job_input.payload' },
  ...extra,
});

const branches = [
  { when: '@.echoed_data.score > 50', step: 'call', label: 'high score' },
  { when: '@.echoed_data.spam == true', step: null },
];

const valid = {
  start_step: 'score',
  steps: {
    score: echo({ next: branches, default: 'nurture' }),
    call: echo({ input_map: { lead: '$.score.output' }, next_step: 'done' }),
    nurture: echo({ input_map: { lead: '$.score.output' }, next_step: 'done' }),
    done: echo({ input_map: { lead: '$.score.output.echoed_data' }, next_step: null }),
  },
  output_map: { called: '$.call.output', nurtured: '$.nurture.output' },
};

describe('save-workflow with branches', () => {
  it('saves a branching definition as sent', async () => {
    const res = await save(valid);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, definition: valid });
  });

  it.each<[string, unknown, { path: (string | number)[]; code: string }]>([
    [
      'next_step beside branches',
      { ...valid, steps: { ...valid.steps, score: { ...valid.steps.score, next_step: 'call' } } },
      { path: ['steps', 'score', 'next_step'], code: 'branch_and_next_step' },
    ],
    [
      'a branch to a step that does not exist',
      {
        ...valid,
        steps: {
          ...valid.steps,
          score: echo({ next: [{ when: '@.x', step: 'ghost' }], default: 'call' }),
          nurture: undefined,
        },
      },
      { path: ['steps', 'score', 'next', 0, 'step'], code: 'unknown_next_step' },
    ],
    [
      'a default that does not exist',
      {
        ...valid,
        steps: { ...valid.steps, score: { ...valid.steps.score, default: 'ghost' } },
      },
      { path: ['steps', 'score', 'default'], code: 'unknown_next_step' },
    ],
    [
      'a when that does not parse',
      {
        ...valid,
        steps: {
          ...valid.steps,
          score: {
            ...valid.steps.score,
            next: [{ when: '@.score >>', step: 'call' }, branches[1]],
          },
        },
      },
      { path: ['steps', 'score', 'next', 0, 'when'], code: 'invalid_json_path' },
    ],
    [
      'a branch back to an earlier step',
      {
        ...valid,
        steps: {
          ...valid.steps,
          done: echo({ next: [{ when: '@.again == true', step: 'score' }] }),
        },
      },
      { path: ['steps', 'done', 'next', 0, 'step'], code: 'cycle' },
    ],
    [
      'a step no branch reaches',
      { ...valid, steps: { ...valid.steps, orphan: echo({ next_step: null }) } },
      { path: ['steps', 'orphan'], code: 'unreachable_step' },
    ],
    [
      'a join reading a step only one branch runs',
      {
        ...valid,
        steps: { ...valid.steps, done: echo({ input_map: { called: '$.call.output' } }) },
      },
      { path: ['steps', 'done', 'input_map', 'called'], code: 'step_not_yet_run' },
    ],
    [
      'a branch of the wrong shape',
      {
        ...valid,
        steps: { ...valid.steps, score: echo({ next: [{ if: '@.x', goto: 'call' }] }) },
      },
      { path: ['steps', 'score', 'next', 0], code: 'schema' },
    ],
    [
      'an empty list of branches',
      { ...valid, steps: { ...valid.steps, score: echo({ next: [], default: 'call' }) } },
      { path: ['steps', 'score', 'next'], code: 'schema' },
    ],
  ])(
    'refuses %s: 400 invalid_definition at its path, nothing saved',
    async (_name, definition, expected) => {
      const key = uniqueKey('bad-branch');
      const res = await save(definition, key);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_definition');
      expect(res.body.error.details).toContainEqual(expect.objectContaining(expected));
      const { data } = await t.service.from('workflows').select('id').eq('key', key);
      expect(data).toEqual([]);
    },
  );
});
