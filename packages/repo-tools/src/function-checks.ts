// The edge functions' own checks, run by `pnpm typecheck`, `pnpm lint` and `pnpm test`:
// `deno check` and `deno lint` over every file under supabase/functions, not only what the
// functions' index.ts files import (a module nothing imports yet, such as a worker, would
// otherwise go unchecked). The lint adds our import rule (deno/function-imports.ts).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { denoBin, functionsDir } from '@forkflow/local-stack/paths';

const lintConfig = fileURLToPath(new URL('../deno/lint.json', import.meta.url));

/** Every TypeScript or JavaScript file under `dir`, relative to it, sorted. */
export function functionSourceFiles(dir: string = functionsDir): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|js|mjs)$/.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((file) => !file.split('/').includes('node_modules'))
    .sort();
}

function deno(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      denoBin(),
      args,
      { cwd, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: stripVTControlCharacters(`${stdout}${stderr}`).trim() });
      },
    );
  });
}

/** Deno's report with file URLs shortened to paths from `dir`, for a readable summary. */
function shorten(output: string, dir: string): string {
  return output.replaceAll(`file://${dir}/`, '').replaceAll(`${dir}/`, '');
}

/** `deno check` of every function file; the failure text, or undefined when all pass. */
export async function checkFunctionTypes(dir: string = functionsDir): Promise<string | undefined> {
  const files = functionSourceFiles(dir);
  if (files.length === 0) return `no function files under ${dir}`;
  // As the functions run locally: npm: packages from Deno's cache, never the repo's node_modules.
  const { code, output } = await deno(
    ['check', '--quiet', '--no-lock', '--node-modules-dir=none', ...files],
    dir,
  );
  return code === 0 ? undefined : shorten(output, dir) || `deno check exited with ${code}`;
}

/** `deno lint` (recommended rules and the import rule) of every function file. */
export async function lintFunctions(dir: string = functionsDir): Promise<string | undefined> {
  const files = functionSourceFiles(dir);
  if (files.length === 0) return `no function files under ${dir}`;
  const { code, output } = await deno(['lint', '--compact', '--config', lintConfig, ...files], dir);
  return code === 0 ? undefined : shorten(output, dir) || `deno lint exited with ${code}`;
}
