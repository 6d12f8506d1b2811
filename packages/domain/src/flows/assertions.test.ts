import { describe, expect, it } from 'vitest';
import {
  cutText,
  evaluateAssertions,
  jsonEqual,
  MAX_ACTUAL_CHARS,
  validateAssertion,
} from './assertions.ts';
import type { FlowAssertion } from './schemas.ts';

const output = {
  status: 'ok',
  count: 7,
  user: { id: 'u_123', roles: ['admin', 'dev'], meta: { a: 1, b: [1, 2] } },
  tags: ['x', { k: 1, j: 2 }],
  empty: null,
  items: [{ n: 1 }, { n: 2 }],
};

describe('validateAssertion', () => {
  it.each<[FlowAssertion, RegExp | null]>([
    [{ path: '$.status', operator: 'exists' }, null],
    [{ path: '$.status', operator: 'equals', expected: 'ok' }, null],
    [{ path: '$.status', operator: 'equals', expected: null }, null],
    [{ path: '$.status', operator: 'not_equals', expected: 1 }, null],
    [{ path: '$.tags', operator: 'contains', expected: { k: 1 } }, null],
    [{ path: '$.id', operator: 'matches', expected: 'u_[0-9]+' }, null],
    [{ path: '$.count', operator: 'lt', expected: 5 }, null],
    [{ path: '$.count', operator: 'gt', expected: -2.5 }, null],
    [{ path: 'status', operator: 'exists' }, /not a valid JSONPath/],
    [{ path: '$[?match(@, "[")]', operator: 'exists' }, /not a valid JSONPath/],
    [{ path: '$.status', operator: 'equals' }, /needs an expected value/],
    [{ path: '$.status', operator: 'not_equals' }, /needs an expected value/],
    [{ path: '$.status', operator: 'contains' }, /needs an expected value/],
    [{ path: '$.id', operator: 'matches', expected: '(a' }, /not an I-Regexp/],
    [{ path: '$.id', operator: 'matches', expected: '\\d+' }, /not an I-Regexp/],
    [{ path: '$.id', operator: 'matches', expected: 5 }, /needs a pattern/],
    [{ path: '$.count', operator: 'lt', expected: '5' }, /needs a number/],
    [{ path: '$.count', operator: 'gt' }, /needs a number/],
    [{ path: '$.count', operator: 'gt', expected: Number.NaN }, /needs a number/],
  ])('%j → %s', (assertion, problem) => {
    const result = validateAssertion(assertion);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toMatch(problem);
  });
});

