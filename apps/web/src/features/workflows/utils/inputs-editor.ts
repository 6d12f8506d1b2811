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
};

const ROW_KEYS = new Set(['name', 'type', 'required', 'default', 'description']);

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
      ...(row.required ? { required: true } : {}),
      ...(row.description ? { description: row.description } : {}),
      ...(row.default !== '' ? { default: defaultValue(row) } : {}),
    })),
  });
}

export const emptyInputRow = (): InputRow => ({
  name: '',
  type: 'string',
  required: false,
  default: '',
  description: '',
});
