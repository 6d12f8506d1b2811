import { describe, expect, it } from 'vitest';
import {
  validateWorkflowInput,
  workflowInputsSchema,
  type WorkflowInput,
} from './workflow-inputs.ts';

const inputs: WorkflowInput[] = [
  { name: 'email', type: 'string', required: true },
  { name: 'count', type: 'number', default: 3 },
  { name: 'flags', type: 'object' },
  { name: 'tags', type: 'array', required: true, default: [] },
];

describe('validateWorkflowInput', () => {
  it('passes any object when nothing is declared', () => {
    expect(validateWorkflowInput(undefined, { a: 1 })).toEqual({ ok: true, input: { a: 1 } });
    expect(validateWorkflowInput([], { a: 1 })).toEqual({ ok: true, input: { a: 1 } });
  });

  it('fills defaults and keeps undeclared fields', () => {
    expect(validateWorkflowInput(inputs, { email: 'a@b.c', extra: true })).toEqual({
      ok: true,
      input: { email: 'a@b.c', extra: true, count: 3, tags: [] },
    });
  });

  it.each([
    [{}, ['email', 'missing']],
    [{ email: null }, ['email', 'missing']],
    [{ email: 4 }, ['email', 'type']],
    [{ email: 'x', count: '3' }, ['count', 'type']],
    [{ email: 'x', flags: [] }, ['flags', 'type']],
    [{ email: 'x', tags: {} }, ['tags', 'type']],
  ])('names the bad field in %j', (input, [name, code]) => {
    const result = validateWorkflowInput(inputs, input);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([expect.objectContaining({ path: [name], code })]);
  });

  it('reports every bad field at once', () => {
    const result = validateWorkflowInput(inputs, { count: 'x', flags: 1 });
    expect(result.ok ? [] : result.errors.map((e) => e.path[0])).toEqual([
      'email',
      'count',
      'flags',
    ]);
  });
});

describe('workflowInputsSchema', () => {
  it('refuses duplicate names and bad names', () => {
    expect(workflowInputsSchema.safeParse([inputs[0], inputs[0]]).success).toBe(false);
    expect(workflowInputsSchema.safeParse([{ name: '1x', type: 'string' }]).success).toBe(false);
    expect(workflowInputsSchema.safeParse(inputs).success).toBe(true);
  });
});

describe('validateWorkflowInput with typed fields (issue 12 §3)', () => {
  const typed: WorkflowInput[] = [
    { name: 'email', type: 'string', format: 'email', required: true },
    { name: 'country', type: 'string', enum: ['NL', 'BE'] },
    { name: 'limit', type: 'integer', minimum: 1, maximum: 100, default: 10 },
    { name: 'audio', type: 'file', accept: 'audio/*' },
  ];

  it('names each bad field with its code', () => {
    const result = validateWorkflowInput(typed, {
      email: 'nope',
      country: 'FR',
      limit: 2.5,
      audio: 'https://x.test/a.mp3',
    });
    expect(result.ok ? [] : result.errors.map((e) => [e.path[0], e.code])).toEqual([
      ['email', 'format'],
      ['country', 'enum'],
      ['limit', 'type'],
      ['audio', 'file'],
    ]);
  });

  it('accepts good values and fills the default', () => {
    expect(validateWorkflowInput(typed, { email: 'a@b.co', country: 'NL' })).toEqual({
      ok: true,
      input: { email: 'a@b.co', country: 'NL', limit: 10 },
    });
  });

  it('keeps the original input shape valid', () => {
    expect(workflowInputsSchema.safeParse(inputs).success).toBe(true);
  });
});
