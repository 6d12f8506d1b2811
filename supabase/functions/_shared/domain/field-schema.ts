// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { z } from 'npm:zod@^4.1.0';
import { WORKFLOW_FILES_BUCKET, isFileRef, fileRefOrgId } from './file-ref.ts';
import {
  IRegexpError,
  RegexBudgetError,
  iRegexpMatch,
  iRegexpProblem,
  resetRegexBudget,
} from './json-path/i-regexp.ts';

// Typed fields (issue 12 §3): one small JSON-Schema-like vocabulary for the two places a
// person types values a workflow reads — a transformer's `config` (transformers.config_schema)
// and a workflow's declared inputs (definition.inputs). The server (save-workflow,
// start-workflow, flows) and the web forms (TypedFields) both call validateFields, so the form
// refuses exactly what the server would. docs/workflow-manager/typed-configuration.md.
//
// Messages name fields and types, never the value that was sent: a flow may fill an input from
// a secret project variable, and an error message ends up in logs and toasts.

export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'file',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const STRING_FORMATS = ['email', 'url', 'date'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

/** A name usable as a JSON member and in `$.job_input.<name>` shorthand. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest `pattern` accepted: RE2 programs grow with it, and so does each match's cost. */
export const MAX_PATTERN_LENGTH = 500;
/** Longest string a `pattern` is checked against; longer ones are refused outright. */
export const MAX_PATTERN_SUBJECT_LENGTH = 10_000;
export const MAX_ENUM_VALUES = 100;
export const MAX_FIELDS = 50;
export const MAX_FIELD_RULES = 20;

const finite = z.number().refine(Number.isFinite, 'Must be a finite number');

const fieldShape = {
  name: z
    .string()
    .max(100)
    .regex(
      FIELD_NAME_PATTERN,
      'A field name starts with a letter or _ and has only letters, digits and _',
    ),
  type: z.enum(FIELD_TYPES),
  /** The label a form shows; the name when absent. */
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  required: z.boolean().optional(),
  /** Used when the value is absent; checked against the field by fieldDefaultProblem. */
  default: z.unknown().optional(),
  /** string only. */
  format: z.enum(STRING_FORMATS).optional(),
  /** string only: an I-Regexp (RFC 9485) the whole value must match, as HTML's pattern does. */
  pattern: z.string().min(1).max(MAX_PATTERN_LENGTH).optional(),
  /** string, number or integer: the allowed values (a form renders a select). */
  enum: z
    .array(z.union([z.string().max(500), finite]))
    .min(1)
    .max(MAX_ENUM_VALUES)
    .optional(),
  /** number or integer, inclusive. */
  minimum: finite.optional(),
  maximum: finite.optional(),
  /** file only: what the picker offers and the server accepts, as HTML's accept: 'audio/*,.pdf'. */
  accept: z.string().min(1).max(500).optional(),
  /** file only: the largest file accepted, in bytes. */
  max_bytes: z.int().positive().optional(),
};

type FieldShapeValue = z.infer<z.ZodObject<typeof fieldShape>>;

/**
 * The checks zod's shape cannot say: which options fit which type, a pattern that compiles,
 * enum values of the field's type, minimum ≤ maximum. Defaults are checked separately
 * (fieldDefaultProblem), so a workflow's bad input default keeps its own error code.
 */
function fieldOptionIssues(field: FieldShapeValue): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const onlyFor = (option: keyof FieldShapeValue, types: readonly FieldType[]) => {
    if (field[option] !== undefined && !types.includes(field.type)) {
      issues.push({
        path: [option],
        message: `${option} applies only to ${types.join(' or ')} fields, not ${field.type}`,
      });
    }
  };
  onlyFor('format', ['string']);
  onlyFor('pattern', ['string']);
  onlyFor('enum', ['string', 'number', 'integer']);
  onlyFor('minimum', ['number', 'integer']);
  onlyFor('maximum', ['number', 'integer']);
  onlyFor('accept', ['file']);
  onlyFor('max_bytes', ['file']);
  if (field.pattern !== undefined) {
    const problem = iRegexpProblem(field.pattern);
    if (problem !== null) {
      issues.push({
        path: ['pattern'],
        message: `The pattern is not a valid I-Regexp: ${problem}`,
      });
    }
  }
  if (field.enum !== undefined && ['string', 'number', 'integer'].includes(field.type)) {
    field.enum.forEach((option, index) => {
      const fits =
        field.type === 'string'
          ? typeof option === 'string'
          : field.type === 'integer'
            ? Number.isInteger(option)
            : typeof option === 'number';
      if (!fits) {
        issues.push({
          path: ['enum', String(index)],
          message: `Every option of a ${field.type} field must be ${article(field.type)} ${field.type}`,
        });
      }
    });
    if (new Set(field.enum).size !== field.enum.length) {
      issues.push({ path: ['enum'], message: 'The options must be unique' });
    }
  }
  if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum) {
    issues.push({ path: ['maximum'], message: 'The maximum must be at least the minimum' });
  }
  return issues;
}

