import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isPortFree } from './ports.ts';
import type { Ports, StackInfo } from './stack.ts';

const require = createRequire(import.meta.url);

/** Whether a pid is alive and still runs one of our programs (pids get reused). */
export function isOurProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres|postgrest|deno|daemon\.ts|tsx/.test(cmdline);
  } catch {
    return true;
  }
}

export function readState(dir: string): StackInfo | undefined {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return undefined;
  const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  return info.pids.stack && isOurProcess(info.pids.stack) ? info : undefined;
}

/** Starts the stack as a detached background process and waits until it is healthy. */
export async function startDaemon(options: {
  dir: string;
  ports: Ports;
  reset: boolean;
  watch: boolean;
}): Promise<StackInfo> {
  const running = readState(options.dir);
  if (running) return running;
  await stopDaemon(options.dir); // leftovers of a crashed run, if any
  if (options.reset) rmSync(options.dir, { recursive: true, force: true });

  for (const [name, port] of Object.entries(options.ports)) {
    if (!(await isPortFree(port)))
      throw new Error(`port ${port} (${name}) is in use: is another stack running?`);
  }

  mkdirSync(join(options.dir, 'logs'), { recursive: true });
  const out = openSync(join(options.dir, 'logs', 'stack.log'), 'a');
  const daemon = fileURLToPath(new URL('./daemon.ts', import.meta.url));
  const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      daemon,
      options.dir,
      JSON.stringify(options.ports),
      'false',
      String(options.watch),
    ],
    { detached: true, stdio: ['ignore', out, out], env: process.env },
  );
  child.unref();
  closeSync(out);

  const errorFile = join(options.dir, 'start-error.txt');
  const deadline = Date.now() + 300_000;
  for (;;) {
    const info = readState(options.dir);
    if (info) return info;
    if (existsSync(errorFile))
      throw new Error(`stack failed to start:\n${readFileSync(errorFile, 'utf8')}`);
    if (child.exitCode !== null)
      throw new Error(`stack exited early; see ${join(options.dir, 'logs', 'stack.log')}`);
    if (Date.now() > deadline) throw new Error('timed out waiting for the stack to start');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Stops what the stack started, by the pids it recorded: the daemon first (it stops its
 * children), then any child that outlived it (a crashed daemon's Postgres, say).
 */
export async function stopDaemon(dir: string): Promise<boolean> {
  const file = join(dir, 'state.json');
  const pids: number[] = [];
  if (existsSync(file)) {
    const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
    pids.push(...Object.values(info.pids));
  }
  // A Postgres left by a daemon that died before writing state.json.
  const postmaster = join(dir, 'db', 'postmaster.pid');
  if (existsSync(postmaster)) {
    const pid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
    if (pid > 0) pids.push(pid);
  }
  const alive = pids.filter(isOurProcess);
  if (alive.length === 0) {
    rmSync(file, { force: true });
    return false;
  }
  // The daemon (first) stops its own children; whatever outlives it is signalled directly.
  await signalAndWait(alive.slice(0, 1), 'SIGTERM', 30_000);
  await signalAndWait(alive.filter(isOurProcess), 'SIGTERM', 10_000);
  await signalAndWait(alive.filter(isOurProcess), 'SIGKILL', 5_000);
  rmSync(file, { force: true });
  return true;
}

async function signalAndWait(
  pids: number[],
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isOurProcess) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
}
