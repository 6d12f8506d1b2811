import { describe, expect, it } from 'vitest';
import {
  acceptsFile,
  configSchemaSchema,
  fieldDefaultProblem,
  fieldSchemaSchema,
  isCalendarDate,
  validateFields,
  type FieldRule,
  type FieldSchema,
} from './field-schema.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const ref = (over: Record<string, unknown> = {}) => ({
  bucket: 'workflow-files',
  path: `${ORG}/33333333-3333-4333-8333-333333333333/call.mp3`,
  name: 'call.mp3',
  size: 1000,
  mime_type: 'audio/mpeg',
  ...over,
});

/** The first error's code for one field and one value, or 'ok'. */
function codeOf(field: Omit<FieldSchema, 'name'>, value: unknown, organisationId?: string) {
  const result = validateFields([{ name: 'f', ...field } as FieldSchema], { f: value }, [], {
    organisationId,
  });
  return result.ok ? 'ok' : result.errors[0]!.code;
}

describe('validateFields: each type, accepted and refused', () => {
  it.each([
    [{ type: 'string' }, 'x', 'ok'],
    [{ type: 'string' }, 1, 'type'],
    [{ type: 'number' }, 1.5, 'ok'],
    [{ type: 'number' }, '1', 'type'],
    [{ type: 'integer' }, 3, 'ok'],
    [{ type: 'integer' }, 3.5, 'type'],
    [{ type: 'integer' }, '3', 'type'],
    [{ type: 'boolean' }, false, 'ok'],
    [{ type: 'boolean' }, 'false', 'type'],
    [{ type: 'object' }, { a: 1 }, 'ok'],
    [{ type: 'object' }, [1], 'type'],
    [{ type: 'array' }, [1], 'ok'],
    [{ type: 'array' }, { 0: 1 }, 'type'],
    [{ type: 'file' }, ref(), 'ok'],
    [{ type: 'file' }, 'https://x.test/a.mp3', 'file'],
    [{ type: 'file' }, ref({ bucket: 'other' }), 'file'],
    [{ type: 'file' }, ref({ path: '../etc/passwd' }), 'file'],
  ] as const)('%j with %j → %s', (field, value, code) => {
    expect(codeOf(field, value)).toBe(code);
  });

  it.each([
    ['email', 'a@b.co', 'ok'],
    ['email', 'a@b', 'format'],
    ['email', 'a b@c.de', 'format'],
    ['url', 'https://api.crm.com/hook?x=1', 'ok'],
    ['url', 'ftp://x.com', 'format'],
    ['url', 'not a url', 'format'],
    ['date', '2028-02-29', 'ok'],
    ['date', '2026-02-29', 'format'],
    ['date', '2026-13-01', 'format'],
    ['date', '2026-1-01', 'format'],
  ] as const)('format %s: %s → %s', (format, value, code) => {
    expect(codeOf({ type: 'string', format }, value)).toBe(code);
  });

  it('matches a pattern against the whole value', () => {
    expect(codeOf({ type: 'string', pattern: '[A-Z]{2}[0-9]+' }, 'NL123')).toBe('ok');
    expect(codeOf({ type: 'string', pattern: '[A-Z]{2}[0-9]+' }, 'xNL123')).toBe('pattern');
    expect(codeOf({ type: 'string', pattern: '[A-Z]{2}[0-9]+' }, 'NL123x')).toBe('pattern');
  });

  it('matches a pathological pattern in linear time', () => {
    // V8's backtracking RegExp takes seconds on this; RE2 answers at once.
    expect(codeOf({ type: 'string', pattern: '(a+)+b' }, 'a'.repeat(5000))).toBe('pattern');
  });

  it('checks enum values and ranges', () => {
    expect(codeOf({ type: 'string', enum: ['GET', 'POST'] }, 'POST')).toBe('ok');
    expect(codeOf({ type: 'string', enum: ['GET', 'POST'] }, 'PUT')).toBe('enum');
    expect(codeOf({ type: 'integer', enum: [1, 2] }, 2)).toBe('ok');
    expect(codeOf({ type: 'number', minimum: 1, maximum: 5 }, 1)).toBe('ok');
    expect(codeOf({ type: 'number', minimum: 1, maximum: 5 }, 5)).toBe('ok');
    expect(codeOf({ type: 'number', minimum: 1, maximum: 5 }, 0.5)).toBe('minimum');
    expect(codeOf({ type: 'integer', minimum: 1, maximum: 5 }, 6)).toBe('maximum');
  });

  it('checks a file against accept, max_bytes and the organisation', () => {
    expect(codeOf({ type: 'file', accept: 'audio/*' }, ref())).toBe('ok');
    expect(codeOf({ type: 'file', accept: 'audio/*' }, ref({ mime_type: 'text/plain' }))).toBe(
      'file_type',
    );
    expect(codeOf({ type: 'file', accept: '.pdf,.mp3' }, ref())).toBe('ok');
    expect(codeOf({ type: 'file', max_bytes: 1000 }, ref())).toBe('ok');
    expect(codeOf({ type: 'file', max_bytes: 999 }, ref())).toBe('file_too_large');
    expect(codeOf({ type: 'file' }, ref(), ORG)).toBe('ok');
    expect(codeOf({ type: 'file' }, ref(), OTHER)).toBe('file_forbidden');
  });

  it('fills defaults, reports missing required fields, keeps undeclared members', () => {
    const fields: FieldSchema[] = [
      { name: 'a', type: 'string', required: true },
      { name: 'b', type: 'integer', default: 3 },
      { name: 'c', type: 'boolean', required: true, default: false },
    ];
    expect(validateFields(fields, { a: 'x', extra: 1 })).toEqual({
      ok: true,
      value: { a: 'x', b: 3, c: false, extra: 1 },
    });
    const missing = validateFields(fields, { a: null });
    expect(missing).toEqual({
      ok: false,
      errors: [{ path: ['a'], code: 'missing', message: 'a is required (string)' }],
    });
  });

  it('never puts the value in a message', () => {
    const result = validateFields(
      [{ name: 'token', type: 'string', pattern: '[a-z]+', format: 'email' }],
      { token: 'SECRET-VALUE' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).not.toContain('SECRET');
  });
});

describe('cross-field rules', () => {
  const fields: FieldSchema[] = [
    { name: 'base_ms', type: 'integer', default: 1000 },
    { name: 'cap_ms', type: 'integer' },
  ];
  const rules: FieldRule[] = [
    { field: 'cap_ms', gte_field: 'base_ms', message: 'Max delay must be at least the base delay' },
  ];

  it('reports the rule at its field, with defaults counted', () => {
    expect(validateFields(fields, { cap_ms: 500 }, rules)).toEqual({
      ok: false,
      errors: [
        { path: ['cap_ms'], code: 'rule', message: 'Max delay must be at least the base delay' },
      ],
    });
    expect(validateFields(fields, { cap_ms: 1000 }, rules).ok).toBe(true);
    // Nothing to compare when one side is absent.
    expect(validateFields(fields, { base_ms: 5 }, rules).ok).toBe(true);
  });

  it('reports a field own error rather than the rule', () => {
    const result = validateFields(fields, { cap_ms: 'x' }, rules);
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['type']);
  });
});

