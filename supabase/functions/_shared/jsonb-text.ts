// Postgres jsonb and text cannot hold U+0000, nor a lone UTF-16 surrogate (JSON allows both:
// "\u0000", "\ud800"). A value carrying one is refused whole (22P05, or "invalid json"), so:
// - user input with one is a 400 before it reaches the database (readBody), and
// - a step result with one (an upstream body with a NUL byte, a JSON API answering "\u0000")
//   has it replaced by U+FFFD before finish_workflow_steps: otherwise the whole batch of
//   results would be refused, every job in it would run again when its lease ran out, and
//   the one with the character would fail the same way for ever.
// Free of Deno APIs so Node tests can import it.

// With the u flag a well-formed surrogate pair is one code point: \p{Cs} matches lone ones.
// U+0000 is the character we look for, so deno lint's no-control-regex does not apply.
// deno-lint-ignore no-control-regex
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// deno-lint-ignore no-control-regex
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;
// JSON.stringify writes exactly these characters as \u escapes (lone surrogates in lower
// case); a literal backslash before "u0000" also matches, which only costs the slow path.
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The path of the first string (or object key) Postgres cannot store, or null. Iterative, so
 * a deeply nested value cannot overflow the stack here (see jsonDepthExceeds for the limit).
 */
export function findUnstorable(value: unknown): (string | number)[] | null {
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], [...path, i]]);
    } else if (isPlainObject(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (UNSTORABLE.test(key)) return [...path, key];
        stack.push([child, [...path, key]]);
      }
    }
  }
  return null;
}

/**
 * Whether arrays and objects nest deeper than `max`. JSON.stringify overflows V8's stack a
 * few thousand levels down (supabase-js serialises an RPC's arguments with it) and Postgres
 * refuses jsonb past its stack depth: both would be a 500 for what is the caller's mistake.
 */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item))
      stack.push([child, depth + 1]);
  }
  return false;
}

const clean = (text: string): string => text.replace(UNSTORABLE_ALL, '\ufffd');

function storableReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return clean(value);
  if (isPlainObject(value) && Object.keys(value).some((key) => UNSTORABLE.test(key))) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [clean(key), item]));
  }
  return value;
}

/**
 * JSON text of `value` that Postgres accepts as jsonb: U+0000 and lone surrogates, in values
 * and keys, become U+FFFD. The usual case costs one JSON.stringify and one regex test.
 */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  return UNSTORABLE_ESCAPE.test(text) ? JSON.stringify(value, storableReplacer) : text;
}
