import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFunctionTypes, functionSourceFiles, lintFunctions } from './function-checks.ts';

// Each test builds a small supabase/functions tree: the import rule judges paths against it.
const root = mkdtempSync(join(tmpdir(), 'function-checks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let trees = 0;
function functionsTree(files: Record<string, string>): string {
  const dir = join(root, String(trees++), 'supabase/functions');
  for (const [name, code] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), code);
  }
  return dir;
}

const shared = { '_shared/http.ts': 'export const ok = (n: number): number => n;\n' };

// Deno starts per call, and deno check loads TypeScript: seconds each on a busy machine.
describe('the edge functions checks', { timeout: 60_000 }, () => {
  it('list every source file, nested ones too, and none in node_modules', () => {
    const dir = functionsTree({
      ...shared,
      'a/index.ts': '',
      'a/worker.ts': '',
      'a/node_modules/x/index.js': '',
      'a/notes.md': '',
    });
    expect(functionSourceFiles(dir)).toEqual(['_shared/http.ts', 'a/index.ts', 'a/worker.ts']);
  });

  it('lint passes relative imports inside supabase/functions and npm: specifiers', async () => {
    const dir = functionsTree({
      ...shared,
      'a/index.ts':
        "import { ok } from '../_shared/http.ts';\n" +
        "export { ok as same } from '../_shared/http.ts';\n" +
        "import type { z } from 'npm:zod@^4.1.0';\n" +
        'export type Z = z.ZodType;\n' +
        'console.log(ok(1));\n',
    });
    expect(await lintFunctions(dir)).toBeUndefined();
  });

  it.each([
    ["import { assert } from 'jsr:@std/assert@1';", 'jsr:@std/assert@1'],
    ["import { serve } from 'https://deno.land/std@0.224.0/http/server.ts';", 'https://deno.land'],
    ["import { z } from 'zod';", "'zod'"],
    ["import { rule } from '../../../packages/domain/src/rule.ts';", 'leaves supabase/functions'],
    ["export * from 'jsr:@std/path@1';", 'jsr:@std/path@1'],
    ["const m = await import('jsr:@std/fs@1');\nconsole.log(m);", 'jsr:@std/fs@1'],
  ])('lint refuses %s', async (line, named) => {
    const dir = functionsTree({ ...shared, 'a/worker.ts': `${line}\nexport {};\n` });
    const failure = await lintFunctions(dir);
    expect(failure).toContain('a/worker.ts');
    expect(failure).toContain('forkflow/function-imports');
    expect(failure).toContain(named);
  });

  it('type-checks a file that no index.ts imports', async () => {
    const dir = functionsTree({
      ...shared,
      'a/index.ts': "import { ok } from '../_shared/http.ts';\nconsole.log(ok(1));\n",
      'a/worker.ts':
        "import { ok } from '../_shared/http.ts';\nexport const n: number = ok('1');\n",
    });
    const failure = await checkFunctionTypes(dir);
    expect(failure).toContain('a/worker.ts');
    expect(failure).toMatch(/TS2345/);
  });

  it('type-check passes a tree without errors', async () => {
    const dir = functionsTree({
      ...shared,
      'a/index.ts': "import { ok } from '../_shared/http.ts';\nconsole.log(ok(1));\n",
    });
    expect(await checkFunctionTypes(dir)).toBeUndefined();
  });
});
