import { describe, expect, it } from 'vitest';
import { orderDefinition, orderInput, stepRunOrder } from './definition-order.ts';

// As jsonb gives a definition back: keys sorted by length, then bytes.
const fromJsonb = {
  steps: {
    zeta: { next_step: null, transformer_id: 'echo-transformer' },
    last: { config: { a: 1 }, next_step: null, input_map: {}, transformer_id: 'echo-transformer' },
    score: {
      next: [
        { step: 'zeta', when: '@.score > 50', label: 'high' },
        { step: null, when: '@.x' },
      ],
      default: 'last',
      input_map: { v: '$.job_input.v' },
      description: 'Scores the lead',
      transformer_id: 'echo-transformer',
    },
    orphan: { transformer_id: 'echo-transformer' },
    start: { next_step: 'score', transformer_id: 'echo-transformer' },
  },
  inputs: [{ type: 'string', name: 'v', required: true }],
  output_map: { result: '$.last.output' },
  start_step: 'start',
  description: 'A workflow',
};

describe('orderDefinition', () => {
  it('puts the top level in reading order', () => {
    expect(Object.keys(orderDefinition(fromJsonb))).toEqual([
      'description',
      'inputs',
      'start_step',
      'steps',
      'output_map',
    ]);
  });

  it('lists steps in the order they run (breadth-first over branches), then the rest', () => {
    const ordered = orderDefinition(fromJsonb);
    // start → score → its branches in order (zeta, null) then default (last); orphan unreached.
    expect(Object.keys(ordered.steps)).toEqual(['start', 'score', 'zeta', 'last', 'orphan']);
    expect(stepRunOrder(fromJsonb)).toEqual(['start', 'score', 'zeta', 'last', 'orphan']);
  });

  it("orders each step's, branch's and input's keys as their schema declares them", () => {
    const ordered = orderDefinition(fromJsonb);
    expect(Object.keys(ordered.steps.score)).toEqual([
      'transformer_id',
      'input_map',
      'next',
      'default',
      'description',
    ]);
    expect(Object.keys(ordered.steps.last)).toEqual([
      'transformer_id',
      'input_map',
      'next_step',
      'config',
    ]);
    expect(Object.keys(ordered.steps.score.next[0]!)).toEqual(['when', 'step', 'label']);
    expect(Object.keys(ordered.inputs[0]!)).toEqual(['name', 'type', 'required']);
  });

  it('changes nothing but the order, and leaves its argument alone', () => {
    const before = JSON.stringify(fromJsonb);
    const ordered = orderDefinition(fromJsonb);
    expect(ordered).toEqual(fromJsonb);
    expect(JSON.stringify(fromJsonb)).toBe(before);
    expect(JSON.stringify(ordered)).not.toBe(before);
  });

  it('keeps unknown keys after the known ones, and takes malformed definitions as they are', () => {
    expect(Object.keys(orderDefinition({ zz: 1, steps: {}, start_step: 'a' }))).toEqual([
      'start_step',
      'steps',
      'zz',
    ]);
    expect(orderDefinition(null)).toBeNull();
    expect(orderDefinition('text')).toBe('text');
    expect(orderDefinition([1, 2])).toEqual([1, 2]);
    const broken = { start_step: 'nope', steps: { b: { next: 'x' }, a: 3 } };
    expect(Object.keys(orderDefinition(broken).steps)).toEqual(['b', 'a']);
  });

  it('follows a cycle once', () => {
    const cyclic = {
      steps: { b: { next_step: 'a' }, a: { next_step: 'b' } },
      start_step: 'a',
    };
    expect(stepRunOrder(cyclic)).toEqual(['a', 'b']);
  });
});

describe('orderInput', () => {
  const declared = [{ name: 'email' }, { name: 'company' }, { name: 'amount' }];

  it('puts declared inputs first in their declared order, then the rest as they came', () => {
    const input = { extra: true, amount: 5, email: 'a@b.c', company: 'Acme' };
    expect(Object.keys(orderInput(declared, input))).toEqual([
      'email',
      'company',
      'amount',
      'extra',
    ]);
    expect(orderInput(declared, input)).toEqual(input);
  });

  it('leaves the input alone when nothing is declared or it is not an object', () => {
    const input = { b: 1, a: 2 };
    expect(Object.keys(orderInput(undefined, input))).toEqual(['b', 'a']);
    expect(orderInput(declared, null)).toBeNull();
    expect(orderInput(declared, [1])).toEqual([1]);
  });
});
