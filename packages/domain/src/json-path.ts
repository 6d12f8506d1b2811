import {
  FunctionExpressionType,
  JSONPathEnvironment,
  JSONPathError,
  JSONPathTypeError,
  Nothing,
  TokenKind,
  jsonpath,
  type FilterFunction,
  type JSONPathQuery,
  type JSONValue,
  type Token,
} from 'json-p3';
import {
  iRegexpMatch,
  iRegexpProblem,
  iRegexpSearch,
  RegexBudgetError,
  resetRegexBudget,
} from './json-path/i-regexp.ts';
import type { MissingInput } from './json-path/unmatched-path.ts';

// RFC 9535 JSONPath over a workflow's context document (docs/architecture.md, "JSONPath"):
//
//   { job_input, <step_id>: { output }, config, variables }
//
// so seed 003's `$.job_input.payload` and `$.step1.output.echoed_data` work as written.
// Parsing and evaluation are json-p3's: it passes all 703 cases of the RFC's compliance
// suite (json-path-cts.test.ts; jsonpath-rfc9535, used before, failed 41, among them
// `a && b && c` read as `a && (b || c)`), has no dependencies and ships plain ESM, so the
// same code runs in the browser (the definition editor), in Node (tests) and in Deno
// through `npm:` (the orchestrator). match() and search() are ours (json-path/i-regexp.ts):
// I-Regexp only, checked when a path is parsed, and matched in linear time. Pure: no I/O.

/** The roots a path may start from besides a step id. */
export const CONTEXT_ROOTS = ['job_input', 'config', 'variables'] as const;
export type ContextRoot = (typeof CONTEXT_ROOTS)[number];

export type { JSONPathQuery as JsonPathQuery, JSONValue as JsonValue };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** match()/search() with RE2 semantics; a non-string argument gives false (RFC 9535 2.4.6). */
class RegexFunction implements FilterFunction {
  readonly argTypes = [FunctionExpressionType.ValueType, FunctionExpressionType.ValueType];
  readonly returnType = FunctionExpressionType.LogicalType;
  constructor(private readonly test: (subject: string, pattern: string) => boolean) {}
  call(subject: unknown, pattern: unknown): boolean {
    return isString(subject) && isString(pattern) && this.test(subject, pattern);
  }
}

/** length() in Unicode scalar values, as RFC 9535 2.4.4 says (json-p3 counts UTF-16 units). */
class LengthFunction implements FilterFunction {
  readonly argTypes = [FunctionExpressionType.ValueType];
  readonly returnType = FunctionExpressionType.ValueType;
  call(value: unknown): unknown {
    if (isString(value)) return [...value].length;
    if (Array.isArray(value)) return value.length;
    if (typeof value === 'object' && value !== null) return Object.keys(value).length;
    return Nothing;
  }
}

class WorkflowJsonPathEnvironment extends JSONPathEnvironment {
  protected override setupFilterFunctions(): void {
    super.setupFilterFunctions();
    this.functionRegister.set('length', new LengthFunction());
    this.functionRegister.set('match', new RegexFunction(iRegexpMatch));
    this.functionRegister.set('search', new RegexFunction(iRegexpSearch));
  }

  // A literal pattern that is not an I-Regexp would make match()/search() false on every
  // node, silently: reject it when the path is parsed (so when the workflow is saved).
  override checkWellTypedness(
    token: Token,
    args: jsonpath.expressions.FilterExpression[],
  ): jsonpath.expressions.FilterExpression[] {
    const checked = super.checkWellTypedness(token, args);
    const pattern = args[1];
    if (
      (token.value === 'match' || token.value === 'search') &&
      pattern instanceof jsonpath.expressions.StringLiteral
    ) {
      const problem = iRegexpProblem(pattern.value);
      if (problem !== null) {
        throw new JSONPathTypeError(
          `${token.value}() pattern '${pattern.value}' is not an I-Regexp (RFC 9485): ${problem}`,
          token,
        );
      }
    }
    return checked;
  }
}

const environment = new WorkflowJsonPathEnvironment();

export type ParsedJsonPath = {
  /** The path as written. */
  path: string;
  ast: JSONPathQuery;
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
  /**
   * Every context root the path reads: its own `root` and those of absolute queries in its
   * filters (`$.job_input.items[?@.lang == $.variables.lang]` reads job_input and variables).
   */
  rootsRead: string[];
};

