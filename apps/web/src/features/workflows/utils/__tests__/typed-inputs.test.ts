import type { WorkflowInput } from '@forkflow/domain/workflow-inputs';
import { describe, expect, it } from 'vitest';
import { declaredInputsOf, initialTypedValues, readTypedInputs } from '../typed-inputs';

const inputs: WorkflowInput[] = [
  { name: 's', type: 'string', required: true },
  { name: 'n', type: 'number', default: 3 },
  { name: 'b', type: 'boolean' },
  { name: 'o', type: 'object', default: { k: 1 } },
  { name: 'a', type: 'array' },
];

describe('declaredInputsOf', () => {
  it('reads valid inputs and ignores what is absent or malformed', () => {
    expect(declaredInputsOf({ inputs })).toEqual(inputs);
    expect(declaredInputsOf({ steps: {} })).toEqual([]);
    expect(declaredInputsOf({ inputs: [{ name: 'x', type: 'date' }] })).toEqual([]);
    expect(declaredInputsOf(null)).toEqual([]);
  });
});

describe('initialTypedValues', () => {
  it('writes each default as its control shows it', () => {
    expect(initialTypedValues(inputs)).toEqual({
      s: '',
      n: '3',
      b: false,
      o: '{\n  "k": 1\n}',
      a: '',
    });
  });
});

describe('readTypedInputs', () => {
  it('sends typed values, leaving blank text fields out and always sending switches', () => {
    expect(readTypedInputs(inputs, { s: 'x', n: '', b: false, o: ' ', a: '[1, 2]' })).toEqual({
      input: { s: 'x', b: false, a: [1, 2] },
      errors: {},
    });
  });

  it('names what does not read, then what the domain check refuses', () => {
    expect(readTypedInputs(inputs, { s: '', n: '1e999', b: true, o: '{', a: '{}' })).toEqual({
      input: { b: true, a: {} },
      errors: {
        s: 's is required (string)',
        n: 'n must be a number',
        o: expect.stringMatching(/^Not valid JSON/),
        a: 'a must be an array, not an object',
      },
    });
  });
});
