// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { queryJsonPath, tryParseJsonPath } from '../json-path.ts';
import {
  iRegexpMatch,
  iRegexpProblem,
  RegexBudgetError,
  resetRegexBudget,
} from '../json-path/i-regexp.ts';
import { jsonTypeOf } from '../workflow-inputs.ts';
import type { AssertionOperator, FlowAssertion } from './schemas.ts';

// Assertions on a flow's output (issue 11): an RFC 9535 path over the flow's output (its
// job's final_result itself, so `$.status`, not `$.output.status`), an operator and an
// expected value. Saving a sequence calls validateAssertion (validate-sequence.ts); when a
// flow's job ends, evaluateAssertions decides whether it passed (run-state.ts). Pure.
//
// The rules, one per operator (the path must select at least one node for every operator but
// `exists`; otherwise the assertion fails, whatever the operator, because a check on a field
// that is not there says nothing about it):
//   exists        at least one node
//   equals        the first node deep-equals expected (JSON equality: key order ignored)
//   not_equals    the first node does not deep-equal expected
//   contains      string: includes expected (a string); array: has an element deep-equal to
//                 expected; object: has the key expected (a string)
//   matches       string fully matching expected, an I-Regexp (RFC 9485), in linear time
//   lt / gt       number below / above expected (a number)

export type AssertionResult = {
  path: string;
  operator: AssertionOperator;
  expected: unknown;
  /**
   * The first node's value; null when the path matched nothing (the message says which). A
   * value whose JSON is over MAX_ACTUAL_CHARS is recorded as the start of that JSON, a string.
   */
  actual: unknown;
  passed: boolean;
  /** What a user reads: "$.status is 'failed', expected 'ok'". */
  message: string;
};

/** Null when the assertion can be evaluated, else why not (for `invalid_assertion`). */
export function validateAssertion(assertion: FlowAssertion): string | null {
  const parsed = tryParseJsonPath(assertion.path);
  if (!parsed.ok) return parsed.message;
  const { operator, expected } = assertion;
  switch (operator) {
    case 'exists':
      return null;
    case 'equals':
    case 'not_equals':
    case 'contains':
      return expected === undefined ? `${operator} needs an expected value` : null;
    case 'matches': {
      if (typeof expected !== 'string') return 'matches needs a pattern (a string)';
      const problem = iRegexpProblem(expected);
      return problem === null ? null : `'${expected}' is not an I-Regexp (RFC 9485): ${problem}`;
    }
    case 'lt':
    case 'gt':
      return typeof expected === 'number' && Number.isFinite(expected)
        ? null
        : `${operator === 'lt' ? '<' : '>'} needs a number as expected value`;
    default:
      return `unknown operator ${String(operator)}`;
  }
}

/** Evaluates each assertion over `output`, in order; never throws. */
export function evaluateAssertions(
  assertions: readonly FlowAssertion[],
  output: unknown,
): AssertionResult[] {
  return assertions.map((assertion) => evaluateAssertion(assertion, output));
}

function evaluateAssertion(assertion: FlowAssertion, output: unknown): AssertionResult {
  const { path, operator } = assertion;
  const expected = assertion.expected ?? null;
  const result = (passed: boolean, actual: unknown, message: string): AssertionResult => ({
    path,
    operator,
    expected,
    actual: recordable(actual),
    passed,
    message,
  });

  const problem = validateAssertion(assertion);
  if (problem !== null) return result(false, null, `${path}: ${problem}`);

  let nodes: unknown[];
  try {
    nodes = queryJsonPath(path, output);
  } catch (error) {
    return result(false, null, (error as Error).message);
  }
  if (nodes.length === 0) {
    return operator === 'exists'
      ? result(false, null, `${path} matched nothing, expected it to exist`)
      : result(false, null, `${path} matched nothing, expected ${describeExpectation(assertion)}`);
  }
  const actual = nodes[0];
  const is = `${path} is ${show(actual)}`;

  switch (operator) {
    case 'exists':
      return result(true, actual, `${path} exists`);
    case 'equals':
      return jsonEqual(actual, expected)
        ? result(true, actual, is)
        : result(false, actual, `${is}, expected ${show(expected)}`);
    case 'not_equals':
      return jsonEqual(actual, expected)
        ? result(false, actual, `${is}, expected anything else`)
        : result(true, actual, `${is}, not ${show(expected)}`);
    case 'contains':
      return contains(actual, expected)
        ? result(true, actual, `${is}, contains ${show(expected)}`)
        : result(false, actual, `${is}, expected it to contain ${show(expected)}`);
    case 'matches': {
      const pattern = expected as string; // validateAssertion checked it
      if (typeof actual !== 'string') {
        return result(
          false,
          actual,
          `${is} (${jsonTypeOf(actual)}), expected a string matching '${pattern}'`,
        );
      }
      try {
        resetRegexBudget();
        return iRegexpMatch(actual, pattern)
          ? result(true, actual, `${is}, matching '${pattern}'`)
          : result(false, actual, `${is}, expected it to match '${pattern}'`);
      } catch (error) {
        if (!(error instanceof RegexBudgetError)) throw error;
        return result(false, actual, `${path}: ${error.message}`);
      }
    }
    case 'lt':
    case 'gt': {
      const bound = expected as number; // validateAssertion checked it
      const words = operator === 'lt' ? 'less than' : 'greater than';
      if (typeof actual !== 'number') {
        return result(
          false,
          actual,
          `${is} (${jsonTypeOf(actual)}), expected a number ${words} ${bound}`,
        );
      }
      const passed = operator === 'lt' ? actual < bound : actual > bound;
      return result(
        passed,
        actual,
        passed ? `${is}, ${words} ${bound}` : `${is}, expected ${words} ${bound}`,
      );
    }
  }
}

function describeExpectation({ operator, expected }: FlowAssertion): string {
  switch (operator) {
    case 'equals':
      return show(expected ?? null);
    case 'not_equals':
      return `something other than ${show(expected ?? null)}`;
    case 'contains':
      return `something containing ${show(expected ?? null)}`;
    case 'matches':
      return `a string matching '${String(expected)}'`;
    case 'lt':
      return `a number less than ${String(expected)}`;
    case 'gt':
      return `a number greater than ${String(expected)}`;
    default:
      return 'a value';
  }
}

function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
  if (Array.isArray(actual)) return actual.some((item) => jsonEqual(item, expected));
  if (typeof actual === 'object' && actual !== null) {
    return typeof expected === 'string' && Object.hasOwn(actual, expected);
  }
  return false;
}

/** Equality of JSON values: objects by their members whatever the key order, arrays in order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => jsonEqual(item, b[index]))
    );
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], bRecord[key]),
    )
  );
}

/**
 * How much of a matched value a result keeps. A run flow records its assertions beside the
 * output, so `$` over a 4 MiB output, 20 assertions deep, would otherwise store it 21 times.
 */
export const MAX_ACTUAL_CHARS = 10_000;

function recordable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'string' ? cutText(value, MAX_ACTUAL_CHARS) : value;
  }
  const text = JSON.stringify(value);
  return text.length > MAX_ACTUAL_CHARS ? cutText(text, MAX_ACTUAL_CHARS) : value;
}

/**
 * `text` cut to at most `max` UTF-16 units and ended with …, never between the two halves of
 * a surrogate pair: Postgres refuses a lone surrogate in jsonb, so the record would fail.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

const MAX_SHOWN = 120;

/** A value as a message shows it: strings in single quotes, the rest as JSON, cut short. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? 'undefined');
  return cutText(text, MAX_SHOWN);
}
