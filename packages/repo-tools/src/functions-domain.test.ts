import { describe, expect, it } from 'vitest';
import {
  checkFunctionsDomainDrift,
  FUNCTIONS_DOMAIN_ENTRIES,
  generateFunctionsDomain,
  toNpmSpecifier,
} from './functions-domain.ts';

const ranges = { zod: '^4.1.0', 'jsonpath-rfc9535': '^1.3.0', '@scope/pkg': '^2.0.0' };

// Generating formats every copied file with prettier; the first call also loads its TypeScript
// parser. 14 files took 6.5 s at a load average of 19 on this 2-CPU machine (1–2 s idle), past
// vitest's 5 s default, so these tests get room: a timeout, not a claim about speed.
describe('functions domain copy', { timeout: 60_000 }, () => {
  it.each([
    ['zod', 'npm:zod@^4.1.0'],
    ['jsonpath-rfc9535', 'npm:jsonpath-rfc9535@^1.3.0'],
    ['jsonpath-rfc9535/parser', 'npm:jsonpath-rfc9535@^1.3.0/parser'],
    ['@scope/pkg/sub/path', 'npm:@scope/pkg@^2.0.0/sub/path'],
  ])('bare import %s becomes %s', (bare, npm) => {
    expect(toNpmSpecifier(bare, ranges)).toBe(npm);
  });

  it('a package missing from the domain dependencies is refused', () => {
    expect(() => toNpmSpecifier('left-pad', ranges)).toThrow(/not in its package.json/);
  });

  it('the copy has only relative and npm: imports, under the generated header', async () => {
    const files = await generateFunctionsDomain();
    // The entries and whatever they import, relatively, from packages/domain/src.
    expect([...files.keys()]).toEqual(expect.arrayContaining(FUNCTIONS_DOMAIN_ENTRIES));
    for (const code of files.values()) {
      expect(code.startsWith('// Generated from packages/domain')).toBe(true);
      const specifiers = [...code.matchAll(/\bfrom\s*'([^']+)'/g)].map((m) => m[1]!);
      // `../` from flows/*.ts: the generator refuses any relative import that leaves src.
      for (const spec of specifiers) expect(spec).toMatch(/^(\.\.?\/|npm:)/);
    }
  });

  it('the committed copy in supabase/functions/_shared/domain is up to date', async () => {
    expect(await checkFunctionsDomainDrift()).toBeUndefined();
  });
});
