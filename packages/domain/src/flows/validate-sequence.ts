import {
  jsonTypeOf,
  workflowInputSchema,
  type WorkflowInput,
  type WorkflowInputType,
} from '../workflow-inputs.ts';
import { validateAssertion } from './assertions.ts';
import type { Flow, ProjectVariable, ScalarType, SequenceParameter } from './schemas.ts';

// Saving a flow sequence refuses what cannot run (issue 11; docs/projects-contract.md,
// "Saving a sequence refuses what cannot run"). save-flow-sequence answers 400
// invalid_sequence with these problems, run-flow-sequence re-checks the saved sequence (a
// workflow may have changed since), and the editor runs the same function as the user edits,
// so the three never disagree. Every problem is reported at once. Pure.
//
// Paths index into the saved body: ['flows', 2, 'mappings', 'email'] is the mapping of input
// `email` of the third flow; ['parameters', 0, 'project_variable'] the first parameter's source.
//
// What is checked where: types are compared only where both sides are known when saving (a
// sequence parameter's type against the input's, a parameter against its project variable).
// A flow output's type is whatever its job returns, so a mapping from one is checked when the
// run resolves it (resolve.ts), not here.

export type SequenceProblemCode =
  | 'unknown_workflow'
  | 'workflow_archived'
  | 'unknown_parameter'
  | 'later_flow'
  | 'unknown_flow'
  | 'unknown_output'
  | 'missing_required_input'
  | 'type_mismatch'
  | 'missing_value'
  | 'unknown_project_variable'
  | 'unknown_input'
  | 'invalid_assertion';

export type SequenceProblem = {
  path: (string | number)[];
  code: SequenceProblemCode;
  message: string;
};

/** What validation needs of a workflow a flow runs (its latest definition). */
export type WorkflowForSequence = {
  id: string;
  name: string;
  /** `active` or `archived` (workflows.status); an archived workflow cannot be started. */
  status: string;
  /** Its declared inputs; undefined: it declares none and takes any object. */
  inputs?: WorkflowInput[];
  /**
   * The keys of its top-level output_map (workflowOutputs); null when it has none, so its
   * result is its last step's output, whose fields are known only at run time.
   */
  outputs: readonly string[] | null;
};

/** The fields a workflow's result has: the keys of its top-level output_map, null without one. */
export function workflowOutputs(definition: unknown): string[] | null {
  const outputMap = isRecord(definition) ? definition.output_map : undefined;
  return isRecord(outputMap) ? Object.keys(outputMap) : null;
}

/**
 * A workflow's declared inputs, read leniently from a stored definition: entries that do not
 * parse are skipped (save-workflow refuses them, so only an old or hand-made row has them);
 * undefined when it declares none.
 */
export function workflowInputsOf(definition: unknown): WorkflowInput[] | undefined {
  const raw = isRecord(definition) ? definition.inputs : undefined;
  if (!Array.isArray(raw)) return undefined;
  const inputs: WorkflowInput[] = [];
  for (const item of raw) {
    const parsed = workflowInputSchema.safeParse(item);
    if (parsed.success && !inputs.some((input) => input.name === parsed.data.name)) {
      inputs.push(parsed.data);
    }
  }
  return inputs.length === 0 ? undefined : inputs;
}

/** A stored workflow row as validateFlowSequence reads it (the functions' and the editor's). */
export function toWorkflowForSequence(workflow: {
  id: string;
  name: string;
  status: string;
  definition: unknown;
}): WorkflowForSequence {
  return {
    id: workflow.id,
    name: workflow.name,
    status: workflow.status,
    inputs: workflowInputsOf(workflow.definition),
    outputs: workflowOutputs(workflow.definition),
  };
}

/** Whether a value of `scalar` type can fill an input of type `input`. */
export function typesFit(scalar: ScalarType, input: WorkflowInputType): boolean {
  // An integer input takes a number parameter; whether it is whole is checked when the flow
  // runs (validateWorkflowInput), where the value is known.
  return scalar === input || (scalar === 'number' && input === 'integer');
}

