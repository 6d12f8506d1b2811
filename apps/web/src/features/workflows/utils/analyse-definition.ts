import { orderDefinition } from '@forkflow/domain/definition-order';
import {
  validateWorkflowDefinition,
  workflowDefinitionWarnings,
  type WorkflowDefinition,
} from '@forkflow/domain/workflow-definition';
import { formatJsonPath, parseJsonWithLocations, type JsonPath } from './json-locations';

export type DefinitionProblem = {
  /** steps.step1.input_map.data ("" for a JSON syntax error). */
  path: string;
  code: string;
  message: string;
  /** 1-based, where the problem is in the text (when it can be placed). */
  line: number | null;
  column: number | null;
  offset: number | null;
};

export type DefinitionAnalysis =
  | { status: 'empty'; problems: [] }
  | { status: 'invalid'; problems: DefinitionProblem[] }
  | {
      status: 'valid';
      problems: [];
      /** What saves but may not work as meant (save-workflow answers the same warnings). */
      warnings: DefinitionProblem[];
      definition: WorkflowDefinition;
    };

/**
 * What the definition editor shows as you type: JSON syntax first, then the domain's
 * validation (the same one save-workflow enforces), each problem placed on its line.
 * `knownTransformerIds` null = not loaded yet: transformer ids aren't judged until they are.
 */
export function analyseDefinition(
  text: string,
  knownTransformerIds: readonly string[] | null,
): DefinitionAnalysis {
  if (!text.trim()) return { status: 'empty', problems: [] };
  const parsed = parseJsonWithLocations(text);
  if (!parsed.ok) {
    return {
      status: 'invalid',
      problems: [
        {
          path: '',
          code: 'json_syntax',
          message: parsed.message,
          line: parsed.location.line,
          column: parsed.location.column,
          offset: parsed.location.offset,
        },
      ],
    };
  }
  const result = validateWorkflowDefinition(parsed.value, {
    knownTransformerIds: knownTransformerIds ?? [],
  });
  const valid = (definition: WorkflowDefinition): DefinitionAnalysis => ({
    status: 'valid',
    problems: [],
    warnings: workflowDefinitionWarnings(definition).map((warning) =>
      placed(warning, parsed.locate(warning.path as JsonPath)),
    ),
    definition,
  });
  if (result.ok) return valid(result.definition);
  const errors =
    knownTransformerIds === null
      ? result.errors.filter((error) => error.code !== 'unknown_transformer')
      : result.errors;
  if (errors.length === 0) {
    // Only transformer ids were in doubt: structurally valid.
    return valid(parsed.value as WorkflowDefinition);
  }
  return {
    status: 'invalid',
    problems: errors.map((error) => placed(error, parsed.locate(error.path as JsonPath))),
  };
}

function placed(
  issue: { path: (string | number)[]; code: string; message: string },
  location: { line: number; column: number; offset: number } | null | undefined,
): DefinitionProblem {
  return {
    path: formatJsonPath(issue.path),
    code: issue.code,
    message: issue.message,
    line: location?.line ?? null,
    column: location?.column ?? null,
    offset: location?.offset ?? null,
  };
}

/** Seed 003, iteration 4's example, verbatim: turns { payload: X } into { result: X }. */
export const EXAMPLE_DEFINITION = {
  start_step: 'step1',
  steps: {
    step1: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.payload' },
      next_step: null,
    },
  },
  output_map: { result: '$.step1.output.echoed_data' },
};

export const prettyJson = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * A stored definition as text, in the order it is written (description, inputs, start_step,
 * steps in run order, output_map) rather than jsonb's: definition-order.ts.
 */
export const prettyDefinition = (definition: unknown) => prettyJson(orderDefinition(definition));
