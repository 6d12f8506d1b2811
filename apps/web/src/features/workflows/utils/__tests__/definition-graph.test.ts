import {
  validateWorkflowDefinition,
  type WorkflowDefinition,
} from '@forkflow/domain/workflow-definition';
import { describe, expect, it } from 'vitest';
import {
  addBranch,
  addStepAfter,
  definitionGraph,
  DefinitionEditError,
  END_NODE_ID,
  freeStepId,
  layoutGraph,
  placeErrors,
  reconnect,
  removeBranch,
  removeStep,
  renameStep,
  setDefault,
  toLinear,
  updateBranch,
  updateStep,
} from '../definition-graph';

const linear: WorkflowDefinition = {
  start_step: 'fetch',
  steps: {
    fetch: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload' },
      next_step: 'score',
    },
    score: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.fetch.output.echoed_data' },
      next_step: null,
    },
  },
};

const branching: WorkflowDefinition = {
  start_step: 'score',
  steps: {
    score: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input' },
      next: [
        { when: '@.echoed_data.score > 50', step: 'call', label: 'hot lead' },
        { when: "@.echoed_data.country == 'NL'", step: 'nurture' },
      ],
      default: null,
    },
    call: { transformer_id: 'echo-transformer', next_step: null },
    nurture: { transformer_id: 'echo-transformer', next_step: null },
  },
};

const known = { knownTransformerIds: ['echo-transformer', 'other'] };
const expectValid = (definition: WorkflowDefinition) =>
  expect(validateWorkflowDefinition(definition, known)).toMatchObject({ ok: true });

describe('definitionGraph', () => {
  it('draws a linear workflow as steps in a chain ending at End', () => {
    const graph = definitionGraph(linear);
    expect(graph.nodes.map((node) => node.id)).toEqual(['fetch', 'score', END_NODE_ID]);
    expect(graph.nodes[0]).toMatchObject({
      kind: 'step',
      data: {
        isStart: true,
        transformerId: 'echo-transformer',
        inputs: ['data ← $.job_input.payload'],
      },
    });
    expect(graph.edges.map((edge) => [edge.source, edge.target, edge.label])).toEqual([
      ['fetch', 'score', undefined],
      ['score', END_NODE_ID, undefined],
    ]);
  });

  it('labels each branch with its label or its condition, and the default "otherwise"', () => {
    const graph = definitionGraph(branching);
    expect(graph.edges.map((edge) => [edge.id, edge.target, edge.label])).toEqual([
      ['score:branch:0', 'call', 'hot lead'],
      ['score:branch:1', 'nurture', "@.echoed_data.country == 'NL'"],
      ['score:default', END_NODE_ID, 'otherwise'],
      ['call:next', END_NODE_ID, undefined],
      ['nurture:next', END_NODE_ID, undefined],
    ]);
  });

  it('summarises at most three inputs and says how many more', () => {
    const graph = definitionGraph({
      start_step: 'a',
      steps: {
        a: {
          transformer_id: 'echo-transformer',
          input_map: {
            w: '$.job_input.w',
            x: '$.job_input.x',
            y: '$.job_input.y',
            z: '$.job_input.z',
          },
        },
      },
    });
    expect(graph.nodes[0]).toMatchObject({
      data: { inputs: ['w ← $.job_input.w', 'x ← $.job_input.x', 'y ← $.job_input.y', '+1 more'] },
    });
  });

  it('leaves out connections to steps that do not exist (validation reports them)', () => {
    const graph = definitionGraph({
      start_step: 'a',
      steps: { a: { transformer_id: 'echo-transformer', next_step: 'ghost' } },
    });
    expect(graph.edges).toEqual([]);
    expect(graph.nodes.map((node) => node.id)).toEqual(['a']);
  });
});