describe('evaluateAssertions', () => {
  it.each<[FlowAssertion, boolean, unknown, string]>([
    [{ path: '$.status', operator: 'exists' }, true, 'ok', '$.status exists'],
    [{ path: '$.empty', operator: 'exists' }, true, null, '$.empty exists'],
    [
      { path: '$.nope', operator: 'exists' },
      false,
      null,
      '$.nope matched nothing, expected it to exist',
    ],
    [
      { path: '$.items[?@.n > 5]', operator: 'exists' },
      false,
      null,
      '$.items[?@.n > 5] matched nothing, expected it to exist',
    ],
    [{ path: '$.status', operator: 'equals', expected: 'ok' }, true, 'ok', "$.status is 'ok'"],
    [
      { path: '$.status', operator: 'equals', expected: 'failed' },
      false,
      'ok',
      "$.status is 'ok', expected 'failed'",
    ],
    [
      { path: '$.count', operator: 'equals', expected: '7' },
      false,
      7,
      "$.count is 7, expected '7'",
    ],
    [
      { path: '$.user.meta', operator: 'equals', expected: { b: [1, 2], a: 1 } },
      true,
      { a: 1, b: [1, 2] },
      '$.user.meta is {"a":1,"b":[1,2]}',
    ],
    [
      { path: '$.user.meta', operator: 'equals', expected: { a: 1, b: [2, 1] } },
      false,
      { a: 1, b: [1, 2] },
      '$.user.meta is {"a":1,"b":[1,2]}, expected {"a":1,"b":[2,1]}',
    ],
    [{ path: '$.empty', operator: 'equals', expected: null }, true, null, '$.empty is null'],
    [{ path: '$.items[*].n', operator: 'equals', expected: 1 }, true, 1, '$.items[*].n is 1'],
    [
      { path: '$.nope', operator: 'equals', expected: 'x' },
      false,
      null,
      "$.nope matched nothing, expected 'x'",
    ],
    [
      { path: '$.status', operator: 'not_equals', expected: 'failed' },
      true,
      'ok',
      "$.status is 'ok', not 'failed'",
    ],
    [
      { path: '$.status', operator: 'not_equals', expected: 'ok' },
      false,
      'ok',
      "$.status is 'ok', expected anything else",
    ],
    [
      { path: '$.nope', operator: 'not_equals', expected: 'ok' },
      false,
      null,
      "$.nope matched nothing, expected something other than 'ok'",
    ],
    [
      { path: '$.user.id', operator: 'contains', expected: '123' },
      true,
      'u_123',
      "$.user.id is 'u_123', contains '123'",
    ],
    [
      { path: '$.user.id', operator: 'contains', expected: 'x' },
      false,
      'u_123',
      "$.user.id is 'u_123', expected it to contain 'x'",
    ],
    [
      { path: '$.user.id', operator: 'contains', expected: 1 },
      false,
      'u_123',
      "$.user.id is 'u_123', expected it to contain 1",
    ],
    [
      { path: '$.user.roles', operator: 'contains', expected: 'dev' },
      true,
      ['admin', 'dev'],
      `$.user.roles is ["admin","dev"], contains 'dev'`,
    ],
    [
      { path: '$.tags', operator: 'contains', expected: { j: 2, k: 1 } },
      true,
      ['x', { k: 1, j: 2 }],
      `$.tags is ["x",{"k":1,"j":2}], contains {"j":2,"k":1}`,
    ],
    [
      { path: '$.tags', operator: 'contains', expected: { k: 1 } },
      false,
      ['x', { k: 1, j: 2 }],
      `$.tags is ["x",{"k":1,"j":2}], expected it to contain {"k":1}`,
    ],
    [
      { path: '$.user', operator: 'contains', expected: 'roles' },
      true,
      output.user,
      expect.stringContaining("contains 'roles'") as unknown as string,
    ],
    [
      { path: '$.user', operator: 'contains', expected: 'email' },
      false,
      output.user,
      expect.stringContaining("expected it to contain 'email'") as unknown as string,
    ],
    [
      { path: '$.count', operator: 'contains', expected: 7 },
      false,
      7,
      '$.count is 7, expected it to contain 7',
    ],
    [
      { path: '$.user.id', operator: 'matches', expected: 'u_[0-9]+' },
      true,
      'u_123',
      "$.user.id is 'u_123', matching 'u_[0-9]+'",
    ],
    [
      { path: '$.user.id', operator: 'matches', expected: '[0-9]+' },
      false,
      'u_123',
      "$.user.id is 'u_123', expected it to match '[0-9]+'",
    ],
    [
      { path: '$.count', operator: 'matches', expected: '7' },
      false,
      7,
      "$.count is 7 (number), expected a string matching '7'",
    ],
    [{ path: '$.count', operator: 'lt', expected: 10 }, true, 7, '$.count is 7, less than 10'],
    [
      { path: '$.count', operator: 'lt', expected: 7 },
      false,
      7,
      '$.count is 7, expected less than 7',
    ],
    [{ path: '$.count', operator: 'gt', expected: 6.5 }, true, 7, '$.count is 7, greater than 6.5'],
    [
      { path: '$.count', operator: 'gt', expected: 7 },
      false,
      7,
      '$.count is 7, expected greater than 7',
    ],
    [
      { path: '$.status', operator: 'gt', expected: 1 },
      false,
      'ok',
      "$.status is 'ok' (string), expected a number greater than 1",
    ],
    [
      { path: '$.nope', operator: 'lt', expected: 1 },
      false,
      null,
      '$.nope matched nothing, expected a number less than 1',
    ],
    [
      { path: 'status', operator: 'exists' },
      false,
      null,
      expect.stringMatching(/^status: .*not a valid JSONPath/) as unknown as string,
    ],
    [
      { path: '$.count', operator: 'lt', expected: 'x' },
      false,
      null,
      '$.count: < needs a number as expected value',
    ],
  ])('%j passes: %s', (assertion, passed, actual, message) => {
    const [result] = evaluateAssertions([assertion], output);
    expect(result).toEqual({
      path: assertion.path,
      operator: assertion.operator,
      expected: assertion.expected ?? null,
      actual,
      passed,
      message,
    });
  });

  it('evaluates over a non-object output', () => {
    expect(evaluateAssertions([{ path: '$', operator: 'equals', expected: 3 }], 3)[0]?.passed).toBe(
      true,
    );
    expect(evaluateAssertions([{ path: '$.a', operator: 'exists' }], null)[0]?.passed).toBe(false);
  });

  it('cuts long values short in messages', () => {
    const [result] = evaluateAssertions([{ path: '$.s', operator: 'equals', expected: 'y' }], {
      s: 'x'.repeat(500),
    });
    expect(result?.message.length).toBeLessThan(200);
    expect(result?.actual).toBe('x'.repeat(500));
  });

  it('keeps every assertion in order', () => {
    const results = evaluateAssertions(
      [
        { path: '$.status', operator: 'exists' },
        { path: '$.count', operator: 'gt', expected: 100 },
      ],
      output,
    );
    expect(results.map((r) => r.passed)).toEqual([true, false]);
  });
});

describe('jsonEqual', () => {
  it.each([
    [1, 1, true],
    [1, '1', false],
    [null, null, true],
    [null, {}, false],
    [[], {}, false],
    [{}, [], false],
    [[1, [2]], [1, [2]], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: { c: [null] } }, { b: { c: [null] }, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: undefined }, { b: undefined }, false],
  ])('%j and %j: %s', (a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
  });
});

describe('a large matched value', () => {
  it('is recorded as the start of its JSON', () => {
    const big = { list: Array.from({ length: 5000 }, (_, i) => i) };
    const [result] = evaluateAssertions([{ path: '$', operator: 'exists' }], big);
    expect(result?.passed).toBe(true);
    expect(typeof result?.actual).toBe('string');
    expect((result?.actual as string).length).toBe(MAX_ACTUAL_CHARS + 1);
    expect((result?.actual as string).startsWith('{"list":[0,1,2,')).toBe(true);
  });

  it('keeps a value within the limit as it is', () => {
    const [result] = evaluateAssertions([{ path: '$.a', operator: 'exists' }], { a: [1, 2] });
    expect(result?.actual).toEqual([1, 2]);
  });
});

describe('cutText', () => {
  it.each([
    ['abc', 5, 'abc'],
    ['abcdef', 3, 'abc…'],
    ['ab😀cd', 3, 'ab…'],
    ['ab😀cd', 4, 'ab😀…'],
  ])('%j cut to %i is %j', (text, max, cut) => {
    expect(cutText(text, max)).toBe(cut);
  });
});