describe('fieldSchemaSchema and configSchemaSchema', () => {
  it.each([
    [{ name: 'a', type: 'string', format: 'email', pattern: '[a-z]+@.+', enum: ['x@y.z'] }, true],
    [{ name: 'a', type: 'number', minimum: 1, maximum: 1 }, true],
    [{ name: 'a', type: 'file', accept: 'audio/*', max_bytes: 10 }, true],
    [{ name: '1a', type: 'string' }, false],
    [{ name: 'a', type: 'date' }, false],
    [{ name: 'a', type: 'number', format: 'email' }, false],
    [{ name: 'a', type: 'string', minimum: 1 }, false],
    [{ name: 'a', type: 'string', accept: 'audio/*' }, false],
    [{ name: 'a', type: 'number', minimum: 2, maximum: 1 }, false],
    [{ name: 'a', type: 'string', enum: ['x', 1] }, false],
    [{ name: 'a', type: 'integer', enum: [1, 1.5] }, false],
    [{ name: 'a', type: 'string', enum: ['x', 'x'] }, false],
    [{ name: 'a', type: 'string', pattern: '(' }, false],
    [{ name: 'a', type: 'string', pattern: 'a{1,2000}' }, false],
    [{ name: 'a', type: 'string', unknown: 1 }, false],
  ])('%j valid: %s', (field, valid) => {
    expect(fieldSchemaSchema.safeParse(field).success).toBe(valid);
  });

  it('checks defaults against their field', () => {
    expect(fieldDefaultProblem({ name: 'n', type: 'integer', default: 2 })).toBeNull();
    expect(fieldDefaultProblem({ name: 'n', type: 'integer', default: 2.5 })).toMatch(
      /The default of n must be an integer/,
    );
    expect(fieldDefaultProblem({ name: 'm', type: 'string', enum: ['GET'], default: 'PUT' })).toBe(
      'The default of m must be one of "GET"',
    );
    expect(fieldDefaultProblem({ name: 'f', type: 'file', default: ref() })).toMatch(/file/);
    const parsed = configSchemaSchema.safeParse({
      fields: [{ name: 'timeout_ms', type: 'integer', minimum: 1, default: 0 }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['fields', 0, 'default']);
  });

  it('refuses duplicate names and rules over non-number fields', () => {
    expect(
      configSchemaSchema.safeParse({
        fields: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'number' },
        ],
      }).success,
    ).toBe(false);
    const bad = configSchemaSchema.safeParse({
      fields: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'number' },
      ],
      rules: [{ field: 'a', gte_field: 'b', message: 'no' }],
    });
    expect(bad.error?.issues.map((issue) => issue.path)).toEqual([['rules', 0, 'field']]);
  });
});

describe('helpers', () => {
  it('isCalendarDate', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-04-31')).toBe(false);
  });
  it('acceptsFile', () => {
    expect(acceptsFile('audio/*', { name: 'a', mime_type: 'AUDIO/WAV' })).toBe(true);
    expect(acceptsFile('image/png, .PDF', { name: 'a.pdf', mime_type: '' })).toBe(true);
    expect(acceptsFile('image/png', { name: 'a.png', mime_type: 'image/jpeg' })).toBe(false);
  });
});
