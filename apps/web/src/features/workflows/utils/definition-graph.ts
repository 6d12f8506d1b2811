import dagre from '@dagrejs/dagre';
import { isBranching, successorsOf } from '@forkflow/domain/workflow-branches';
import type {
  WorkflowBranch,
  WorkflowDefinition,
  WorkflowDefinitionError,
  WorkflowStep,
} from '@forkflow/domain/workflow-definition';

// A workflow definition as a graph for the canvas (issue 12 §5; docs/workflow-manager/canvas.md):
//
//   definition ──definitionGraph──► nodes (steps + one End) and labelled edges
//              ──layoutGraph──────► positions, top to bottom (dagre)
//   definition ──edit operations──► a new definition (never mutated in place)
//
// The definition is the one state: the canvas, the forms and the JSON editor all read it,
// and every canvas edit is one of the pure operations below, so whatever the canvas does
// can be seen (and undone) as JSON. Which successors a step has is the domain's
// successorsOf (the orchestrator and finish_workflow_steps use the same), and whether the
// result is valid is validateWorkflowDefinition's: nothing here re-checks a rule.

/** The End node: not a valid step id (ids cannot contain '#'), so it never collides. */
export const END_NODE_ID = '#end';

/** Which of a step's outgoing connections an edge is. */
export type EdgeRef =
  | { from: string; kind: 'next_step' }
  | { from: string; kind: 'branch'; index: number }
  | { from: string; kind: 'default' };

export type StepNodeData = {
  stepId: string;
  transformerId: string;
  /** "key ← $.path", in the order written. */
  inputs: string[];
  isStart: boolean;
  description?: string;
};

export type GraphNode =
  { id: string; kind: 'step'; data: StepNodeData } | { id: typeof END_NODE_ID; kind: 'end' };

export type GraphEdge = {
  /** Stable per connection: `<from>:next`, `<from>:branch:<i>`, `<from>:default`. */
  id: string;
  ref: EdgeRef;
  source: string;
  /** A step id, or END_NODE_ID for "the workflow ends". */
  target: string;
  /** The branch's label or its condition; "otherwise" for a default; none for next_step. */
  label?: string;
  /** The branch's condition, for a branch edge. */
  when?: string;
};

export type DefinitionGraph = { nodes: GraphNode[]; edges: GraphEdge[] };

export const edgeId = (ref: EdgeRef): string =>
  ref.kind === 'branch'
    ? `${ref.from}:branch:${ref.index}`
    : `${ref.from}:${ref.kind === 'default' ? 'default' : 'next'}`;

/** A step's outgoing connections in the order they are tried (branches, then default). */
export function outgoingEdges(stepId: string, step: WorkflowStep): GraphEdge[] {
  const target = (to: string | null | undefined) => to ?? END_NODE_ID;
  if (!isBranching(step)) {
    const ref: EdgeRef = { from: stepId, kind: 'next_step' };
    return [{ id: edgeId(ref), ref, source: stepId, target: target(step.next_step) }];
  }
  const edges: GraphEdge[] = (step.next ?? []).map((branch, index) => {
    const ref: EdgeRef = { from: stepId, kind: 'branch', index };
    return {
      id: edgeId(ref),
      ref,
      source: stepId,
      target: target(branch.step),
      label: branch.label?.trim() ? branch.label : branch.when,
      when: branch.when,
    };
  });
  const ref: EdgeRef = { from: stepId, kind: 'default' };
  edges.push({
    id: edgeId(ref),
    ref,
    source: stepId,
    target: target(step.default),
    label: 'otherwise',
  });
  return edges;
}

const MAX_INPUTS_SHOWN = 3;

/** The node's one-line-each summary of what the step reads. */
export function inputsSummary(step: WorkflowStep): string[] {
  const entries = Object.entries(step.input_map ?? {});
  const shown = entries.slice(0, MAX_INPUTS_SHOWN).map(([key, path]) => `${key} ← ${path}`);
  if (entries.length > MAX_INPUTS_SHOWN) shown.push(`+${entries.length - MAX_INPUTS_SHOWN} more`);
  return shown;
}

/**
 * Nodes and edges of a definition: every step (start marked) in the order written, one End
 * node when some connection ends the workflow, and an edge per connection. Targets that are
 * not steps are drawn to nothing (the validation error says why), so a half-edited
 * definition still draws.
 */
