// The background process behind `pnpm stack start`: owns every service of the stack and
// stops them all on SIGTERM/SIGINT. It reports readiness by writing state.json.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Ports } from './stack.ts';

const [dir, portsJson, reset, watch] = process.argv.slice(2);
if (!dir || !portsJson) throw new Error('usage: daemon <dir> <ports-json> <reset> <watch>');

const stateFile = join(dir, 'state.json');
const errorFile = join(dir, 'start-error.txt');
rmSync(errorFile, { force: true });

const log = (line: string): void => console.log(`[${new Date().toISOString()}] ${line}`);

try {
  const stack = await startStack({
    dir,
    ports: JSON.parse(portsJson) as Ports,
    reset: reset === 'true',
    watchFunctions: watch === 'true',
    cronIntervalSeconds: Number(process.env.STACK_CRON_INTERVAL_SECONDS ?? 5),
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
    void stack.stop().finally(() => {
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
