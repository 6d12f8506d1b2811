import { describe, expect, it } from 'vitest';
import {
  JsonPathError,
  buildWorkflowContext,
  evaluateJsonPath,
  mapInputs,
  parseJsonPath,
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
