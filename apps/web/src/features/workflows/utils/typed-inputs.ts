import { workflowInputsSchema, type WorkflowInput } from '@forkflow/domain/workflow-inputs';
import {
  draftsFromValue,
  readFields,
  type FieldDraft,
  type FieldDrafts,
} from '@/components/typed-fields/read-fields';

// The Run dialog's typed form over a workflow's declared inputs (issue 11, "Workflow inputs";
// typed since issue 12 §3). The drafts and their reading are the typed fields' (components/
// typed-fields), which check with the domain's validateFields, as start-workflow does; here
// only what is particular to a run: every switch is sent, off included.

/** One control's value: text, a switch's state, or an uploaded file. */
export type TypedInputValue = FieldDraft;
export type TypedInputValues = FieldDrafts;

/** The inputs a definition declares; [] when it declares none (or not in a shape we know). */
export function declaredInputsOf(definition: unknown): WorkflowInput[] {
  if (typeof definition !== 'object' || definition === null) return [];
  const parsed = workflowInputsSchema.safeParse((definition as { inputs?: unknown }).inputs);
  return parsed.success ? parsed.data : [];
}

/** The form's first values: each default, written as its control shows it; switches off. */
export function initialTypedValues(inputs: readonly WorkflowInput[]): TypedInputValues {
  return draftsFromValue(inputs, {}, { switchesOff: true });
}

export type TypedInputsReading = {
  /** input_data to send: blank fields left out, so the workflow's defaults apply. */
  input: Record<string, unknown>;
  /** Input name → what is wrong with it; empty when the form may be sent. */
  errors: Record<string, string>;
};

/**
 * The input_data the form's values make, and each field's problem: a number or JSON that does
 * not read, then what the domain's check says (missing, type, format, enum, range, file). A
 * blank text field is not sent; a switch always is (off is false). Defaults are the server's
 * to fill: what is sent is what the person gave.
 */
export function readTypedInputs(
  inputs: readonly WorkflowInput[],
  values: TypedInputValues,
  organisationId?: string,
): TypedInputsReading {
  const reading = readFields(inputs, values, organisationId ? { organisationId } : {});
  return { input: reading.value, errors: reading.errors };
}