export const fieldSchemaSchema = z.strictObject(fieldShape).superRefine((field, ctx) => {
  for (const issue of fieldOptionIssues(field)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});
export type FieldSchema = z.infer<typeof fieldSchemaSchema>;

/**
 * A cross-field rule: `field`'s value must be at least `gte_field`'s (both numbers), e.g. a
 * retry cap and its base delay. Reported at `field` with `message`.
 */
export const fieldRuleSchema = z.strictObject({
  field: z.string().regex(FIELD_NAME_PATTERN),
  gte_field: z.string().regex(FIELD_NAME_PATTERN),
  message: z.string().min(1).max(500),
});
export type FieldRule = z.infer<typeof fieldRuleSchema>;

/** A list of fields: at most MAX_FIELDS, names unique. */
export const fieldListSchema = z
  .array(fieldSchemaSchema)
  .max(MAX_FIELDS, `At most ${MAX_FIELDS} fields`)
  .refine(
    (fields) => new Set(fields.map((field) => field.name)).size === fields.length,
    'Field names must be unique',
  );

/**
 * A transformer's config_schema: `{ fields, rules? }`. Unlike workflow inputs (whose default
 * errors have their own code), defaults are checked here, and rules must name number fields.
 */
export const configSchemaSchema = z
  .strictObject({
    fields: fieldListSchema,
    rules: z.array(fieldRuleSchema).max(MAX_FIELD_RULES).optional(),
  })
  .superRefine((schema, ctx) => {
    schema.fields.forEach((field, index) => {
      const problem = fieldDefaultProblem(field);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'default'], message: problem });
      }
    });
    const byName = new Map(schema.fields.map((field) => [field.name, field]));
    (schema.rules ?? []).forEach((rule, index) => {
      for (const key of ['field', 'gte_field'] as const) {
        const field = byName.get(rule[key]);
        if (!field || (field.type !== 'number' && field.type !== 'integer')) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, key],
            message: `A rule compares number fields; ${rule[key]} is not one`,
          });
        }
      }
    });
  });
export type ConfigSchema = z.infer<typeof configSchemaSchema>;

export const EMPTY_CONFIG_SCHEMA: Readonly<ConfigSchema> = Object.freeze({ fields: [] });

/** The JSON type of a value as the field types name them (null is its own). */
export function jsonTypeOf(
  value: unknown,
): Exclude<FieldType, 'integer' | 'file'> | 'null' | 'unknown' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : 'unknown';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'unknown';
  }
}

