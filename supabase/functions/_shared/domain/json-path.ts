// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { query, type JsonValue } from 'npm:jsonpath-rfc9535@^1.3.0';
import parse, { type JsonPathQuery } from 'npm:jsonpath-rfc9535@^1.3.0/parser';

// RFC 9535 JSONPath over a workflow's context document (docs/architecture.md, "JSONPath"):
//
//   { job_input, <step_id>: { output }, config, variables }
//
// so seed 003's `$.job_input.payload` and `$.step1.output.echoed_data` work as written.
// Parsing and evaluation are jsonpath-rfc9535's: it passes the RFC's compliance suite, has
// no dependencies and ships plain ESM, so the same code runs in the browser (the definition
// editor), in Node (tests) and in Deno through `npm:` (the orchestrator). Pure: no I/O.

/** The roots a path may start from besides a step id. */
export const CONTEXT_ROOTS = ['job_input', 'config', 'variables'] as const;
export type ContextRoot = (typeof CONTEXT_ROOTS)[number];

export type { JsonPathQuery, JsonValue };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

export type ParsedJsonPath = {
  ast: JsonPathQuery;
  /**
   * The member name the path starts with (`job_input` in `$.job_input.payload`), or null
   * when it starts with anything else (`$`, `$..x`, `$[*]`, `$[0]`): those cannot say
   * which part of the context they read, so validation rejects them.
   */
  root: string | null;
  /**
   * True for an RFC 9535 singular query (only name and index selectors): it selects at
   * most one node, so mapping yields that value rather than a list of one.
   */
  singular: boolean;
};

/** Parses an RFC 9535 query; throws JsonPathError with the parser's message. */
export function parseJsonPath(path: string): ParsedJsonPath {
  let ast: JsonPathQuery;
  try {
    ast = parse(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonPathError(`"${path}" is not a valid JSONPath (RFC 9535): ${reason}`);
  }
  return { ast, root: rootName(ast), singular: isSingular(ast) };
}

/** parseJsonPath without the throw, for validation that collects every error. */
export function tryParseJsonPath(
  path: string,
): { ok: true; parsed: ParsedJsonPath } | { ok: false; message: string } {
  try {
    return { ok: true, parsed: parseJsonPath(path) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function rootName(ast: JsonPathQuery): string | null {
  const first = ast.segments[0];
  if (!first || first.type !== 'ChildSegment') return null;
  const node = first.node;
  if (node.type === 'MemberNameShorthand') return node.value;
  if (node.type === 'BracketedSelection' && node.selectors.length === 1) {
    const selector = node.selectors[0];
    if (selector?.type === 'NameSelector') return selector.value;
  }
  return null;
}

// RFC 9535 section 2.3.5.1: a singular query has only child segments, each a single name
// or index. Deciding this from the syntax, not from how many nodes matched, keeps a
// mapped value's shape stable: `$.items[*]` is a list even when it matches one item.
function isSingular(ast: JsonPathQuery): boolean {
  return ast.segments.every((segment) => {
    if (segment.type !== 'ChildSegment') return false;
    const node = segment.node;
    if (node.type === 'MemberNameShorthand') return true;
    if (node.type !== 'BracketedSelection' || node.selectors.length !== 1) return false;
    const selector = node.selectors[0];
    return selector?.type === 'NameSelector' || selector?.type === 'IndexSelector';
  });
}

/** The document a step's input_map (and the workflow's output_map) is evaluated over. */
export type WorkflowContext = {
  job_input: unknown;
  config?: unknown;
  variables?: unknown;
  [stepId: string]: unknown;
};

/** Builds the context document from a job's input and the outputs of steps run so far. */
export function buildWorkflowContext(parts: {
  jobInput: unknown;
  stepOutputs?: Readonly<Record<string, unknown>>;
  config?: unknown;
  variables?: unknown;
}): WorkflowContext {
  const context: WorkflowContext = { job_input: parts.jobInput };
  for (const [stepId, output] of Object.entries(parts.stepOutputs ?? {})) {
    context[stepId] = { output };
  }
  // Set after the steps so a step can never shadow a root (validation forbids such ids too).
  context.config = parts.config ?? {};
  context.variables = parts.variables ?? {};
  return context;
}

/** Evaluates one path: a singular path yields its value, any other a list of matches. */
export function evaluateJsonPath(
  path: string,
  context: unknown,
): { found: true; value: unknown } | { found: false } {
  const { singular } = parseJsonPath(path);
  const matches = query(context as JsonValue, path);
  if (matches.length === 0) return { found: false };
  return { found: true, value: singular ? matches[0] : matches };
}

export type MissingInput = { key: string; path: string };

/**
 * Builds a step's input from its input_map. A path that matches nothing leaves its key
 * undefined and is listed in `missing`, so the orchestrator can record why a transformer
 * got no value instead of silently passing `undefined` along. Throws JsonPathError for a
 * path that does not parse (validation on save should have caught it).
 */
export function mapInputs(
  inputMap: Readonly<Record<string, string>>,
  context: unknown,
): { value: Record<string, unknown>; missing: MissingInput[] } {
  const value: Record<string, unknown> = {};
  const missing: MissingInput[] = [];
  for (const [key, path] of Object.entries(inputMap)) {
    const result = evaluateJsonPath(path, context);
    if (result.found) {
      value[key] = result.value;
    } else {
      value[key] = undefined;
      missing.push({ key, path });
    }
  }
  return { value, missing };
}
