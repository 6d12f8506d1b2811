import { compareFlowIds, flowIdBetween, nextFlowIdAtTail } from '@forkflow/domain/flows/flow-ids';
import {
  saveFlowSequenceBodySchema,
  type AssertionOperator,
  type Flow,
  type FlowAssertion,
  type FlowMapping,
  type ProjectVariable,
  type SaveFlowSequenceBody,
  type SequenceParameter,
} from '@forkflow/domain/flows/schemas';
import {
  validateFlowSequence,
  type WorkflowForSequence,
} from '@forkflow/domain/flows/validate-sequence';
import type { FlowSequence } from '../api/queries';

// The editor's working copy of a sequence and the rules between it and the saved shape
// (SaveFlowSequenceBody). Mappings are picked in two steps (the source, then the parameter or
// field), so a half-picked one exists in the draft; it is left out of what is validated and
// saved, and reported as a problem of its own.

export type DraftMapping =
  | { source: 'sequence_parameter'; parameter: string }
  | { source: 'flow_output'; flow_id: string; path: string[] };

/** `expected` as typed; turned into a value by `expectedValue`. */
export type DraftAssertion = { path: string; operator: AssertionOperator; expected: string };

export type DraftFlow = {
  id: string;
  workflow_id: string;
  mappings: Record<string, DraftMapping>;
  assertions: DraftAssertion[];
};

export type SequenceDraft = {
  name: string;
  description: string;
  parameters: SequenceParameter[];
  flows: DraftFlow[];
};

/** A problem, wherever it came from (zod, validateFlowSequence, the server), by dotted path. */
export type Problem = { key: string; code: string; message: string };

export const pathKey = (path: ReadonlyArray<string | number>) => path.join('.');

/** The typed text of an assertion's expected value. */
export function expectedText(expected: unknown): string {
  if (expected === undefined || expected === null) return expected === null ? 'null' : '';
  if (typeof expected === 'string') {
    // A string that reads as another JSON value ("200", "true") is shown quoted, so it stays
    // a string when saved again.
    try {
      JSON.parse(expected);
      return JSON.stringify(expected);
    } catch {
      return expected;
    }
  }
  return JSON.stringify(expected);
}

/**
 * The value an assertion's text stands for: numbers for < and >, the text itself for
 * `matches`, nothing for `exists`, and otherwise JSON when it parses (200, true, "quoted")
 * or the plain text.
 */
