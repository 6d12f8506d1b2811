import { fileURLToPath } from 'node:url';
import { freePort } from '@forkflow/local-stack/ports';
import { createServer, type ViteDevServer } from 'vite';
import type { StackEnv } from './stack';

const webRoot = fileURLToPath(new URL('../..', import.meta.url));

export type WebServer = { url: string; close: () => Promise<void> };

/**
 * Start the dashboard's Vite dev server, pointed at the given stack. Vite reads
 * VITE_* variables from process.env when the server is created.
 */
export async function startWebServer(stack: StackEnv): Promise<WebServer> {
  process.env['VITE_SUPABASE_URL'] = stack.supabaseUrl;
  process.env['VITE_SUPABASE_ANON_KEY'] = stack.anonKey;
  const port = await freePort();
  const server: ViteDevServer = await createServer({
    configFile: `${webRoot}vite.config.ts`,
    root: webRoot,
    logLevel: 'warn',
    clearScreen: false,
    server: {
      port,
      strictPort: true,
      host: '127.0.0.1',
      hmr: false,
      // Transform the app before the browser asks, so a slow machine doesn't eat test time.
      warmup: { clientFiles: ['./src/main.tsx', './src/app/routes/**/*.tsx'] },
    },
  });
  await server.listen();
  const url = `http://127.0.0.1:${port}`;
  // Warm up: the first request pre-bundles dependencies; do it before any test's clock runs.
  const response = await fetch(url);
  if (!response.ok) throw new Error(`web server answered ${response.status} at ${url}`);
  return { url, close: () => server.close() };
}
