import { describe, expect, it } from 'vitest';
import {
  JsonPathError,
  buildWorkflowContext,
  evaluateJsonPath,
  mapInputs,
  parseJsonPath,
  queryJsonPath,
} from './json-path.ts';

describe('parseJsonPath', () => {
  it.each([
    ['$.job_input.payload', 'job_input', true],
    ['$.step1.output.echoed_data', 'step1', true],
    ["$['job_input']['a b'][0]", 'job_input', true],
    ['$["config"].model', 'config', true],
    ['$.variables.items[*]', 'variables', false],
    ['$.job_input.items[0:2]', 'job_input', false],
    ['$.job_input.items[?@.price > 10]', 'job_input', false],
    ['$.job_input..name', 'job_input', false],
    ['$', null, true],
    ['$..payload', null, false],
    ['$[*]', null, false],
    ["$['job_input','config']", null, false],
  ])('parses %s (root %s, singular %s)', (path, root, singular) => {
    const parsed = parseJsonPath(path);
    expect(parsed.root).toBe(root);
    expect(parsed.singular).toBe(singular);
  });

  it.each([
    'job_input.payload',
    '$.',
    '$.job_input[',
    '$.job_input.items[?@.price >]',
    '$.job_input.items[01]',
    '',
    ' $.job_input',
  ])('rejects %j with a message naming the path', (path) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(`"${path}" is not a valid JSONPath (RFC 9535)`);
  });
});

describe('buildWorkflowContext', () => {
  it('nests each step output under { output } beside job_input, config and variables', () => {
    expect(
      buildWorkflowContext({
        jobInput: { payload: 1 },
        stepOutputs: { step1: { echoed_data: 1 } },
        config: { model: 'm' },
      }),
    ).toEqual({
      job_input: { payload: 1 },
      step1: { output: { echoed_data: 1 } },
      config: { model: 'm' },
      variables: {},
    });
  });
});

describe('evaluateJsonPath', () => {
  const context = buildWorkflowContext({
    jobInput: { payload: { a: 1 }, items: [{ n: 1 }, { n: 2 }], one: [7], nothing: null },
    stepOutputs: { step1: { echoed_data: 'x' } },
  });

  it.each([
    ['$.job_input.payload', { found: true, value: { a: 1 } }],
    ['$.job_input.payload.a', { found: true, value: 1 }],
    ['$.job_input.nothing', { found: true, value: null }],
    ['$.step1.output.echoed_data', { found: true, value: 'x' }],
    ['$.job_input.items[1].n', { found: true, value: 2 }],
    ['$.job_input.items[-1].n', { found: true, value: 2 }],
    ['$.job_input.items[*].n', { found: true, value: [1, 2] }],
    // A non-singular path stays a list even with one match, so its shape never flips.
    ['$.job_input.one[*]', { found: true, value: [7] }],
    ['$.job_input.items[?@.n > 1]', { found: true, value: [{ n: 2 }] }],
    ['$.job_input.missing', { found: false }],
    ['$.step2.output', { found: false }],
    ['$.job_input.items[*].missing', { found: false }],
  ])('%s gives %j', (path, expected) => {
    expect(evaluateJsonPath(path, context)).toEqual(expected);
  });
});

describe('mapInputs', () => {
  it("turns seed 003's { payload: X } into the echo step's input", () => {
    const payload = { text: 'hello', n: [1, 2] };
    const context = buildWorkflowContext({ jobInput: { payload } });
    expect(mapInputs({ data: '$.job_input.payload' }, context)).toEqual({
      value: { data: payload },
      missing: [],
    });
  });

  it("maps seed 003's output_map over the echo step's output", () => {
    const context = buildWorkflowContext({
      jobInput: { payload: 42 },
      stepOutputs: { step1: { echoed_data: 42 } },
    });
    expect(mapInputs({ result: '$.step1.output.echoed_data' }, context)).toEqual({
      value: { result: 42 },
      missing: [],
    });
  });

  it('reports paths that match nothing and leaves their keys undefined', () => {
    const context = buildWorkflowContext({ jobInput: { a: 1 }, variables: { lang: 'en' } });
    const result = mapInputs(
      { a: '$.job_input.a', b: '$.job_input.b', lang: '$.variables.lang', c: '$.config.c' },
      context,
    );
    expect(result.value).toEqual({ a: 1, b: undefined, lang: 'en', c: undefined });
    expect('b' in result.value).toBe(true);
    expect(result.missing).toEqual([
      { key: 'b', path: '$.job_input.b' },
      { key: 'c', path: '$.config.c' },
    ]);
  });

  it('throws JsonPathError for a path that does not parse', () => {
    expect(() => mapInputs({ a: '$.job_input[' }, { job_input: {} })).toThrow(JsonPathError);
  });
});