export function validateFlowSequence(
  sequence: { parameters: readonly SequenceParameter[]; flows: readonly Flow[] },
  context: {
    workflows: ReadonlyMap<string, WorkflowForSequence>;
    projectVariables: readonly ProjectVariable[];
  },
): SequenceProblem[] {
  const problems: SequenceProblem[] = [];
  const add = (path: (string | number)[], code: SequenceProblemCode, message: string) =>
    problems.push({ path, code, message });

  const variables = new Map(context.projectVariables.map((v) => [v.name, v]));
  sequence.parameters.forEach((parameter, index) => {
    if (parameter.source === 'project_variable') {
      const variable = variables.get(parameter.project_variable);
      if (!variable) {
        add(
          ['parameters', index, 'project_variable'],
          'unknown_project_variable',
          `Parameter ${parameter.name} reads project variable ${parameter.project_variable}, which no longer exists`,
        );
      } else if (variable.type !== parameter.type) {
        add(
          ['parameters', index, 'type'],
          'type_mismatch',
          `Parameter ${parameter.name} is a ${parameter.type} but project variable ${variable.name} is a ${variable.type}`,
        );
      }
      return;
    }
    if (parameter.value === null) {
      if (parameter.required) {
        add(
          ['parameters', index, 'value'],
          'missing_value',
          `Parameter ${parameter.name} is required but has no value`,
        );
      }
    } else if (jsonTypeOf(parameter.value) !== parameter.type) {
      add(
        ['parameters', index, 'value'],
        'type_mismatch',
        `Parameter ${parameter.name} is a ${parameter.type} but its value is a ${jsonTypeOf(parameter.value)}`,
      );
    }
  });

  const parameters = new Map(sequence.parameters.map((p) => [p.name, p]));
  const flowIndex = new Map(sequence.flows.map((flow, index) => [flow.id, index]));

  sequence.flows.forEach((flow, index) => {
    const at = (...rest: (string | number)[]) => ['flows', index, ...rest];
    const workflow = context.workflows.get(flow.workflow_id);
    if (!workflow) {
      add(
        at('workflow_id'),
        'unknown_workflow',
        `Flow ${flow.id} runs a workflow that does not exist (or was deleted)`,
      );
    } else if (workflow.status === 'archived') {
      add(
        at('workflow_id'),
        'workflow_archived',
        `Flow ${flow.id} runs ${workflow.name}, which is archived`,
      );
    }
    const declared = workflow?.inputs && workflow.inputs.length > 0 ? workflow.inputs : null;
    const inputs = new Map((declared ?? []).map((input) => [input.name, input]));

    for (const [name, mapping] of Object.entries(flow.mappings)) {
      const input = inputs.get(name);
      if (declared && !input) {
        add(
          at('mappings', name),
          'unknown_input',
          `Flow ${flow.id}: ${workflow?.name} has no input ${name}`,
        );
      }
      if (mapping.source === 'sequence_parameter') {
        const parameter = parameters.get(mapping.parameter);
        if (!parameter) {
          add(
            at('mappings', name),
            'unknown_parameter',
            `Flow ${flow.id}: ${name} reads parameter ${mapping.parameter}, which does not exist`,
          );
        } else if (input && !typesFit(parameter.type, input.type)) {
          add(
            at('mappings', name),
            'type_mismatch',
            `Flow ${flow.id}: ${name} is ${article(input.type)} ${input.type} but parameter ${parameter.name} is ${article(parameter.type)} ${parameter.type}`,
          );
        }
        continue;
      }
      const sourceIndex = flowIndex.get(mapping.flow_id);
      if (sourceIndex === undefined) {
        add(
          at('mappings', name),
          'unknown_flow',
          `Flow ${flow.id}: ${name} reads the output of ${mapping.flow_id}, which is not in the sequence`,
        );
        continue;
      }
      if (sourceIndex >= index) {
        add(
          at('mappings', name),
          'later_flow',
          sourceIndex === index
            ? `Flow ${flow.id}: ${name} reads its own output; only earlier flows' outputs can be used`
            : `Flow ${flow.id}: ${name} reads the output of ${mapping.flow_id}, which runs later; move it above ${flow.id} or pick another source`,
        );
        continue;
      }
      const source = context.workflows.get(sequence.flows[sourceIndex]!.workflow_id);
      // The editor runs this on drafts too, where a flow may be picked before its field.
      const field = mapping.path[0];
      if (field === undefined) {
        add(
          at('mappings', name),
          'unknown_output',
          `Flow ${flow.id}: ${name} reads ${mapping.flow_id}'s output; pick which field`,
        );
      } else if (source && source.outputs !== null && !source.outputs.includes(field)) {
        add(
          at('mappings', name),
          'unknown_output',
          `Flow ${flow.id}: ${name} reads ${field} from ${mapping.flow_id}, but ${source.name} outputs ${source.outputs.length === 0 ? 'no fields' : source.outputs.join(', ')}`,
        );
      }
    }

    for (const input of declared ?? []) {
      if (
        input.required &&
        input.default === undefined &&
        !Object.hasOwn(flow.mappings, input.name)
      ) {
        add(
          at('mappings', input.name),
          'missing_required_input',
          `Flow ${flow.id}: ${workflow?.name} needs ${input.name} (${input.type}); map it to a parameter or an earlier flow's output`,
        );
      }
    }

    flow.assertions.forEach((assertion, assertionIndex) => {
      const problem = validateAssertion(assertion);
      if (problem !== null) {
        add(
          at('assertions', assertionIndex),
          'invalid_assertion',
          `Flow ${flow.id}, assertion ${assertionIndex + 1}: ${problem}`,
        );
      }
    });
  });
  return problems;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');
