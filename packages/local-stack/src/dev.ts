import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readState, startDaemon, stopDaemon } from './control.ts';
import { repoRoot } from './paths.ts';
import { waitFor } from './ports.ts';
import { DEV_PORTS } from './stack.ts';

const WEB_PORT = Number(process.env.WEB_PORT ?? 5173);
const webDir = join(repoRoot, 'apps/web');

interface Backend {
  url: string;
  anonKey: string;
  /** Whether `pnpm dev` started the stack, and so stops it on the way out. */
  ownStack: boolean;
}

/** Which Supabase the dashboard talks to: a real one if the environment names it. */
async function backend(dir: string): Promise<Backend> {
  const { SUPABASE_URL, SUPABASE_ANON_KEY } = process.env;
  if (SUPABASE_URL && SUPABASE_ANON_KEY) {
    return { url: SUPABASE_URL, anonKey: SUPABASE_ANON_KEY, ownStack: false };
  }
  const wasRunning = readState(dir) !== undefined;
  console.log(wasRunning ? 'using the running local stack' : 'starting the local stack…');
  const info = await startDaemon({ dir, ports: DEV_PORTS, reset: false, watch: true });
  return { url: info.apiUrl, anonKey: info.anonKey, ownStack: !wasRunning };
}

/** `pnpm dev`: the stack plus the dashboard's dev server, until Ctrl-C. */
export async function runDev(dir: string): Promise<number> {
  const api = await backend(dir);
  const stopStack = async (): Promise<void> => {
    if (api.ownStack) await stopDaemon(dir);
  };
  try {
    return await runWebServer(api, stopStack);
  } catch (err) {
    await stopStack();
    throw err;
  }
}

async function runWebServer(api: Backend, stopStack: () => Promise<void>): Promise<number> {
  // The web app's own vite, through the shim pnpm puts in its node_modules/.bin.
  const vite = spawn(
    join(webDir, 'node_modules', '.bin', 'vite'),
    ['--host', '127.0.0.1', '--port', String(WEB_PORT), '--strictPort'],
    {
      cwd: webDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, VITE_SUPABASE_URL: api.url, VITE_SUPABASE_ANON_KEY: api.anonKey },
    },
  );
  const dashboard = `http://127.0.0.1:${WEB_PORT}`;
  try {
    await waitFor(
      'the dashboard dev server',
      async () => (await fetch(dashboard)).ok,
      60_000,
      () => (vite.exitCode !== null ? 'vite exited' : undefined),
    );
  } catch (err) {
    vite.kill('SIGTERM');
    throw err;
  }

  console.log(`
  Forkflow is running.

    Dashboard   ${dashboard}
    API         ${api.url}
    Demo login  rep@forkflow.test / password123   (sales rep)
                owner@forkflow.test / password123 (organisation owner)

  Ctrl-C stops the dashboard${api.ownStack ? ' and the stack' : '. The stack keeps running: `pnpm stack stop`'}.
`);

  return new Promise((resolve) => {
    let stopping = false;
    const shutdown = async (): Promise<void> => {
      if (stopping) return;
      stopping = true;
      vite.kill('SIGTERM');
      await stopStack();
      console.log(`\n  Stopped the dashboard${api.ownStack ? ' and the stack' : ''}.\n`);
      resolve(0);
    };
    process.on('SIGINT', () => void shutdown());
    process.on('SIGTERM', () => void shutdown());
    vite.once('exit', () => void shutdown());
  });
}