export function expectedValue(operator: AssertionOperator, text: string): unknown {
  switch (operator) {
    case 'exists':
      return undefined;
    case 'matches':
      return text;
    case 'lt':
    case 'gt': {
      const number = Number(text);
      return text.trim() !== '' && Number.isFinite(number) ? number : text;
    }
    default:
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}

export function toDraft(
  sequence: Pick<FlowSequence, 'name' | 'description' | 'parameters' | 'flows'>,
): SequenceDraft {
  return {
    name: sequence.name,
    description: sequence.description ?? '',
    parameters: sequence.parameters.map((parameter) => ({ ...parameter })),
    flows: sequence.flows.map((flow) => ({
      id: flow.id,
      workflow_id: flow.workflow_id,
      mappings: Object.fromEntries(
        Object.entries(flow.mappings ?? {}).map(([name, mapping]) => [name, { ...mapping }]),
      ) as Record<string, DraftMapping>,
      assertions: (flow.assertions ?? []).map((assertion) => ({
        path: assertion.path,
        operator: assertion.operator,
        expected: expectedText(assertion.expected),
      })),
    })),
  };
}

// Not a type guard: DraftMapping and FlowMapping have the same type shape (only the values
// '' and [] tell them apart), so the guard's negation would be `never`.
const isComplete = (mapping: DraftMapping): boolean =>
  mapping.source === 'sequence_parameter'
    ? mapping.parameter !== ''
    : mapping.flow_id !== '' && mapping.path.length > 0;

function toAssertion(assertion: DraftAssertion): FlowAssertion {
  const expected = expectedValue(assertion.operator, assertion.expected);
  return {
    path: assertion.path,
    operator: assertion.operator,
    ...(expected === undefined ? {} : { expected }),
  };
}

/** The flows as saved: half-picked mappings left out. */
export function toFlows(draft: SequenceDraft): Flow[] {
  return draft.flows.map((flow) => ({
    id: flow.id,
    workflow_id: flow.workflow_id,
    mappings: Object.fromEntries(
      Object.entries(flow.mappings).filter(([, mapping]) => isComplete(mapping)),
    ) as Record<string, FlowMapping>,
    assertions: flow.assertions.map(toAssertion),
  }));
}

export function toBody(
  draft: SequenceDraft,
  ids: { projectId: string; sequenceId: string | null; expectedUpdatedAt: string | null },
): SaveFlowSequenceBody {
  return {
    project_id: ids.projectId,
    sequence_id: ids.sequenceId,
    name: draft.name,
    description: draft.description.trim() ? draft.description : null,
    parameters: draft.parameters,
    flows: toFlows(draft),
    expected_updated_at: ids.expectedUpdatedAt,
  };
}

/**
 * Every problem the server would report, computed while the user edits: the body's shape
 * (the same zod schema the function parses with), the sequence rules (validateFlowSequence,
 * the same the function runs), and the mappings left half-picked.
 */
export function draftProblems(
  draft: SequenceDraft,
  context: {
    workflows: ReadonlyMap<string, WorkflowForSequence>;
    projectVariables: readonly ProjectVariable[];
  },
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const id = `${problem.key}|${problem.message}`;
    if (seen.has(id)) return;
    seen.add(id);
    problems.push(problem);
  };
  const shape = saveFlowSequenceBodySchema.safeParse(
    toBody(draft, {
      projectId: '00000000-0000-4000-8000-000000000000',
      sequenceId: null,
      expectedUpdatedAt: null,
    }),
  );
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      add({
        key: pathKey(
          issue.path.filter((part) => typeof part !== 'symbol') as Array<string | number>,
        ),
        code: issue.code,
        message: issue.message,
      });
    }
  }
  draft.flows.forEach((flow, index) => {
    for (const [name, mapping] of Object.entries(flow.mappings)) {
      if (isComplete(mapping)) continue;
      add({
        key: pathKey(['flows', index, 'mappings', name]),
        code: 'incomplete_mapping',
        message:
          mapping.source === 'sequence_parameter'
            ? `Pick the sequence parameter ${name} takes`
            : mapping.flow_id === ''
              ? `Pick the flow whose output ${name} takes`
              : `Pick the field of ${mapping.flow_id}'s output ${name} takes`,
      });
    }
  });
  for (const problem of validateFlowSequence(
    { parameters: draft.parameters, flows: toFlows(draft) },
    context,
  )) {
    add({ key: pathKey(problem.path), code: problem.code, message: problem.message });
  }
  return problems;
}

/**
 * The id of a flow inserted at `index`: between its neighbours when their ids are in order
 * (flow1_5 between flow1 and flow2), otherwise, as after a reorder, past the largest id.
 * `taken` holds every id the sequence has ever used here, removed ones too, so a new flow
 * never takes an old flow's id (mappings to the old one would silently point at it).
 */
export function newFlowId(
  orderedIds: readonly string[],
  index: number,
  taken: ReadonlySet<string>,
): string {
  const all = [...new Set([...orderedIds, ...taken])];
  const before = orderedIds[index - 1] ?? null;
  const after = orderedIds[index] ?? null;
  const fallback = () => nextFlowIdAtTail(all);
  if (after === null) return fallback();
  if (before !== null && compareFlowIds(before, after) >= 0) return fallback();
  try {
    const id = flowIdBetween(before, after);
    return taken.has(id) || orderedIds.includes(id) ? fallback() : id;
  } catch {
    return fallback();
  }
}

/** Mapping-able fields of an output: its top-level keys and nested objects' keys, 3 deep. */
export function outputFields(output: unknown, depth = 3): string[][] {
  const fields: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (path.length >= depth || typeof value !== 'object' || value === null || Array.isArray(value))
      return;
    for (const [key, child] of Object.entries(value)) {
      fields.push([...path, key]);
      walk(child, [...path, key]);
    }
  };
  walk(output, []);
  return fields;
}

/**
 * What a flow's output offers to later flows: the workflow's declared outputs (the keys of
 * its output_map) and the fields seen in its last run, each once, declared first.
 */
export function fieldsOfFlow(
  workflow: WorkflowForSequence | undefined,
  lastOutput: unknown,
): string[][] {
  const fields: string[][] = (workflow?.outputs ?? []).map((name) => [name]);
  const known = new Set(fields.map((path) => JSON.stringify(path)));
  for (const path of outputFields(lastOutput)) {
    const id = JSON.stringify(path);
    if (!known.has(id)) {
      known.add(id);
      fields.push(path);
    }
  }
  return fields;
}
