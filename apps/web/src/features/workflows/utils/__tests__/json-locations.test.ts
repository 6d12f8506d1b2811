import { describe, expect, it } from 'vitest';
import { formatJsonPath, parseJsonWithLocations } from '../json-locations';

describe('parseJsonWithLocations', () => {
  it('parses like JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\n\\u00e9"], "b": {"c": {}}}';
    const parsed = parseJsonWithLocations(text);
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(text));
  });

  it('locates keys and array items by path, falling back to the deepest existing part', () => {
    const text = '{\n  "steps": {\n    "one": { "x": [10,\n 20] }\n  }\n}';
    const parsed = parseJsonWithLocations(text);
    if (!parsed.ok) throw new Error('expected valid JSON');
    expect(parsed.locate(['steps'])).toMatchObject({ line: 2, column: 3 });
    expect(parsed.locate(['steps', 'one', 'x'])).toMatchObject({ line: 3, column: 14 });
    expect(parsed.locate(['steps', 'one', 'x', 1])).toMatchObject({ line: 4, column: 2 });
    expect(parsed.locate(['steps', 'one', 'missing'])).toMatchObject({ line: 3, column: 5 });
  });

  it.each([
    ['{"a": 1,}', 'Trailing comma', 1, 8],
    ['{\n"a" 1}', 'Expected “:” after "a", found “1”', 2, 5],
    ["{'a': 1}", "Expected a property name in double quotes, found “'”", 1, 2],
    ['{"a": 1} x', 'Unexpected “x” after the end of the JSON', 1, 10],
    ['{"a": "b', 'Unterminated string', 1, 7],
    ['[1 2]', 'Expected “,” or “]”, found “2”', 1, 4],
    ['', 'Expected a value, found the end of the text', 1, 1],
  ])('reports %j as “%s” at line %i, column %i', (text, message, line, column) => {
    const parsed = parseJsonWithLocations(text);
    expect(parsed).toMatchObject({ ok: false, message, location: { line, column } });
  });
});

describe('formatJsonPath', () => {
  it.each([
    [['steps', 'step1', 'input_map', 'data'], 'steps.step1.input_map.data'],
    [['steps', 'a b', 0], 'steps["a b"][0]'],
    [[], '(the definition)'],
  ])('%j → %s', (path, expected) => {
    expect(formatJsonPath(path)).toBe(expected);
  });
});
