import { describe, expect, it } from 'vitest';
import { definitionWithRows, emptyInputRow, rowsFromDefinition } from '../inputs-editor';

const NO_OPTIONS = {
  format: '',
  pattern: '',
  enum: '',
  minimum: '',
  maximum: '',
  accept: '',
  max_bytes: '',
};

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
      { name: 'a', type: 'string', required: true, default: 'x', description: '', ...NO_OPTIONS },
      {
        name: 'b',
        type: 'object',
        required: false,
        default: '{"k":1}',
        description: 'B',
        ...NO_OPTIONS,
      },
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
      { ...emptyInputRow(), name: 'n', type: 'number', default: '2' },
      {
        ...emptyInputRow(),
        name: 'bad',
        type: 'array',
        required: true,
        default: '[1',
        description: 'D',
      },
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

describe('typed-field options (issue 12 §3)', () => {
  it("reads and writes each type's options, numbers as numbers", () => {
    const inputs = [
      { name: 's', type: 'string', format: 'email', pattern: '.+@x\\.nl', enum: ['a@x.nl'] },
      { name: 'i', type: 'integer', minimum: 1, maximum: 9, enum: [1, 2], title: 'Count' },
      { name: 'f', type: 'file', accept: 'audio/*', max_bytes: 1000 },
    ];
    const rows = rowsFromDefinition(text(inputs));
    expect(
      rows?.map((row) => [row.format, row.pattern, row.enum, row.minimum, row.accept]),
    ).toEqual([
      ['email', '.+@x\\.nl', 'a@x.nl', '', ''],
      ['', '', '1, 2', '1', ''],
      ['', '', '', '', 'audio/*'],
    ]);
    expect(JSON.parse(definitionWithRows(text(inputs), rows ?? []) ?? 'null').inputs).toEqual(
      inputs,
    );
  });

  it("drops options that do not apply to a row's new type; keeps bad numbers as text", () => {
    const written = definitionWithRows(JSON.stringify(steps), [
      {
        ...emptyInputRow(),
        name: 'n',
        type: 'number',
        format: 'email',
        minimum: 'x',
        maximum: '5',
      },
    ]);
    expect(JSON.parse(written ?? 'null').inputs).toEqual([
      { name: 'n', type: 'number', minimum: 'x', maximum: 5 },
    ]);
  });

  it('leaves an option with a comma to the JSON', () => {
    expect(rowsFromDefinition(text([{ name: 's', type: 'string', enum: ['a,b'] }]))).toBeNull();
  });
});