/** "x must be a string, not a number": the wording of every type error. */
export function typeMismatchMessage(subject: string, expected: string, actual: string): string {
  return `${subject} must be ${article(expected)} ${expected}, not ${article(actual)} ${actual}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

export const FIELD_ERROR_CODES = [
  'missing',
  'type',
  'format',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'file',
  'file_type',
  'file_too_large',
  'file_forbidden',
  'rule',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export type FieldError = {
  /** `[name]`: the field the error is about. */
  path: [string];
  code: FieldErrorCode;
  message: string;
};

export type FieldValidation =
  { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export type ValidateFieldsOptions = {
  /**
   * When given, a file reference must live under this organisation's folder
   * (`file_forbidden` otherwise). The executors refuse such a file anyway; checking here says
   * so before a job is created.
   */
  organisationId?: string;
};

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD naming a day that exists (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** An absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/**
 * Whether a file's MIME type or name fits an HTML-style accept list: `audio/*`, `audio/mpeg`,
 * `.mp3`, comma-separated; case-insensitive.
 */
export function acceptsFile(accept: string, file: { name: string; mime_type: string }): boolean {
  const mime = file.mime_type.toLowerCase();
  const name = file.name.toLowerCase();
  return accept
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '')
    .some((token) => {
      if (token.startsWith('.')) return name.endsWith(token);
      if (token.endsWith('/*')) return mime.startsWith(token.slice(0, -1));
      return mime === token;
    });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

const formatWords: Record<StringFormat, string> = {
  email: 'an email address',
  url: 'an http(s) URL',
  date: 'a date written YYYY-MM-DD',
};

/**
 * The first problem with a present (non-null) value for `field`, or null when it fits.
 * `subject` names the field in the message.
 */
export function fieldValueProblem(
  field: FieldSchema,
  value: unknown,
  options: ValidateFieldsOptions = {},
  subject: string = field.name,
): { code: FieldErrorCode; message: string } | null {
  const actual = jsonTypeOf(value);
  switch (field.type) {
    case 'file': {
      if (!isFileRef(value) || value.bucket !== WORKFLOW_FILES_BUCKET) {
        return {
          code: 'file',
          message: `${subject} must be a file uploaded to ${WORKFLOW_FILES_BUCKET}`,
        };
      }
      if (
        options.organisationId !== undefined &&
        fileRefOrgId(value) !== options.organisationId.toLowerCase()
      ) {
        return {
          code: 'file_forbidden',
          message: `${subject} is a file of another organisation`,
        };
      }
      if (field.accept !== undefined && !acceptsFile(field.accept, value)) {
        return { code: 'file_type', message: `${subject} must be a file of type ${field.accept}` };
      }
      if (field.max_bytes !== undefined && value.size > field.max_bytes) {
        return {
          code: 'file_too_large',
          message: `${subject} must be at most ${formatBytes(field.max_bytes)}`,
        };
      }
      return null;
    }
    case 'integer':
      if (actual !== 'number' || !Number.isInteger(value)) {
        return {
          code: 'type',
          message: typeMismatchMessage(
            subject,
            'integer',
            actual === 'number' ? 'number with a fraction' : actual,
          ),
        };
      }
      break;
    default:
      if (actual !== field.type) {
        return { code: 'type', message: typeMismatchMessage(subject, field.type, actual) };
      }
  }
  if (field.enum !== undefined && !field.enum.includes(value as string | number)) {
    return {
      code: 'enum',
      message: `${subject} must be one of ${field.enum.map((option) => JSON.stringify(option)).join(', ')}`,
    };
  }
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) {
      return { code: 'minimum', message: `${subject} must be at least ${field.minimum}` };
    }
    if (field.maximum !== undefined && value > field.maximum) {
      return { code: 'maximum', message: `${subject} must be at most ${field.maximum}` };
    }
  }
  if (typeof value === 'string') {
    if (field.format !== undefined) {
      const fits =
        field.format === 'email'
          ? isEmail(value)
          : field.format === 'url'
            ? isHttpUrl(value)
            : isCalendarDate(value);
      if (!fits) {
        return { code: 'format', message: `${subject} must be ${formatWords[field.format]}` };
      }
    }
    if (field.pattern !== undefined && !patternMatches(value, field.pattern)) {
      return { code: 'pattern', message: `${subject} must match the pattern ${field.pattern}` };
    }
  }
  return null;
}

// RE2 (re2js) through the JSONPath I-Regexp module: linear-time matching, so a pattern typed
// into a schema cannot stall start-workflow with catastrophic backtracking. The subject is
// capped and the shared budget reset per check (validation never runs inside a path query).
function patternMatches(value: string, pattern: string): boolean {
  if (value.length > MAX_PATTERN_SUBJECT_LENGTH) return false;
  resetRegexBudget();
  try {
    return iRegexpMatch(value, pattern);
  } catch (error) {
    if (error instanceof RegexBudgetError || error instanceof IRegexpError) return false;
    throw error;
  } finally {
    resetRegexBudget();
  }
}

/** Why a field's default is not a value the field accepts, or null (also when there is none). */
export function fieldDefaultProblem(field: FieldSchema): string | null {
  if (field.default === undefined) return null;
  if (field.type === 'file') return `${field.name} is a file field and cannot have a default`;
  const problem = fieldValueProblem(field, field.default, {}, `The default of ${field.name}`);
  return problem?.message ?? null;
}

/**
 * Checks `value` against `fields` and `rules`, filling in defaults. Absent and null values are
 * missing: a required one is an error unless it has a default. Members no field declares pass
 * through untouched (a caller may send more than is declared). Every bad field is reported,
 * one error each, the field's own problem before any rule about it.
 */
export function validateFields(
  fields: readonly FieldSchema[],
  value: Record<string, unknown>,
  rules: readonly FieldRule[] = [],
  options: ValidateFieldsOptions = {},
): FieldValidation {
  const out: Record<string, unknown> = { ...value };
  const errors: FieldError[] = [];
  for (const field of fields) {
    const present = Object.hasOwn(value, field.name) && value[field.name] !== null;
    if (!present) {
      if (field.default !== undefined) out[field.name] = structuredClone(field.default);
      else if (field.required)
        errors.push({
          path: [field.name],
          code: 'missing',
          message: `${field.name} is required (${field.type})`,
        });
      continue;
    }
    const problem = fieldValueProblem(field, value[field.name], options);
    if (problem !== null) errors.push({ path: [field.name], ...problem });
  }
  for (const rule of rules) {
    if (errors.some((error) => error.path[0] === rule.field || error.path[0] === rule.gte_field))
      continue;
    const low = out[rule.gte_field];
    const high = out[rule.field];
    if (typeof low === 'number' && typeof high === 'number' && high < low) {
      errors.push({ path: [rule.field], code: 'rule', message: rule.message });
    }
  }
  return errors.length === 0 ? { ok: true, value: out } : { ok: false, errors };
}
