import { describe, expect, it } from 'vitest';
import { expectedText, expectedValue, newFlowId, outputFields } from '../draft';

describe('newFlowId', () => {
  it.each([
    [[], 0, [], 'flow1'],
    [['flow1', 'flow2'], 2, [], 'flow3'],
    [['flow1', 'flow2'], 1, [], 'flow1_5'],
    [['flow1', 'flow1_5', 'flow2'], 1, [], 'flow1_25'],
    [['flow1', 'flow2'], 0, [], 'flow0_5'],
    // After a reorder the neighbours are out of order: past the largest id instead.
    [['flow2', 'flow1'], 1, [], 'flow3'],
    // A removed flow's id is never given again (a mapping to it must not come back to life).
    [['flow1'], 1, ['flow2'], 'flow3'],
    [['flow1', 'flow2'], 1, ['flow1_5'], 'flow3'],
  ])('%j at %i (used before: %j) → %s', (ids, index, used, expected) => {
    expect(newFlowId(ids, index, new Set([...ids, ...used]))).toBe(expected);
  });
});

describe('assertion values', () => {
  it.each([
    ['equals', 'ok', 'ok'],
    ['equals', '200', 200],
    ['equals', '"200"', '200'],
    ['equals', 'true', true],
    ['contains', '{"a":1}', { a: 1 }],
    ['gt', '5', 5],
    ['lt', 'five', 'five'],
    ['matches', '^\\d+$', '^\\d+$'],
    ['exists', 'anything', undefined],
  ] as const)('%s "%s" → %j', (operator, text, value) => {
    expect(expectedValue(operator, text)).toEqual(value);
  });

  it.each([['ok'], [200], ['200'], [true], [{ a: 1 }]])(
    'a saved %j reads back as itself',
    (value) => {
      expect(expectedValue('equals', expectedText(value))).toEqual(value);
    },
  );
});

describe('outputFields', () => {
  it('lists top-level and nested object fields, three deep, not into arrays', () => {
    expect(
      outputFields({
        id: 1,
        owner: { name: 'Ann', team: { code: 'EU', deeper: { x: 1 } } },
        tags: ['a'],
      }),
    ).toEqual([
      ['id'],
      ['owner'],
      ['owner', 'name'],
      ['owner', 'team'],
      ['owner', 'team', 'code'],
      ['owner', 'team', 'deeper'],
      ['tags'],
    ]);
    expect(outputFields('not an object')).toEqual([]);
  });
});
