import { z } from 'zod';
import {
  FIELD_NAME_PATTERN,
  FIELD_TYPES,
  MAX_FIELDS,
  fieldSchemaSchema,
  validateFields,
  type FieldError,
  type FieldSchema,
  type FieldType,
  type ValidateFieldsOptions,
} from './field-schema.ts';

// A workflow's declared inputs (issue 11, "Workflow inputs"): what `input_data` it expects.
// They live in the definition (`definition.inputs`), so they are versioned with it. A flow
// sequence maps its flows' parameters onto them; `start-workflow` checks `input_data`
// against them; the Run dialog renders them as a typed form. A workflow that declares none
// keeps accepting any object. docs/projects-contract.md, "Workflow inputs".
//
// Since issue 12 §3 an input is a typed field (field-schema.ts): the original
// { name, type, required, description, default } is a subset, so stored definitions stay
// valid, and the checks are validateFields' (format, pattern, enum, range, integer, file).

export { jsonTypeOf, typeMismatchMessage } from './field-schema.ts';

export const WORKFLOW_INPUT_TYPES = FIELD_TYPES;
export type WorkflowInputType = FieldType;

/** A name usable as a JSON member and in `$.job_input.<name>` shorthand. */
export const INPUT_NAME_PATTERN = FIELD_NAME_PATTERN;

export const MAX_WORKFLOW_INPUTS = MAX_FIELDS;

export const workflowInputSchema = fieldSchemaSchema;
export type WorkflowInput = FieldSchema;

export const workflowInputsSchema = z
  .array(workflowInputSchema)
  .max(MAX_WORKFLOW_INPUTS, `A workflow declares at most ${MAX_WORKFLOW_INPUTS} inputs`)
  .refine(
    (inputs) => new Set(inputs.map((input) => input.name)).size === inputs.length,
    'Input names must be unique',
  );

export type WorkflowInputError = FieldError;

export type WorkflowInputValidation =
  { ok: true; input: Record<string, unknown> } | { ok: false; errors: WorkflowInputError[] };

/**
 * Checks `input_data` against declared inputs and fills in defaults. Undeclared inputs pass
 * through untouched (a caller may send more than a workflow reads); no declared inputs: any
 * object passes. null counts as absent for a required input.
 */
export function validateWorkflowInput(
  inputs: readonly WorkflowInput[] | undefined,
  input: Record<string, unknown>,
  options: ValidateFieldsOptions = {},
): WorkflowInputValidation {
  if (!inputs || inputs.length === 0) return { ok: true, input };
  const checked = validateFields(inputs, input, [], options);
  return checked.ok ? { ok: true, input: checked.value } : checked;
}
