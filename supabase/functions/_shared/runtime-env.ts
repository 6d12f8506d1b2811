// An environment variable from Deno's env, or Node's under vitest: for the shared modules
// that must stay free of Deno APIs (claims.ts, http.ts).

export function runtimeEnv(name: string): string | undefined {
  const runtime = globalThis as {
    Deno?: { env: { get(name: string): string | undefined } };
    process?: { env: Record<string, string | undefined> };
  };
  return runtime.Deno ? runtime.Deno.env.get(name) : runtime.process?.env[name];
}