/** Parses an RFC 9535 query; throws JsonPathError with the parser's message. */
export function parseJsonPath(path: string): ParsedJsonPath {
  let ast: JSONPathQuery;
  try {
    ast = environment.compile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonPathError(`"${path}" is not a valid JSONPath (RFC 9535): ${reason}`);
  }
  // Deciding singularity from the syntax (RFC 9535 2.3.5.1), not from how many nodes
  // matched, keeps a mapped value's shape stable: `$.items[*]` is a list even with one item.
  const root = rootName(ast);
  const rootsRead = new Set<string>(root === null ? [] : [root]);
  collectRootsRead(ast, rootsRead);
  return { path, ast, root, singular: ast.singularQuery(), rootsRead: [...rootsRead] };
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

function rootName(ast: JSONPathQuery): string | null {
  const first = ast.segments[0];
  // A descendant segment (`$..name`) can match anywhere, so it names no root.
  if (!first || first.token.kind === TokenKind.DDOT || first.selectors.length !== 1) return null;
  const selector = first.selectors[0];
  return selector instanceof selectors.NameSelector ? selector.name : null;
}

const { expressions, selectors } = jsonpath;

function collectRootsRead(query: JSONPathQuery, into: Set<string>): void {
  const visit = (expression: jsonpath.expressions.FilterExpression): void => {
    if (expression instanceof expressions.LogicalExpression) visit(expression.expression);
    else if (expression instanceof expressions.PrefixExpression) visit(expression.right);
    else if (expression instanceof expressions.InfixExpression) {
      visit(expression.left);
      visit(expression.right);
    } else if (expression instanceof expressions.FunctionExtension) expression.args.forEach(visit);
    else if (expression instanceof expressions.FilterQuery) {
      if (expression instanceof expressions.RootQuery) {
        const root = rootName(expression.path);
        if (root !== null) into.add(root);
      }
      collectRootsRead(expression.path, into);
    }
  };
  for (const segment of query.segments) {
    for (const selector of segment.selectors) {
      if (selector instanceof selectors.FilterSelector) visit(selector.expression);
    }
  }
}

/**
 * The values of every node a path selects, in the RFC's order (what the compliance suite
 * compares). Throws JsonPathError for a path that does not parse or cannot be evaluated
 * (a descendant segment deeper than json-p3's recursion limit, match()/search() past their
 * budget: json-path/i-regexp.ts).
 */
export function queryJsonPath(path: string | ParsedJsonPath, document: unknown): unknown[] {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  resetRegexBudget();
  try {
    return parsed.ast.query(document as JSONValue).values();
  } catch (error) {
    if (!(error instanceof JSONPathError || error instanceof RegexBudgetError)) throw error;
    throw new JsonPathError(`"${parsed.path}" could not be evaluated: ${error.message}`);
  }
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
  const parsed = parseJsonPath(path);
  const matches = queryJsonPath(parsed, context);
  if (matches.length === 0) return { found: false };
  return { found: true, value: parsed.singular ? matches[0] : matches };
}

export type { MissingInput };

// Whatever goes wrong evaluating a path fails the same way on every attempt, so mapping
// reports it as a JsonPathError naming the key and path (the orchestrator fails the step as
// invalid_json_path, not retried) rather than an unexpected error it would retry.
function evaluateForMapping(
  key: string,
  path: string,
  context: unknown,
): ReturnType<typeof evaluateJsonPath> {
  try {
    return evaluateJsonPath(path, context);
  } catch (error) {
    if (error instanceof JsonPathError) throw error;
    throw new JsonPathError(`"${path}" (for "${key}") could not be evaluated: ${String(error)}`);
  }
}

/**
 * Builds a step's input from its input_map (or an output from an output_map). A path that
 * matches nothing leaves its key undefined and is listed in `missing`, so the orchestrator
 * can record why a transformer got no value (or an output lacks a key) instead of silently
 * passing `undefined` along. Throws JsonPathError, naming the path, for a path that does
 * not parse (validation on save should have caught it) or whose evaluation fails.
 */
export function mapInputs(
  inputMap: Readonly<Record<string, string>>,
  context: unknown,
): { value: Record<string, unknown>; missing: MissingInput[] } {
  const value: Record<string, unknown> = {};
  const missing: MissingInput[] = [];
  for (const [key, path] of Object.entries(inputMap)) {
    const result = evaluateForMapping(key, path, context);
    if (result.found) {
      value[key] = result.value;
    } else {
      value[key] = undefined;
      missing.push({ key, path });
    }
  }
  return { value, missing };
}
