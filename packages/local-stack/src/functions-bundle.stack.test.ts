import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { denoBin, functionsDir } from './paths.ts';

// Edge functions must stay deployable with the standard Supabase CLI, whose bundler rejects
// imports from outside supabase/functions and cannot fetch jsr: or URL imports here
// (docs/architecture.md; supabase/cli issues 1303, 3467). The import rule is checked by
// `pnpm lint:functions` (packages/repo-tools/deno/function-imports.ts); the CLI's own bundling
// needs Docker or the hosted API, so this shows locally that each function bundles into one
// file with `deno bundle` (esbuild underneath, like the hosted bundler).

const run = promisify(execFile);

const functionNames = readdirSync(functionsDir).filter(
  (name) =>
    !name.startsWith('_') &&
    statSync(join(functionsDir, name, 'index.ts'), { throwIfNoEntry: false })?.isFile(),
);

const out = mkdtempSync(join(tmpdir(), 'functions-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('edge functions stay deployable', () => {
  it('there are functions to check', () => {
    expect(functionNames.length).toBeGreaterThan(0);
  });

  it.each(functionNames)('%s bundles into one file', { timeout: 120_000 }, async (name) => {
    const file = join(out, `${name}.js`);
    await run(
      denoBin(),
      [
        'bundle',
        '--quiet',
        '--no-lock',
        '--node-modules-dir=none',
        '-o',
        file,
        join(name, 'index.ts'),
      ],
      { cwd: functionsDir, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } },
    );
    // A bundle keeps no import of a local file: everything relative was inlined.
    const bundled = readFileSync(file, 'utf8');
    expect(bundled.length).toBeGreaterThan(0);
    expect(bundled).not.toMatch(/from\s*['"]\.\.?\//);
  });
});
