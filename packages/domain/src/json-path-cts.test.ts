import { describe, expect, it } from 'vitest';
import cts from '../test-vectors/jsonpath-cts/cts.json' with { type: 'json' };
import { queryJsonPath, tryParseJsonPath } from './json-path.ts';

// The official JSONPath Compliance Test Suite (RFC 9535), run against the same parse that
// validateWorkflowDefinition (and so save-workflow and the editor) uses and the same
// evaluation the orchestrator maps steps with. Provenance and licence:
// test-vectors/jsonpath-cts/README.md and LICENSE.

type CtsCase = {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  invalid_selector?: boolean;
};

const cases = (cts as { tests: CtsCase[] }).tests;

describe('JSONPath compliance test suite', () => {
  it('has all 703 cases', () => {
    expect(cases).toHaveLength(703);
  });

  const valid = cases.filter((c) => !c.invalid_selector);
  const invalid = cases.filter((c) => c.invalid_selector);

  it.each(valid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const parsed = tryParseJsonPath(c.selector);
    expect(parsed).toMatchObject({ ok: true });
    const nodes = queryJsonPath(c.selector, c.document);
    // Some cases allow several orders (object member order is unspecified): any one will do.
    const acceptable = c.results ?? [c.result];
    expect(acceptable).toContainEqual(nodes);
  });

  it.each(invalid.map((c) => [c.name, c] as const))('rejects %s', (_name, c) => {
    expect(tryParseJsonPath(c.selector)).toMatchObject({ ok: false });
  });
});
