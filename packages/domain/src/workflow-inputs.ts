import { z } from 'zod';

// A workflow's declared inputs (issue 11, "Workflow inputs"): what `input_data` it expects.
// They live in the definition (`definition.inputs`), so they are versioned with it. A flow
// sequence maps its flows' parameters onto them; `start-workflow` checks `input_data`
// against them; the Run dialog renders them as a typed form. A workflow that declares none
// keeps accepting any object. docs/projects-contract.md, "Workflow inputs".

export const WORKFLOW_INPUT_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;
export type WorkflowInputType = (typeof WORKFLOW_INPUT_TYPES)[number];

/** A name usable as a JSON member and in `$.job_input.<name>` shorthand. */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const MAX_WORKFLOW_INPUTS = 50;

export const workflowInputSchema = z.strictObject({
  name: z
    .string()
    .max(100)
    .regex(
      INPUT_NAME_PATTERN,
      'An input name starts with a letter or _ and has only letters, digits and _',
    ),
  type: z.enum(WORKFLOW_INPUT_TYPES),
  required: z.boolean().optional(),
  description: z.string().max(2000).optional(),
  /** Used when the input is absent; must have the input's type. */
  default: z.unknown().optional(),
});
export type WorkflowInput = z.infer<typeof workflowInputSchema>;

export const workflowInputsSchema = z
  .array(workflowInputSchema)
  .max(MAX_WORKFLOW_INPUTS, `A workflow declares at most ${MAX_WORKFLOW_INPUTS} inputs`)
  .refine(
    (inputs) => new Set(inputs.map((input) => input.name)).size === inputs.length,
    'Input names must be unique',
  );

/** The JSON type of a value as the input types name them (null is its own). */
export function jsonTypeOf(value: unknown): WorkflowInputType | 'null' | 'unknown' {
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

export type WorkflowInputError = {
  /** `[name]`: the input the error is about. */
  path: [string];
  code: 'missing' | 'type';
  message: string;
};

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
): WorkflowInputValidation {
  if (!inputs || inputs.length === 0) return { ok: true, input };
  const out: Record<string, unknown> = { ...input };
  const errors: WorkflowInputError[] = [];
  for (const declared of inputs) {
    const present = Object.hasOwn(input, declared.name) && input[declared.name] !== null;
    if (!present) {
      if (declared.default !== undefined) out[declared.name] = declared.default;
      else if (declared.required)
        errors.push({
          path: [declared.name],
          code: 'missing',
          message: `${declared.name} is required (${declared.type})`,
        });
      continue;
    }
    const actual = jsonTypeOf(input[declared.name]);
    if (actual !== declared.type)
      errors.push({
        path: [declared.name],
        code: 'type',
        message: typeMismatchMessage(declared.name, declared.type, actual),
      });
  }
  return errors.length === 0 ? { ok: true, input: out } : { ok: false, errors };
}

/** "x must be a string, not a number": the wording of every input type error. */
export function typeMismatchMessage(subject: string, expected: string, actual: string): string {
  return `${subject} must be ${article(expected)} ${expected}, not ${article(actual)} ${actual}`;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');
