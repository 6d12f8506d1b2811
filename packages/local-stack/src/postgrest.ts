import { writeFileSync } from 'node:fs';
import { postgrestBin } from './paths.ts';
import { logTail, startService, type Service } from './process.ts';
import { waitFor } from './ports.ts';

export interface PostgrestOptions {
  configFile: string;
  logFile: string;
  dbPort: number;
  authenticatorPassword: string;
  jwtSecret: string;
  port: number;
  adminPort: number;
}

/** PostgREST 12, configured as Supabase configures it (exposed schemas come from the database). */
export async function startPostgrest(options: PostgrestOptions): Promise<Service> {
  const config = [
    `db-uri = "postgres://authenticator:${encodeURIComponent(options.authenticatorPassword)}@127.0.0.1:${options.dbPort}/postgres"`,
    `db-schemas = "public, graphql_public"`,
    `db-anon-role = "anon"`,
    `db-extra-search-path = "public, extensions"`,
    `db-channel-enabled = true`,
    `db-max-rows = 1000`,
    `db-pool = 10`,
    `jwt-secret = "${options.jwtSecret}"`,
    `server-host = "127.0.0.1"`,
    `server-port = ${options.port}`,
    `admin-server-port = ${options.adminPort}`,
    `log-level = "error"`,
  ].join('\n');
  writeFileSync(options.configFile, `${config}\n`, { mode: 0o600 });

  const service = startService('postgrest', postgrestBin(), [options.configFile], {
    logFile: options.logFile,
  });
  await waitFor(
    'PostgREST to be ready',
    async () => (await fetch(`http://127.0.0.1:${options.adminPort}/ready`)).ok,
    60_000,
    () => (service.child.exitCode !== null ? `exited:\n${logTail(options.logFile)}` : undefined),
  );
  return service;
}
