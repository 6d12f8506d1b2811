import { describe, expect, it } from 'vitest';
import { definitionWithRows, rowsFromDefinition } from '../inputs-editor';

const steps = { start_step: 'a', steps: { a: { transformer_id: 'echo-transformer' } } };
const text = (inputs: unknown) => JSON.stringify({ ...steps, inputs });

describe('rowsFromDefinition', () => {
  it('reads each input as a row, defaults as their control shows them', () => {
    expect(
      rowsFromDefinition(
        text([
          { name: 'a', type: 'string', default: 'x', required: true },
          { name: 'b', type: 'object', default: { k: 1 }, description: 'B' },
        ]),
      ),
    ).toEqual([
      { name: 'a', type: 'string', required: true, default: 'x', description: '' },
      { name: 'b', type: 'object', required: false, default: '{"k":1}', description: 'B' },
    ]);
    expect(rowsFromDefinition(JSON.stringify(steps))).toEqual([]);
    expect(rowsFromDefinition('')).toEqual([]);
  });

  it.each([
    ['JSON that does not parse', '{"inputs": ['],
    ['inputs that are not an array', text({ a: 'string' })],
    ['a key the table has no column for', text([{ name: 'a', type: 'string', min: 1 }])],
    ['an unknown type', text([{ name: 'a', type: 'date' }])],
    [
      'an empty-string default (blank means none)',
      text([{ name: 'a', type: 'string', default: '' }]),
    ],
  ])('leaves %s to the JSON', (_name, definition) => {
    expect(rowsFromDefinition(definition)).toBeNull();
  });
});

describe('definitionWithRows', () => {
  it('writes rows back as inputs, defaults typed, and drops inputs when there are none', () => {
    const written = definitionWithRows(JSON.stringify(steps), [
      { name: 'n', type: 'number', required: false, default: '2', description: '' },
      { name: 'bad', type: 'array', required: true, default: '[1', description: 'D' },
    ]);
    expect(JSON.parse(written ?? 'null')).toEqual({
      ...steps,
      inputs: [
        { name: 'n', type: 'number', default: 2 },
        { name: 'bad', type: 'array', required: true, description: 'D', default: '[1' },
      ],
    });
    expect(JSON.parse(definitionWithRows(written ?? '', []) ?? 'null')).toEqual(steps);
    expect(definitionWithRows('[1]', [])).toBeNull();
  });
});