describe('layoutGraph', () => {
  it('lays steps out top to bottom, the start above what follows it', () => {
    const { nodes } = layoutGraph(definitionGraph(branching));
    const y = Object.fromEntries(nodes.map((node) => [node.id, node.position.y]));
    expect(y.score).toBeLessThan(y.call as number);
    expect(y.score).toBeLessThan(y.nurture as number);
    expect(y.call).toBeLessThan(y[END_NODE_ID] as number);
    const x = Object.fromEntries(nodes.map((node) => [node.id, node.position.x]));
    expect(x.call).not.toBe(x.nurture);
  });
});

describe('placeErrors', () => {
  it('puts each error on its step, its edge or aside', () => {
    const placed = placeErrors([
      { path: ['steps', 'a', 'transformer_id'], code: 'unknown_transformer', message: 'T' },
      { path: ['steps', 'a', 'next', 1, 'when'], code: 'schema', message: 'W' },
      { path: ['steps', 'a', 'default'], code: 'unknown_next_step', message: 'D' },
      { path: ['steps', 'b', 'next_step'], code: 'cycle', message: 'C' },
      { path: ['output_map', 'x'], code: 'invalid_json_path', message: 'O' },
    ]);
    expect(Object.fromEntries(placed.nodes)).toEqual({ a: ['T'] });
    expect(Object.fromEntries(placed.edges)).toEqual({
      'a:branch:1': ['W'],
      'a:default': ['D'],
      'b:next': ['C'],
    });
    expect(placed.other).toEqual(['O']);
  });
});