export function definitionGraph(definition: WorkflowDefinition): DefinitionGraph {
  const stepIds = Object.keys(definition.steps);
  const nodes: GraphNode[] = stepIds.map((id) => {
    const step = definition.steps[id] as WorkflowStep;
    return {
      id,
      kind: 'step',
      data: {
        stepId: id,
        transformerId: step.transformer_id,
        inputs: inputsSummary(step),
        isStart: id === definition.start_step,
        ...(step.description ? { description: step.description } : {}),
      },
    };
  });
  const known = new Set(stepIds);
  const edges = stepIds
    .flatMap((id) => outgoingEdges(id, definition.steps[id] as WorkflowStep))
    .filter((edge) => edge.target === END_NODE_ID || known.has(edge.target));
  if (edges.some((edge) => edge.target === END_NODE_ID))
    nodes.push({ id: END_NODE_ID, kind: 'end' });
  return { nodes, edges };
}

export const NODE_SIZE = { step: { width: 240, height: 96 }, end: { width: 96, height: 40 } };

export type Positioned<T> = T & {
  position: { x: number; y: number };
  width: number;
  height: number;
};

/** Top-to-bottom positions (top-left corners, as React Flow wants them) from dagre. */
export function layoutGraph(graph: DefinitionGraph): {
  nodes: Positioned<GraphNode>[];
  edges: GraphEdge[];
} {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 64, edgesep: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { ...NODE_SIZE[node.kind] });
  for (const edge of graph.edges) {
    // Room for the label between ranks; several edges between the same two nodes stay apart.
    g.setEdge(
      edge.source,
      edge.target,
      { width: edge.label ? 120 : 0, height: 20, labelpos: 'c' },
      edge.id,
    );
  }
  dagre.layout(g);
  return {
    nodes: graph.nodes.map((node) => {
      const { x, y } = g.node(node.id);
      const size = NODE_SIZE[node.kind];
      return {
        ...node,
        position: { x: x - size.width / 2, y: y - size.height / 2 },
        width: size.width,
        height: size.height,
      };
    }),
    edges: graph.edges,
  };
}

// ---- Validation errors placed on the canvas ----------------------------------------

export type PlacedErrors = {
  /** Step id → messages about the step itself (transformer, input_map, unreachable…). */
  nodes: Map<string, string[]>;
  /** Edge id → messages about that connection (its target, its `when`). */
  edges: Map<string, string[]>;
  /** What belongs to no node or edge (start_step, output_map, inputs). */
  other: string[];
};

/** Puts each validation error on the node or edge its path is about. */
export function placeErrors(errors: readonly WorkflowDefinitionError[]): PlacedErrors {
  const placed: PlacedErrors = { nodes: new Map(), edges: new Map(), other: [] };
  const add = (map: Map<string, string[]>, key: string, message: string) =>
    map.set(key, [...(map.get(key) ?? []), message]);
  for (const error of errors) {
    const [root, stepId, field, index] = error.path;
    if (root !== 'steps' || typeof stepId !== 'string') {
      placed.other.push(error.message);
    } else if (field === 'next_step') {
      add(placed.edges, edgeId({ from: stepId, kind: 'next_step' }), error.message);
    } else if (field === 'default') {
      add(placed.edges, edgeId({ from: stepId, kind: 'default' }), error.message);
    } else if (field === 'next' && typeof index === 'number') {
      add(placed.edges, edgeId({ from: stepId, kind: 'branch', index }), error.message);
    } else {
      add(placed.nodes, stepId, error.message);
    }
  }
  return placed;
}

// ---- Edit operations: each returns a new definition ---------------------------------

/** An edit that cannot be made as asked (the message says why, for the person editing). */
export class DefinitionEditError extends Error {
  override name = 'DefinitionEditError';
}

const copy = (definition: WorkflowDefinition): WorkflowDefinition => structuredClone(definition);

function stepOf(definition: WorkflowDefinition, id: string): WorkflowStep {
  const step = definition.steps[id];
  if (!step) throw new DefinitionEditError(`There is no step "${id}"`);
  return step;
}

/** Where a connection currently points (null = ends the workflow). */
export function edgeTarget(definition: WorkflowDefinition, ref: EdgeRef): string | null {
  const step = stepOf(definition, ref.from);
  if (ref.kind === 'next_step') return step.next_step ?? null;
  if (ref.kind === 'default') return step.default ?? null;
  const branch = step.next?.[ref.index];
  if (!branch) throw new DefinitionEditError(`Step "${ref.from}" has no branch ${ref.index + 1}`);
  return branch.step;
}

// Writes a target into a step (already copied), keeping the key order of the step.
function setTarget(step: WorkflowStep, ref: EdgeRef, to: string | null): void {
  if (ref.kind === 'next_step') step.next_step = to;
  else if (ref.kind === 'default') step.default = to;
  else {
    const branch = step.next?.[ref.index];
    if (!branch) throw new DefinitionEditError(`Step "${ref.from}" has no branch ${ref.index + 1}`);
    branch.step = to;
  }
}

