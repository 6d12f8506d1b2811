import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denoBin, functionsDir } from './paths.ts';
import { logTail, startService, type Service } from './process.ts';
import { waitFor } from './ports.ts';

export interface FunctionsOptions {
  port: number;
  logFile: string;
  /** Whether to restart on source changes (`pnpm dev`). */
  watch: boolean;
  /** What every function sees, as on Supabase: SUPABASE_URL, keys, DB URL. */
  env: Record<string, string>;
  denoDir?: string;
}

/** Secrets from supabase/functions/.env, like `supabase functions serve --env-file`. */
function readEnvFile(): Record<string, string> {
  const file = join(functionsDir, '.env');
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => {
      const i = line.indexOf('=');
      return [
        line.slice(0, i).trim(),
        line
          .slice(i + 1)
          .trim()
          .replace(/^['"]|['"]$/g, ''),
      ] as const;
    });
  return Object.fromEntries(entries);
}

export async function startFunctions(options: FunctionsOptions): Promise<Service> {
  const main = fileURLToPath(new URL('../deno/serve-functions.ts', import.meta.url));
  const args = [
    'run',
    '--allow-all',
    '--no-lock',
    // Functions import only `npm:` and relative specifiers; never the repo's node_modules.
    '--node-modules-dir=none',
    ...(options.watch ? [`--watch=${functionsDir}`] : []),
    main,
  ];
  const service = startService('functions', denoBin(), args, {
    logFile: options.logFile,
    cwd: functionsDir,
    env: {
      ...process.env,
      ...readEnvFile(),
      ...options.env,
      FUNCTIONS_DIR: functionsDir,
      FUNCTIONS_PORT: String(options.port),
      DENO_NO_UPDATE_CHECK: '1',
      ...(options.denoDir ? { DENO_DIR: options.denoDir } : {}),
    },
  });
  await waitFor(
    'the functions runtime',
    async () => (await fetch(`http://127.0.0.1:${options.port}/_health`)).ok,
    120_000,
    () =>
      service.child.exitCode !== null ? `deno exited:\n${logTail(options.logFile)}` : undefined,
  );
  return service;
}
