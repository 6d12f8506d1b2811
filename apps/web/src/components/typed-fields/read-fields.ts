import {
  validateFields,
  type FieldRule,
  type FieldSchema,
  type ValidateFieldsOptions,
} from '@forkflow/domain/field-schema';
import { isFileRef, type FileRef } from '@forkflow/domain/file-ref';

// Typed fields' form state (issue 12 §3): each field is edited as a draft — text for strings,
// numbers and JSON, a switch's state, a file reference — and readFields turns the drafts into
// the value to send and each field's problem, with the same validateFields the server runs
// (save-workflow on a step's config, start-workflow on a job's input), so a form refuses what
// the server would.

/** One control's draft: text, a switch's state (null: not set), or an uploaded file. */
export type FieldDraft = string | boolean | FileRef | null;
export type FieldDrafts = Record<string, FieldDraft>;

/** The drafts a value shows: each field's value, else its default, written as its control shows it. */
export function draftsFromValue(
  fields: readonly FieldSchema[],
  value: Record<string, unknown> = {},
  {
    useDefaults = true,
    switchesOff = false,
  }: {
    /** Show each field's default where the value has none (a run's form; not a step's config). */
    useDefaults?: boolean;
    /** An unset switch reads as off (false) rather than not set (a run sends every switch). */
    switchesOff?: boolean;
  } = {},
): FieldDrafts {
  return Object.fromEntries(
    fields.map((field) => {
      const given = Object.hasOwn(value, field.name) ? value[field.name] : undefined;
      const shown = given !== undefined ? given : useDefaults ? field.default : undefined;
      const draft = draftOf(field, shown);
      return [
        field.name,
        draft === null && field.type === 'boolean' && switchesOff ? false : draft,
      ];
    }),
  );
}

function draftOf(field: FieldSchema, value: unknown): FieldDraft {
  switch (field.type) {
    case 'boolean':
      // A required switch shows off and means it: off is a value (false), not a blank.
      return typeof value === 'boolean' ? value : field.required ? false : null;
    case 'file':
      return isFileRef(value) ? value : null;
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'number':
    case 'integer':
      return typeof value === 'number' ? String(value) : '';
    default:
      return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
  }
}

export type FieldsReading = {
  /** The value the drafts make: blank fields left out, so defaults apply where they are read. */
  value: Record<string, unknown>;
  /** Field name → what is wrong with it; empty when the form may be sent. */
  errors: Record<string, string>;
  /** Fields whose text does not read as their type (JSON, number): the value lacks them. */
  unreadable: ReadonlySet<string>;
};

/**
 * The value the drafts make and each field's problem: text that does not read (a number, JSON),
 * then what validateFields says of `base` with the value over it (a step's config is checked
 * merged over its transformer's, as the executor receives it).
 */
export function readFields(
  fields: readonly FieldSchema[],
  drafts: FieldDrafts,
  {
    rules = [],
    base = {},
    ...options
  }: { rules?: readonly FieldRule[]; base?: Record<string, unknown> } & ValidateFieldsOptions = {},
): FieldsReading {
  const value: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const unreadable = new Set<string>();
  for (const field of fields) {
    const draft = drafts[field.name];
    if (draft === undefined || draft === null) continue;
    if (typeof draft === 'boolean' || typeof draft === 'object') {
      value[field.name] = draft;
      continue;
    }
    if (field.type === 'string') {
      if (draft !== '') value[field.name] = draft;
      continue;
    }
    if (!draft.trim()) continue;
    if (field.type === 'number' || field.type === 'integer') {
      const number = Number(draft);
      if (Number.isFinite(number)) value[field.name] = number;
      else {
        errors[field.name] =
          `${field.name} must be ${field.type === 'integer' ? 'a whole number' : 'a number'}`;
        unreadable.add(field.name);
      }
      continue;
    }
    try {
      value[field.name] = JSON.parse(draft) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'check the syntax';
      errors[field.name] = `Not valid JSON: ${reason}`;
      unreadable.add(field.name);
    }
  }
  const checked = validateFields(fields, { ...base, ...value }, rules, options);
  if (!checked.ok) {
    for (const error of checked.errors) errors[error.path[0]] ??= error.message;
  }
  return { value, errors, unreadable };
}
