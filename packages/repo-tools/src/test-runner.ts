import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAdvisors, checkTypesDrift } from './checks.ts';
import { FAKE_GEMINI_API_KEY, startFakeGemini } from '@forkflow/local-stack/fakes/gemini-server';
import { repoRoot } from '@forkflow/local-stack/paths';
import { checkFunctionTypes, lintFunctions } from './function-checks.ts';
import {
  failedTestDigest,
  formatSummary,
  type StepResult,
  type VitestReport,
} from './test-report.ts';
import { startStack, withFreshPortsOnce, type RunningStack } from '@forkflow/local-stack/stack';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Backend {
  env: Record<string, string>;
  dbUrl: string;
  stop(): Promise<void>;
}

function sh(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.once('exit', (code) => resolve(code ?? 1));
    child.once('error', () => resolve(1));
  });
}

/** The browser tests need Debian's Chromium; a fresh machine gets it from apt (we run as root there). */
async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (userInfo().uid !== 0)
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  console.log('installing Chromium (apt-get install chromium)…');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if ((await sh('apt-get', ['update', '-qq'], env)) !== 0) throw new Error('apt-get update failed');
  if (
    (await sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], env)) !==
    0
  ) {
    throw new Error('apt-get install chromium failed');
  }
}

/** A real Supabase when the environment names one; otherwise a throwaway native stack. */
async function backend(): Promise<Backend> {
  const { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL } =
    process.env;
  if (SUPABASE_URL && SUPABASE_ANON_KEY && SUPABASE_SERVICE_ROLE_KEY && SUPABASE_DB_URL) {
    console.log(`testing against ${SUPABASE_URL}`);
    const env = { SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL };
    return { env, dbUrl: SUPABASE_DB_URL, stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'forkflow-test-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user and must reach its data dir
  const started = Date.now();
  // The executors' outside world: a fake Gemini for the real SDK to talk to, and host lists
  // that admit the servers the executor tests start on 127.0.0.1. Tests read the same values
  // (exported below) to know what the functions were given.
  const gemini = await startFakeGemini();
  const executorEnv = {
    GEMINI_BASE_URL: gemini.url,
    GEMINI_API_KEY: FAKE_GEMINI_API_KEY,
    HTTP_REQUEST_ALLOWED_HOSTS: '127.0.0.1,*.localhost',
    GEMINI_AUDIO_ALLOWED_HOSTS: '127.0.0.1',
  };
  let stack: RunningStack;
  try {
    stack = await withFreshPortsOnce((ports) =>
      startStack({
        dir,
        ports,
        cronIntervalSeconds: 1,
        testing: true,
        functionsEnv: {
          ...executorEnv,
          // The e2e tests serve the dashboard on a free loopback port.
          ALLOWED_ORIGINS: 'http://localhost:*,http://127.0.0.1:*',
        },
      }),
    );
  } catch (err) {
    printLogs(dir);
    rmSync(dir, { recursive: true, force: true });
    await gemini.close();
    throw err;
  }
  console.log(
    `throwaway stack up at ${stack.info.apiUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const { info } = stack;
  return {
    env: {
      SUPABASE_URL: info.apiUrl,
      SUPABASE_ANON_KEY: info.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: info.serviceRoleKey,
      SUPABASE_DB_URL: info.dbUrl,
      SUPABASE_JWT_SECRET: info.jwtSecret,
      // The functions' own port, behind the gateway: tests that a direct call is checked too.
      FUNCTIONS_DIRECT_URL: `http://127.0.0.1:${info.ports.functions}`,
      FAKE_GEMINI_URL: gemini.url,
      HTTP_REQUEST_ALLOWED_HOSTS: executorEnv.HTTP_REQUEST_ALLOWED_HOSTS,
      GEMINI_AUDIO_ALLOWED_HOSTS: executorEnv.GEMINI_AUDIO_ALLOWED_HOSTS,
    },
    dbUrl: info.dbUrl,
    stop: async () => {
      await stack.stop();
      await gemini.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function printLogs(dir: string): void {
  for (const name of ['postgres', 'postgrest', 'functions']) {
    const file = join(dir, 'logs', `${name}.log`);
    if (existsSync(file))
      console.error(
        `--- ${name}.log (tail) ---\n${readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')}`,
      );
  }
}

/** Runs one check; it fails with the returned text, or with whatever it throws. */
async function step(name: string, check: () => Promise<string | undefined>): Promise<StepResult> {
  try {
    const detail = await check();
    return { name, ok: !detail, detail };
  } catch (err) {
    return { name, ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * `pnpm test`: typecheck, lint, `deno check` and `deno lint` of every function file, every
 * vitest project (unit, integration, web, e2e) against a throwaway stack, the generated-types
 * drift check and Supabase's advisors; the summary also lists skipped tests and why. The stack
 * is stopped and its data removed however the run ends. Arguments go to vitest, and then only
 * vitest runs (`pnpm test supabase/tests/auth.test.ts`).
 */
export async function runTests(vitestArgs: string[]): Promise<number> {
  const focused = vitestArgs.length > 0;
  const results: StepResult[] = [];
  const pnpm = process.env.npm_execpath;
  const pnpmRun = (script: string): Promise<number> =>
    pnpm
      ? sh(process.execPath, [pnpm, 'run', script])
      : sh('npx', ['-y', 'pnpm@10.34.8', 'run', script]);

  if (!focused) {
    results.push({ name: 'typecheck', ok: (await pnpmRun('typecheck:node')) === 0 });
    results.push(await step('deno check (every file in supabase/functions)', checkFunctionTypes));
    results.push({ name: 'lint', ok: (await pnpmRun('lint:node')) === 0 });
    results.push(await step('deno lint (supabase/functions, import rules)', lintFunctions));
  }

  await ensureChromium();
  const api = await backend();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await api.stop();
  };
  const onSignal = (): void => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let report: VitestReport | undefined;
  try {
    const reportFile = join(tmpdir(), `forkflow-vitest-${process.pid}.json`);
    const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
    const code = await sh(
      process.execPath,
      [
        vitest,
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
        ...vitestArgs,
      ],
      { ...api.env, CHROMIUM_PATH: CHROMIUM },
    );
    if (existsSync(reportFile)) {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
      rmSync(reportFile, { force: true });
    }
    const digest = report && failedTestDigest(report);
    results.push({ name: 'vitest', ok: code === 0, ...(digest ? { detail: digest } : {}) });

    if (!focused) {
      results.push(
        await step('generated types', async () => checkTypesDrift(api.dbUrl)),
        await step('supabase db advisors', async () => {
          const { failures } = await checkAdvisors(api.dbUrl);
          return failures.length
            ? failures.map((a) => `${a.level} ${a.name}: ${a.detail}`).join('\n')
            : undefined;
        }),
      );
    }
  } finally {
    await stop();
  }

  console.log(`\n${formatSummary(results, report)}`);
  return results.every((r) => r.ok) ? 0 : 1;
}
