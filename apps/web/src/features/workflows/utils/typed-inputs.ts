import {
  validateWorkflowInput,
  workflowInputsSchema,
  type WorkflowInput,
} from '@forkflow/domain/workflow-inputs';

// The Run dialog's typed form over a workflow's declared inputs (issue 11, "Workflow inputs").
// Each input is edited as a control's value (text for string, number, object and array; on/off
// for boolean); `readTypedInputs` turns those into input_data and checks it with the same
// validateWorkflowInput start-workflow runs, so the form refuses what the server would.

/** One control's value: text, or a switch's state for a boolean input. */
export type TypedInputValue = string | boolean;
export type TypedInputValues = Record<string, TypedInputValue>;

/** The inputs a definition declares; [] when it declares none (or not in a shape we know). */
export function declaredInputsOf(definition: unknown): WorkflowInput[] {
  if (typeof definition !== 'object' || definition === null) return [];
  const parsed = workflowInputsSchema.safeParse((definition as { inputs?: unknown }).inputs);
  return parsed.success ? parsed.data : [];
}

/** The form's first values: each default, written as its control shows it. */
export function initialTypedValues(inputs: readonly WorkflowInput[]): TypedInputValues {
  return Object.fromEntries(
    inputs.map((input) => {
      const value = input.default;
      switch (input.type) {
        case 'boolean':
          return [input.name, value === true];
        case 'string':
          return [input.name, typeof value === 'string' ? value : ''];
        case 'number':
          return [input.name, typeof value === 'number' ? String(value) : ''];
        default:
          return [input.name, value === undefined ? '' : JSON.stringify(value, null, 2)];
      }
    }),
  );
}

export type TypedInputsReading = {
  /** input_data to send: blank fields left out, so the workflow's defaults apply. */
  input: Record<string, unknown>;
  /** Input name → what is wrong with it; empty when the form may be sent. */
  errors: Record<string, string>;
};

/**
 * The input_data the form's values make, and each field's problem: a number or JSON that does
 * not read, then what validateWorkflowInput says (missing, wrong type). A blank text field is
 * not sent; a switch always is (off is false).
 */
export function readTypedInputs(
  inputs: readonly WorkflowInput[],
  values: TypedInputValues,
): TypedInputsReading {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const declared of inputs) {
    const value = values[declared.name];
    if (declared.type === 'boolean') {
      input[declared.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value : '';
    if (declared.type === 'string') {
      if (text !== '') input[declared.name] = text;
      continue;
    }
    if (!text.trim()) continue;
    if (declared.type === 'number') {
      const number = Number(text);
      if (Number.isFinite(number)) input[declared.name] = number;
      else errors[declared.name] = `${declared.name} must be a number`;
      continue;
    }
    try {
      input[declared.name] = JSON.parse(text) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'check the syntax';
      errors[declared.name] = `Not valid JSON: ${reason}`;
    }
  }
  const checked = validateWorkflowInput(inputs, input);
  if (!checked.ok) {
    for (const error of checked.errors) errors[error.path[0]] ??= error.message;
  }
  // Defaults are the server's to fill: what is sent is what the person gave.
  return { input, errors };
}