describe('filters', () => {
  it('reads a && b && c as all three (it was a && (b || c))', () => {
    const items = [
      { id: 1, price: 20, stock: 1, active: true },
      { id: 2, price: 20, stock: 1, active: false },
      { id: 3, price: 20, stock: 0, active: true },
      { id: 4, price: 5, stock: 1, active: true },
    ];
    expect(
      queryJsonPath('$.items[?@.price > 10 && @.stock > 0 && @.active == true].id', { items }),
    ).toEqual([1]);
  });

  it('counts length() in code points', () => {
    expect(queryJsonPath('$[?length(@) == 1]', ['😀', 'ab', 'é'])).toEqual(['😀', 'é']);
  });

  it.each(['$[?count()==1]', '$[?length(@.*)==1]', '$[?value(@.a)]', '$[0, 9007199254740992]'])(
    'rejects %s when parsed, so it can never throw when a step is mapped',
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    },
  );
});

describe('match() and search()', () => {
  it('matches a pattern that backtracks exponentially in a backtracking engine', () => {
    const subjects = ['a'.repeat(30), `${'a'.repeat(30)}b`];
    expect(queryJsonPath("$[?match(@, '(a+)+b')]", subjects)).toEqual([subjects[1]]);
    expect(queryJsonPath("$[?search(@, '(a+)+b')]", subjects)).toEqual([subjects[1]]);
  });

  it.each([
    ['\\d+', 'not an I-Regexp escape'],
    ['(?i)a', 'must be escaped'],
    ['a{2000}', 'is not an I-Regexp'],
    ['[z-a]', 'is not an I-Regexp'],
    ['\\p{IsBasicLatin}', 'Unicode category'],
  ])('rejects the pattern %s when the path is parsed', (pattern, reason) => {
    const path = `$.job_input[?match(@, '${pattern.replace(/\\/g, '\\\\')}')]`;
    expect(() => parseJsonPath(path)).toThrow(reason);
  });

  it('gives false for a pattern from the document that is not an I-Regexp', () => {
    const document = { re: '\\d', values: ['1', 'a'] };
    expect(queryJsonPath('$.values[?search(@, $.re)]', document)).toEqual([]);
  });

  it.each([
    ['a.c', ['abc', 'a\nc', 'a😀c'], ['abc', 'a😀c']],
    ['[^a-c]x', ['ax', 'dx', '-x'], ['dx', '-x']],
    ['[a-]', ['a', '-', 'b'], ['a', '-']],
    ['\\p{Lu}\\P{Lu}', ['Ab', 'AB', 'Жж'], ['Ab', 'Жж']],
    ['x{2,3}', ['x', 'xx', 'xxx', 'xxxx'], ['xx', 'xxx']],
    ['a|b$', ['a', 'b', 'ab'], ['a', 'b']],
    ['1+2', ['1+2', '112'], ['112']],
    ['1\\+2', ['1+2', '112'], ['1+2']],
  ])('match(@, %j) selects the right strings', (pattern, subjects, expected) => {
    expect(queryJsonPath(`$[?match(@, '${pattern.replace(/\\/g, '\\\\')}')]`, subjects)).toEqual(
      expected,
    );
  });
});

describe('parseJsonPath rootsRead', () => {
  it.each([
    ['$.job_input.a', ['job_input']],
    ['$.job_input.items[?@.lang == $.variables.lang]', ['job_input', 'variables']],
    ["$.s.output[?count($.config[?@ == $['variables'].x]) > 0]", ['s', 'config', 'variables']],
    ['$..a[?@.b == $.variables.c]', ['variables']],
  ])('%s reads %j', (path, roots) => {
    expect(parseJsonPath(path).rootsRead).toEqual(roots);
  });
});

describe('mapInputs failures', () => {
  it('turns any error while evaluating a path into a JsonPathError naming the path', () => {
    const context = {
      job_input: Object.defineProperty({}, 'a', {
        enumerable: true,
        get: () => {
          throw new TypeError('boom');
        },
      }),
    };
    expect(() => mapInputs({ x: '$.job_input.*' }, context)).toThrow(JsonPathError);
    expect(() => mapInputs({ x: '$.job_input.*' }, context)).toThrow(
      '"$.job_input.*" (for "x") could not be evaluated: TypeError: boom',
    );
  });

  it('reports a descendant segment past the recursion limit as a JsonPathError', () => {
    let deep: unknown = { a: 1 };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(() => mapInputs({ x: '$.job_input..a' }, { job_input: deep })).toThrow(
      /"\$\.job_input\.\.a".*could not be evaluated/,
    );
  });
});

describe('the regex budget', () => {
  it('stops a path whose match() calls would cost too much, with a JsonPathError', () => {
    // 5,002 RE2 instructions over 100,000 characters: 7 s of matching without the budget.
    const context = { job_input: { text: 'a'.repeat(100_000) } };
    expect(() =>
      mapInputs({ x: "$.job_input[?search(@, '(a|aa){1,1000}[b-d]')]" }, context),
    ).toThrow(/"\$\.job_input\[\?search.*could not be evaluated: .*would cost more than/);
  });

  it('is per evaluation: the next path starts afresh', () => {
    const context = { job_input: { text: 'a'.repeat(100_000) } };
    expect(() =>
      mapInputs({ x: "$.job_input[?search(@, '(a|aa){1,1000}[b-d]')]" }, context),
    ).toThrow();
    expect(evaluateJsonPath("$.job_input[?search(@, 'a+')]", context)).toEqual({
      found: true,
      value: [context.job_input.text],
    });
  });
});