/** Every connection in the definition (also those to missing steps). */
function allRefs(definition: WorkflowDefinition): EdgeRef[] {
  return Object.entries(definition.steps).flatMap(([id, step]) =>
    outgoingEdges(id, step).map((edge) => edge.ref),
  );
}

function assertNewId(definition: WorkflowDefinition, id: string): void {
  if (Object.hasOwn(definition.steps, id)) {
    throw new DefinitionEditError(`There is already a step "${id}": choose another id`);
  }
}

/** Points one connection somewhere else (a step id, or null to end the workflow there). */
export function reconnect(
  definition: WorkflowDefinition,
  ref: EdgeRef,
  to: string | null,
): WorkflowDefinition {
  const next = copy(definition);
  setTarget(stepOf(next, ref.from), ref, to);
  return next;
}

/** Where a branching step goes when no branch matches. */
export const setDefault = (definition: WorkflowDefinition, from: string, to: string | null) =>
  reconnect(definition, { from, kind: 'default' }, to);

/**
 * Adds step `id` on a connection of `from` (by default its next_step, or for a branching
 * step its default): the connection now leads to the new step, which leads where the
 * connection led.
 */
export function addStepAfter(
  definition: WorkflowDefinition,
  from: string,
  id: string,
  transformerId: string,
  on?: EdgeRef,
): WorkflowDefinition {
  assertNewId(definition, id);
  const source = stepOf(definition, from);
  const ref: EdgeRef =
    on ?? (isBranching(source) ? { from, kind: 'default' } : { from, kind: 'next_step' });
  const previousTarget = edgeTarget(definition, ref);
  const next = copy(definition);
  next.steps[id] = { transformer_id: transformerId, next_step: previousTarget };
  setTarget(stepOf(next, from), ref, id);
  return next;
}

export type BranchTarget = string | null | { newStep: { id: string; transformerId: string } };

/**
 * Adds a branch `when` → target to `from` (after its other branches, so they are tried
 * first). A linear step becomes a branching one whose default is its former next_step, so
 * what ran before still runs when the condition does not match. A new step as target ends
 * the workflow after it.
 */
export function addBranch(
  definition: WorkflowDefinition,
  from: string,
  when: string,
  target: BranchTarget,
  label?: string,
): WorkflowDefinition {
  let to: string | null;
  let next = copy(definition);
  if (target !== null && typeof target === 'object') {
    assertNewId(definition, target.newStep.id);
    next.steps[target.newStep.id] = {
      transformer_id: target.newStep.transformerId,
      next_step: null,
    };
    to = target.newStep.id;
  } else {
    to = target;
  }
  const step = stepOf(next, from);
  const branch: WorkflowBranch = {
    when,
    step: to,
    ...(label?.trim() ? { label: label.trim() } : {}),
  };
  if (isBranching(step)) {
    step.next = [...(step.next ?? []), branch];
  } else {
    next = replaceStep(next, from, ({ next_step, ...rest }) => ({
      ...rest,
      next: [branch],
      default: next_step ?? null,
    }));
  }
  return next;
}

/** Changes a branch's condition, label or target. */
export function updateBranch(
  definition: WorkflowDefinition,
  from: string,
  index: number,
  patch: Partial<WorkflowBranch>,
): WorkflowDefinition {
  const next = copy(definition);
  const branch = stepOf(next, from).next?.[index];
  if (!branch) throw new DefinitionEditError(`Step "${from}" has no branch ${index + 1}`);
  const updated: WorkflowBranch = { ...branch, ...patch };
  if (!updated.label?.trim()) delete updated.label;
  (stepOf(next, from).next as WorkflowBranch[])[index] = updated;
  return next;
}

/** Removes a branch; removing the last one makes the step linear again (next_step = default). */
export function removeBranch(
  definition: WorkflowDefinition,
  from: string,
  index: number,
): WorkflowDefinition {
  const step = stepOf(definition, from);
  if (!step.next?.[index])
    throw new DefinitionEditError(`Step "${from}" has no branch ${index + 1}`);
  if (step.next.length === 1) return toLinear(definition, from);
  const next = copy(definition);
  stepOf(next, from).next = step.next.filter((_, i) => i !== index);
  return next;
}

/** A branching step back to linear: it goes where its default went. */
export function toLinear(definition: WorkflowDefinition, from: string): WorkflowDefinition {
  return replaceStep(copy(definition), from, ({ next: _next, default: fallback, ...rest }) => ({
    ...rest,
    next_step: fallback ?? null,
  }));
}

/**
 * Removes a step. What pointed at it now points where it led when it had one successor
 * (a step, or the end), or ends the workflow when it branched; when it was the start, its
 * one successor starts instead. Input maps that read it are left for validation to report.
 */
