import { describe, expect, it } from 'vitest';
import { compareFlowIds, flowIdBetween, isFlowId, nextFlowIdAtTail } from './flow-ids.ts';

describe('flowIdBetween', () => {
  it.each([
    // [before, after, id]
    [null, null, 'flow1'],
    ['flow1', null, 'flow2'],
    ['flow2', null, 'flow3'],
    ['flow1_5', null, 'flow2'],
    ['flow9', null, 'flow10'],
    ['flow1', 'flow2', 'flow1_5'],
    ['flow1', 'flow1_5', 'flow1_25'],
    ['flow1_25', 'flow1_5', 'flow1_375'],
    ['flow1_5', 'flow2', 'flow1_75'],
    ['flow0_5', 'flow1', 'flow0_75'],
    ['flow1', 'flow3', 'flow2'],
    ['flow1', 'flow4', 'flow2_5'],
    ['flow9', 'flow10', 'flow9_5'],
    ['flow1_05', 'flow1_1', 'flow1_075'],
    [null, 'flow1', 'flow0_5'],
    [null, 'flow0_5', 'flow0_25'],
    [null, 'flow1_5', 'flow1'],
    [null, 'flow3', 'flow2'],
    [null, 'flow2', 'flow1'],
    [null, 'flow0_01', 'flow0_005'],
  ])('between %s and %s is %s', (before, after, id) => {
    expect(flowIdBetween(before, after)).toBe(id);
  });

  it.each([
    ['flow2', 'flow1'],
    ['flow1', 'flow1'],
    ['flow1_5', 'flow1_5'],
    ['flow1_50', 'flow2'],
    ['flow01', null],
    [null, 'flow'],
    [null, 'step1'],
    ['flow1_', 'flow2'],
    ['flow-1', null],
    [null, 'flow0'],
  ])('refuses between %s and %s', (before, after) => {
    expect(() => flowIdBetween(before, after)).toThrow();
  });

  it('stays exact and well-formed after many insertions at one spot', () => {
    let low = 'flow1';
    const high = 'flow2';
    for (let i = 0; i < 80; i++) {
      const id = flowIdBetween(low, high);
      expect(isFlowId(id)).toBe(true);
      expect(compareFlowIds(low, id)).toBe(-1);
      expect(compareFlowIds(id, high)).toBe(-1);
      low = id;
    }
    let head = 'flow1';
    for (let i = 0; i < 80; i++) {
      const id = flowIdBetween(null, head);
      expect(isFlowId(id)).toBe(true);
      expect(compareFlowIds(id, head)).toBe(-1);
      head = id;
    }
  });
});

describe('compareFlowIds', () => {
  it.each([
    ['flow1', 'flow2', -1],
    ['flow2', 'flow10', -1],
    ['flow1_5', 'flow1_25', 1],
    ['flow1_25', 'flow1_3', -1],
    ['flow0_5', 'flow1', -1],
    ['flow3', 'flow3', 0],
    ['flow10', 'flow9_99', 1],
  ])('compares %s with %s as %i', (a, b, order) => {
    expect(compareFlowIds(a, b)).toBe(order);
    expect(compareFlowIds(b, a)).toBe(-order || 0);
  });

  it('sorts ids numerically', () => {
    expect(['flow10', 'flow1_5', 'flow2', 'flow1', 'flow0_5'].sort(compareFlowIds)).toEqual([
      'flow0_5',
      'flow1',
      'flow1_5',
      'flow2',
      'flow10',
    ]);
  });

  it('throws on a malformed id', () => {
    expect(() => compareFlowIds('flow1', 'flowx')).toThrow(/not a flow id/);
  });
});

describe('nextFlowIdAtTail', () => {
  it.each([
    [[], 'flow1'],
    [['flow1'], 'flow2'],
    [['flow1', 'flow1_5'], 'flow2'],
    [['flow1', 'flow2', 'flow1_5'], 'flow3'],
    [['flow0_5'], 'flow1'],
    [['flow3', 'flow1'], 'flow4'],
  ])('after %j is %s', (ids, id) => {
    expect(nextFlowIdAtTail(ids)).toBe(id);
  });

  it('throws on a malformed id', () => {
    expect(() => nextFlowIdAtTail(['nope'])).toThrow();
  });
});
