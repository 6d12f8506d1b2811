import { WORKFLOW_INPUT_TYPES, type WorkflowInputType } from '@forkflow/domain/workflow-inputs';
import { prettyJson } from './analyse-definition';

// The workflow form's "Inputs" table edits `inputs` inside the definition JSON: the JSON stays
// the one source of truth (what is saved, what the editor validates). A row is read from the
// JSON and written back into it; a value a row cannot express (a default that does not read
// as its type) is written as text, so validateWorkflowDefinition flags it at its path
// (invalid_input_default) rather than the table dropping it.

export type InputRow = {
  name: string;
  type: WorkflowInputType;
  required: boolean;
  /** The default as typed: text for a string input, JSON for the others; '' = none. */
  default: string;
  description: string;
  // Typed-field options (issue 12 §3), as typed; '' = none. Written only for the types they
  // apply to, so changing a row's type drops the others.
  /** string: '' | email | url | date. */
  format: string;
  /** string: an I-Regexp the whole value must match. */
  pattern: string;
  /** string, number, integer: the allowed values, comma-separated. */
  enum: string;
  /** number, integer. */
  minimum: string;
  maximum: string;
  /** file: e.g. audio/*,.pdf */
  accept: string;
  /** file: bytes. */
  max_bytes: string;
  /** Kept as it is in the JSON (no column): the label the Run dialog shows. */
  title?: string | undefined;
};

const ROW_KEYS = new Set([
  'name',
  'type',
  'required',
  'default',
  'description',
  'title',
  'format',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'accept',
  'max_bytes',
]);

const OPTION_TYPES: Record<
  'format' | 'pattern' | 'enum' | 'minimum' | 'maximum' | 'accept' | 'max_bytes',
  readonly WorkflowInputType[]
> = {
  format: ['string'],
  pattern: ['string'],
  enum: ['string', 'number', 'integer'],
  minimum: ['number', 'integer'],
  maximum: ['number', 'integer'],
  accept: ['file'],
  max_bytes: ['file'],
};

/** Whether a typed-field option applies to a type (the inputs editor shows only those). */
export const optionApplies = (option: keyof typeof OPTION_TYPES, type: WorkflowInputType) =>
  OPTION_TYPES[option].includes(type);

/** A number option's text as JSON: the number when it reads as one, else the text (flagged). */
function numberOption(text: string): unknown {
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The rows the definition text declares, or null when the table cannot show them faithfully
 * (the JSON does not parse, or an input has a shape or key the table has no column for): then
 * inputs are edited in the JSON only.
 */
export function rowsFromDefinition(text: string): InputRow[] | null {
  const definition = parseObject(text);
  if (!definition) return null;
  const inputs = definition.inputs;
  if (inputs === undefined) return [];
  if (!Array.isArray(inputs)) return null;
  const rows: InputRow[] = [];
  for (const input of inputs) {
    if (!isObject(input) || Object.keys(input).some((key) => !ROW_KEYS.has(key))) return null;
    const { name, type, required, description } = input;
    if (typeof name !== 'string' || !WORKFLOW_INPUT_TYPES.includes(type as WorkflowInputType))
      return null;
    if (required !== undefined && typeof required !== 'boolean') return null;
    if (description !== undefined && typeof description !== 'string') return null;
    const text = (key: string): string | null => {
      const option = input[key];
      if (option === undefined) return '';
      if (typeof option === 'string') return option;
      if (typeof option === 'number') return String(option);
      return null;
    };
    const options = {
      format: text('format'),
      pattern: text('pattern'),
      minimum: text('minimum'),
      maximum: text('maximum'),
      accept: text('accept'),
      max_bytes: text('max_bytes'),
      title: text('title'),
    };
    if (Object.values(options).some((option) => option === null)) return null;
    let enumText = '';
    if (input.enum !== undefined) {
      // Comma-separated in the table: an option holding a comma stays in the JSON.
      if (
        !Array.isArray(input.enum) ||
        input.enum.some(
          (option) =>
            !(typeof option === 'number' || (typeof option === 'string' && !option.includes(','))),
        )
      )
        return null;
      enumText = input.enum.join(', ');
    }
    const value = input.default;
    // '' in the Default column means "no default", so an empty-string default stays in JSON.
    if (value === '') return null;
    rows.push({
      name,
      type: type as WorkflowInputType,
      required: required === true,
      default:
        value === undefined
          ? ''
          : type === 'string' && typeof value === 'string'
            ? value
            : JSON.stringify(value),
      description: description ?? '',
      format: options.format ?? '',
      pattern: options.pattern ?? '',
      enum: enumText,
      minimum: options.minimum ?? '',
      maximum: options.maximum ?? '',
      accept: options.accept ?? '',
      max_bytes: options.max_bytes ?? '',
      ...(input.title !== undefined ? { title: options.title ?? '' } : {}),
    });
  }
  return rows;
}

function defaultValue(row: InputRow): unknown {
  if (row.type === 'string') return row.default;
  try {
    return JSON.parse(row.default) as unknown;
  } catch {
    // Kept as typed: validation names it (invalid_input_default) at its row.
    return row.default;
  }
}

/** The definition text with `inputs` replaced by the rows (removed when there are none). */
export function definitionWithRows(text: string, rows: readonly InputRow[]): string | null {
  const definition = parseObject(text);
  if (!definition) return null;
  const { inputs: _replaced, ...rest } = definition;
  if (rows.length === 0) return prettyJson(rest);
  return prettyJson({
    ...rest,
    inputs: rows.map((row) => ({
      name: row.name,
      type: row.type,
      ...(row.title !== undefined ? { title: row.title } : {}),
      ...(row.required ? { required: true } : {}),
      ...(row.description ? { description: row.description } : {}),
      ...(row.default !== '' ? { default: defaultValue(row) } : {}),
      ...rowOptions(row),
    })),
  });
}

export const emptyInputRow = (): InputRow => ({
  name: '',
  type: 'string',
  required: false,
  default: '',
  description: '',
  format: '',
  pattern: '',
  enum: '',
  minimum: '',
  maximum: '',
  accept: '',
  max_bytes: '',
});

/** A row's typed-field options as the definition writes them, those of its type only. */
function rowOptions(row: InputRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const has = (option: keyof typeof OPTION_TYPES) =>
    row[option].trim() !== '' && optionApplies(option, row.type);
  if (has('format')) out.format = row.format;
  if (has('pattern')) out.pattern = row.pattern;
  if (has('enum')) {
    const values = row.enum
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    out.enum = row.type === 'string' ? values : values.map(numberOption);
  }
  if (has('minimum')) out.minimum = numberOption(row.minimum);
  if (has('maximum')) out.maximum = numberOption(row.maximum);
  if (has('accept')) out.accept = row.accept.trim();
  if (has('max_bytes')) out.max_bytes = numberOption(row.max_bytes);
  return out;
}
