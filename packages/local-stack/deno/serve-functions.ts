// Runs under Deno (not Node): serves every function in supabase/functions from one process,
// the way Supabase's edge runtime routes /functions/v1/<name> to a function's worker.
// Each function calls Deno.serve(handler) at import time; we capture that handler instead of
// opening a port per function. Functions load lazily on first request (a cold start), so one
// function that fails to import answers 500 without taking the others down.

type Handler = (req: Request, info?: unknown) => Response | Promise<Response>;

const functionsDir = Deno.env.get('FUNCTIONS_DIR') ?? '';
const port = Number(Deno.env.get('FUNCTIONS_PORT') ?? '54331');

const handlers = new Map<string, Promise<Handler>>();
let capture: ((h: Handler) => void) | null = null;
let importQueue: Promise<unknown> = Promise.resolve();

const realServe = Deno.serve.bind(Deno);
// deno-lint-ignore no-explicit-any
(Deno as any).serve = (...args: unknown[]) => {
  const handler =
    args.find((a) => typeof a === 'function') ??
    (args[0] as { handler?: Handler } | undefined)?.handler;
  if (!capture || typeof handler !== 'function')
    throw new Error('Deno.serve called outside a function import');
  capture(handler as Handler);
  return {
    finished: new Promise(() => {}),
    shutdown: async () => {},
    ref() {},
    unref() {},
    addr: { hostname: '127.0.0.1', port, transport: 'tcp' },
  };
};

function load(name: string): Promise<Handler> {
  const existing = handlers.get(name);
  if (existing) return existing;
  // Imports run one at a time so each Deno.serve call is attributed to the right function.
  const loading = importQueue.then(async () => {
    const url = new URL(`file://${functionsDir}/${name}/index.ts`);
    let captured: Handler | undefined;
    capture = (h) => (captured = h);
    try {
      await import(url.href);
    } finally {
      capture = null;
    }
    if (!captured) throw new Error(`function ${name} did not call Deno.serve`);
    return captured;
  });
  importQueue = loading.catch(() => undefined);
  handlers.set(name, loading);
  loading.catch(() => handlers.delete(name));
  return loading;
}

function exists(name: string): boolean {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) return false;
  try {
    return Deno.statSync(`${functionsDir}/${name}/index.ts`).isFile;
  } catch {
    return false;
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

realServe(
  { port, hostname: '127.0.0.1', onListen: () => console.log(`functions listening on ${port}`) },
  async (req) => {
    const name = new URL(req.url).pathname.split('/')[1] ?? '';
    if (name === '_health') return json(200, { ok: true });
    if (!exists(name))
      return json(404, {
        error: { code: 'function_not_found', message: `no function named ${name}` },
      });
    let handler: Handler;
    try {
      handler = await load(name);
    } catch (err) {
      console.error(`[functions] ${name} failed to load`, err);
      return json(500, {
        error: { code: 'function_boot_error', message: `function ${name} failed to start` },
      });
    }
    try {
      return await handler(req);
    } catch (err) {
      console.error(`[functions] ${name} threw`, err);
      return json(500, { error: { code: 'internal_error', message: 'the function failed' } });
    }
  },
);
