// Definitions and inputs in the order people wrote them (issue 12 §10). Postgres' jsonb
// stores an object's keys sorted by length then bytes, so a definition read back comes as
// { "steps": …, "inputs": …, "start_step": … } and a step as { "config", "next_step",
// "input_map", "transformer_id" }: correct, but not how anyone reads a workflow. Whatever
// shows or exports a definition or a job's input puts it through these first. Only the
// order changes: every key and value is kept, unknown keys after the known ones in the
// order they came (a definition that does not validate is shown as it is, only sorted).
// Pure: no I/O, the same code in the browser, Node and Deno.
import { successorsOf } from './workflow-branches.ts';
import { workflowBranchSchema, workflowStepSchema } from './workflow-definition.ts';
import { workflowInputSchema } from './workflow-inputs.ts';

/** The top level as one reads a workflow: what it is, what it takes, its steps, its result. */
export const DEFINITION_KEY_ORDER = [
  'description',
  'inputs',
  'start_step',
  'steps',
  'output_map',
] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A schema's own key order (zod keeps its shape in declaration order). */
const shapeKeys = (schema: unknown): readonly string[] => {
  const shape = (schema as { shape?: unknown }).shape;
  return isObject(shape) ? Object.keys(shape) : [];
};

// From the schemas, so a field added there is ordered here too ("one rule, one home").
const STEP_KEY_ORDER = shapeKeys(workflowStepSchema);
const BRANCH_KEY_ORDER = shapeKeys(workflowBranchSchema);
const INPUT_KEY_ORDER = shapeKeys(workflowInputSchema);

/** `value`'s keys in `order` first, then the rest as they came. */
export function orderKeys<T>(value: T, order: readonly string[]): T {
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of order) if (Object.hasOwn(value, key)) out[key] = value[key];
  for (const key of Object.keys(value)) if (!Object.hasOwn(out, key)) out[key] = value[key];
  return out as T;
}

function orderStep(step: unknown): unknown {
  if (!isObject(step)) return step;
  const ordered = orderKeys(step, STEP_KEY_ORDER);
  if (Array.isArray(ordered.next))
    ordered.next = ordered.next.map((branch) => orderKeys(branch, BRANCH_KEY_ORDER));
  return ordered;
}

/**
 * Step ids in the order they run: breadth-first from start_step over each step's
 * successors (next_step, or its branches in order then default), then any step not reached
 * that way in the order they came.
 */
export function stepRunOrder(definition: unknown): string[] {
  if (!isObject(definition) || !isObject(definition.steps)) return [];
  const steps = definition.steps;
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (id: unknown) => {
    if (typeof id === 'string' && Object.hasOwn(steps, id) && !seen.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  };
  visit(definition.start_step);
  for (let i = 0; i < queue.length; i++) {
    const step = steps[queue[i]!];
    if (!isObject(step)) continue;
    // A malformed `next` (not an array) has no targets rather than throwing.
    const next = Array.isArray(step.next) ? step.next.filter(isObject) : undefined;
    for (const target of successorsOf({
      next_step: typeof step.next_step === 'string' ? step.next_step : null,
      ...(next !== undefined ? { next: next as never } : {}),
      ...(step.default !== undefined ? { default: step.default as string | null } : {}),
    }))
      visit(target);
  }
  for (const id of Object.keys(steps)) visit(id);
  return queue;
}

/**
 * A definition with its keys in the order it is written: description, inputs, start_step,
 * steps (in the order they run), output_map; each step's and input's keys in their schema's
 * order. Anything not an object comes back as it is.
 */
export function orderDefinition<T>(definition: T): T {
  if (!isObject(definition)) return definition;
  const ordered: Json = orderKeys<Json>(definition, DEFINITION_KEY_ORDER);
  if (isObject(ordered.steps)) {
    const steps = ordered.steps;
    const out: Json = {};
    for (const id of stepRunOrder(ordered)) out[id] = orderStep(steps[id]);
    ordered.steps = out;
  }
  if (Array.isArray(ordered.inputs))
    ordered.inputs = ordered.inputs.map((input) => orderKeys(input, INPUT_KEY_ORDER));
  return ordered as T;
}

/**
 * A job's input with the workflow's declared inputs first, in the order they are declared,
 * then any other keys as they came. No declared inputs (or not an array): as it is.
 */
export function orderInput<T>(inputs: unknown, input: T): T {
  if (!Array.isArray(inputs) || !isObject(input)) return input;
  const names = inputs
    .map((declared) => (isObject(declared) ? declared.name : undefined))
    .filter((name): name is string => typeof name === 'string');
  return orderKeys(input, names);
}