export function removeStep(definition: WorkflowDefinition, id: string): WorkflowDefinition {
  const step = stepOf(definition, id);
  const stepCount = Object.keys(definition.steps).length;
  if (stepCount === 1) throw new DefinitionEditError('A workflow needs at least one step');
  const successors = successorsOf(step).filter((to) => to !== id);
  const single = successors.length === 1 ? (successors[0] ?? null) : null;
  if (definition.start_step === id && single === null) {
    throw new DefinitionEditError(
      `"${id}" starts the workflow and does not lead to exactly one step: make another step the start first`,
    );
  }
  const next = copy(definition);
  for (const ref of allRefs(definition)) {
    if (ref.from !== id && edgeTarget(definition, ref) === id)
      setTarget(stepOf(next, ref.from), ref, single);
  }
  delete next.steps[id];
  if (next.start_step === id && single !== null) next.start_step = single;
  return next;
}

/** Which step starts the workflow. */
export function setStartStep(definition: WorkflowDefinition, id: string): WorkflowDefinition {
  stepOf(definition, id);
  return { ...copy(definition), start_step: id };
}

/** Changes a step's own fields (transformer, input_map, config, description…). */
export function updateStep(
  definition: WorkflowDefinition,
  id: string,
  patch: Partial<
    Pick<WorkflowStep, 'transformer_id' | 'input_map' | 'output_map' | 'config' | 'description'>
  >,
): WorkflowDefinition {
  return replaceStep(copy(definition), id, (step) => {
    const updated: WorkflowStep = { ...step, ...patch };
    for (const key of ['input_map', 'output_map', 'config', 'description'] as const) {
      if (key in patch && patch[key] === undefined) delete updated[key];
    }
    return updated;
  });
}

// `$.old` at the start of a path, followed by the end, `.`, `[` or whitespace.
const pathRoot = (id: string) =>
  new RegExp(
    `^\\$\\.${id.replace(/[-]/g, '\\-')}(?=$|[.[\\s])|^\\$\\[(['"])${id.replace(/[-]/g, '\\-')}\\1\\]`,
  );

/**
 * Renames a step: the key in `steps` (keeping its place), start_step, every connection to
 * it and the JSONPaths that read its output (`$.old…` → `$.new…`).
 */
export function renameStep(
  definition: WorkflowDefinition,
  from: string,
  to: string,
): WorkflowDefinition {
  if (from === to) return definition;
  stepOf(definition, from);
  assertNewId(definition, to);
  const root = pathRoot(from);
  const renamePaths = (map: Record<string, string> | undefined) =>
    map &&
    Object.fromEntries(
      Object.entries(map).map(([key, path]) => [
        key,
        path.replace(root, (match) => (match.startsWith('$.') ? `$.${to}` : `$['${to}']`)),
      ]),
    );
  const renameTarget = (target: string | null | undefined) => (target === from ? to : target);
  const steps: WorkflowDefinition['steps'] = {};
  for (const [id, step] of Object.entries(copy(definition).steps)) {
    const renamed: WorkflowStep = { ...step };
    if (step.input_map) renamed.input_map = renamePaths(step.input_map);
    if (step.output_map) renamed.output_map = renamePaths(step.output_map);
    if (step.next_step !== undefined) renamed.next_step = renameTarget(step.next_step) ?? null;
    if (step.default !== undefined) renamed.default = renameTarget(step.default) ?? null;
    if (step.next)
      renamed.next = step.next.map((branch) => ({
        ...branch,
        step: renameTarget(branch.step) ?? null,
      }));
    steps[id === from ? to : id] = renamed;
  }
  const next: WorkflowDefinition = { ...copy(definition), steps };
  if (next.start_step === from) next.start_step = to;
  if (definition.output_map) next.output_map = renamePaths(definition.output_map);
  return next;
}

// Replaces one step keeping its position among the steps (the JSON keeps its order).
function replaceStep(
  definition: WorkflowDefinition,
  id: string,
  change: (step: WorkflowStep) => WorkflowStep,
): WorkflowDefinition {
  const step = stepOf(definition, id);
  definition.steps = Object.fromEntries(
    Object.entries(definition.steps).map(([key, value]) => [
      key,
      key === id ? change(step) : value,
    ]),
  );
  return definition;
}

/** A step id not yet used: `step2`, `step3`… (or `<base>2`…). */
export function freeStepId(definition: WorkflowDefinition, base = 'step'): string {
  for (let n = Object.keys(definition.steps).length + 1; ; n += 1) {
    const id = `${base}${n}`;
    if (!Object.hasOwn(definition.steps, id)) return id;
  }
}