describe('edit operations', () => {
  it('addStepAfter puts the new step between a step and its successor', () => {
    const next = addStepAfter(linear, 'fetch', 'enrich', 'other');
    expect(next.steps.fetch?.next_step).toBe('enrich');
    expect(next.steps.enrich).toEqual({ transformer_id: 'other', next_step: 'score' });
    expectValid(next);
    expect(linear.steps.fetch?.next_step).toBe('score'); // the input is not changed
  });

  it('addStepAfter on a branch puts the step on that branch', () => {
    const next = addStepAfter(branching, 'score', 'log', 'other', {
      from: 'score',
      kind: 'branch',
      index: 1,
    });
    expect(next.steps.score?.next?.[1]?.step).toBe('log');
    expect(next.steps.log?.next_step).toBe('nurture');
    expectValid(next);
  });

  it('addStepAfter refuses an id already used', () => {
    expect(() => addStepAfter(linear, 'fetch', 'score', 'other')).toThrow(DefinitionEditError);
  });

  it('addBranch turns a linear step into a branching one keeping its successor as default', () => {
    const next = addBranch(
      linear,
      'fetch',
      '@.echoed_data.vip == true',
      { newStep: { id: 'vip', transformerId: 'other' } },
      'VIP',
    );
    expect(next.steps.fetch).toEqual({
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload' },
      next: [{ when: '@.echoed_data.vip == true', step: 'vip', label: 'VIP' }],
      default: 'score',
    });
    expect(next.steps.vip).toEqual({ transformer_id: 'other', next_step: null });
    expect(Object.keys(next.steps.fetch ?? {})).not.toContain('next_step');
    expectValid(next);
  });

  it('addBranch appends to a branching step, tried after the others', () => {
    const next = addBranch(branching, 'score', '@.echoed_data.score > 10', 'nurture');
    expect(next.steps.score?.next?.map((branch) => branch.step)).toEqual([
      'call',
      'nurture',
      'nurture',
    ]);
    expectValid(next);
  });

  it('reconnect and setDefault point a connection elsewhere, null ending the workflow', () => {
    const a = reconnect(branching, { from: 'score', kind: 'branch', index: 0 }, null);
    expect(a.steps.score?.next?.[0]?.step).toBeNull();
    const b = setDefault(branching, 'score', 'nurture');
    expect(b.steps.score?.default).toBe('nurture');
    const c = reconnect(linear, { from: 'fetch', kind: 'next_step' }, null);
    expect(c.steps.fetch?.next_step).toBeNull();
  });

  it('updateBranch changes a condition; an empty label is removed', () => {
    const next = updateBranch(branching, 'score', 0, { when: '@.x == 1', label: '' });
    expect(next.steps.score?.next?.[0]).toEqual({ when: '@.x == 1', step: 'call' });
  });

  it('removeBranch of the last branch makes the step linear to its default', () => {
    const one = addBranch(linear, 'fetch', '@.x == 1', null);
    const back = removeBranch(one, 'fetch', 0);
    expect(back.steps.fetch).toEqual(linear.steps.fetch);
    const fewer = removeBranch(branching, 'score', 0);
    expect(fewer.steps.score?.next).toHaveLength(1);
  });

  it('toLinear keeps the default as next_step', () => {
    const next = toLinear(setDefault(branching, 'score', 'call'), 'score');
    expect(next.steps.score).toEqual({
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input' },
      next_step: 'call',
    });
  });

  it('removeStep re-points predecessors to its single successor', () => {
    const three = addStepAfter(linear, 'fetch', 'middle', 'other');
    const next = removeStep(three, 'middle');
    expect(next.steps.fetch?.next_step).toBe('score');
    expect(next.steps.middle).toBeUndefined();
    expectValid(next);
  });

  it('removeStep re-points branches to it to the end when it branched', () => {
    const nested: WorkflowDefinition = addBranch(
      addStepAfter(linear, 'fetch', 'gate', 'other'),
      'gate',
      '@.ok == true',
      { newStep: { id: 'yes', transformerId: 'other' } },
    );
    const next = removeStep(nested, 'gate');
    expect(next.steps.fetch?.next_step).toBeNull();
  });

  it('removeStep of the start moves the start to its successor', () => {
    const next = removeStep(linear, 'fetch');
    expect(next.start_step).toBe('score');
    expect(Object.keys(next.steps)).toEqual(['score']);
    // score read fetch's output: validation says so rather than the edit hiding it.
    expect(validateWorkflowDefinition(next, known)).toMatchObject({
      ok: false,
      errors: [{ code: 'unknown_step_reference' }],
    });
  });

  it('removeStep refuses the only step and a branching start', () => {
    expect(() =>
      removeStep({ start_step: 'a', steps: { a: { transformer_id: 'x' } } }, 'a'),
    ).toThrow('at least one step');
    expect(() => removeStep(branching, 'score')).toThrow(DefinitionEditError);
  });

  it('renameStep renames the key in place, the start, connections and paths reading it', () => {
    const next = renameStep({ ...linear, output_map: { r: '$.score.output' } }, 'fetch', 'load');
    expect(Object.keys(next.steps)).toEqual(['load', 'score']);
    expect(next.start_step).toBe('load');
    expect(next.steps.score?.input_map).toEqual({ data: '$.load.output.echoed_data' });
    const other = renameStep(branching, 'call', 'phone');
    expect(other.steps.score?.next?.[0]?.step).toBe('phone');
    expect(() => renameStep(linear, 'fetch', 'score')).toThrow(DefinitionEditError);
  });

  it('renameStep leaves paths whose root only starts with the old id', () => {
    const next = renameStep(
      {
        start_step: 'a',
        steps: {
          a: { transformer_id: 'x', next_step: 'ab' },
          ab: { transformer_id: 'x', input_map: { v: '$.ab.output', w: '$.a.output' } },
        },
      },
      'a',
      'z',
    );
    expect(next.steps.ab?.input_map).toEqual({ v: '$.ab.output', w: '$.z.output' });
  });

  it('updateStep changes fields and removes those set to undefined', () => {
    const next = updateStep(linear, 'fetch', { transformer_id: 'other', input_map: undefined });
    expect(next.steps.fetch).toEqual({ transformer_id: 'other', next_step: 'score' });
  });

  it('freeStepId proposes an unused id', () => {
    expect(freeStepId(linear)).toBe('step3');
    expect(
      freeStepId({ ...linear, steps: { ...linear.steps, step3: { transformer_id: 'x' } } }),
    ).toBe('step4');
  });
});
