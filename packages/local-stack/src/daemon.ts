// The background process behind `pnpm stack start`: owns every service of the stack and
// stops them all on SIGTERM/SIGINT. It reports readiness by writing state.json.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_GEMINI_API_KEY, startFakeGemini } from './fakes/gemini-server.ts';
import { functionsDir } from './paths.ts';
import { startStack, type Ports } from './stack.ts';

const [dir, portsJson, reset, watch] = process.argv.slice(2);
if (!dir || !portsJson) throw new Error('usage: daemon <dir> <ports-json> <reset> <watch>');

const stateFile = join(dir, 'state.json');
const errorFile = join(dir, 'start-error.txt');
rmSync(errorFile, { force: true });

const log = (line: string): void => console.log(`[${new Date().toISOString()}] ${line}`);

/** Whether the developer gave the functions a Gemini key (environment or functions/.env). */
function hasGeminiKey(): boolean {
  if (process.env.GEMINI_API_KEY) return true;
  const file = join(functionsDir, '.env');
  return existsSync(file) && /^\s*GEMINI_API_KEY\s*=\s*\S/m.test(readFileSync(file, 'utf8'));
}

try {
  // The demo's Gemini steps (seed "Call notes", issue 14 §4) run offline: without a key of the
  // developer's own, the functions talk to the local Gemini protocol server, as in `pnpm test`.
  const gemini = hasGeminiKey() ? undefined : await startFakeGemini();
  if (gemini) log(`no GEMINI_API_KEY: Gemini steps use the local server at ${gemini.url}`);
  const stack = await startStack({
    dir,
    ports: JSON.parse(portsJson) as Ports,
    reset: reset === 'true',
    watchFunctions: watch === 'true',
    cronIntervalSeconds: Number(process.env.STACK_CRON_INTERVAL_SECONDS ?? 5),
    ...(gemini
      ? { functionsEnv: { GEMINI_BASE_URL: gemini.url, GEMINI_API_KEY: FAKE_GEMINI_API_KEY } }
      : {}),
    log,
  });
  writeFileSync(
    stateFile,
    JSON.stringify({ ...stack.info, pids: { stack: process.pid, ...stack.info.pids } }, null, 2),
  );
  log(`ready at ${stack.info.apiUrl}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void Promise.all([stack.stop(), gemini?.close()]).finally(() => {
      rmSync(stateFile, { force: true });
      log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
} catch (err) {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  writeFileSync(errorFile, message);
  log(`failed to start: ${message}`);
  process.exit(1);
}
