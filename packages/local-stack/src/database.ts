import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { bootstrapDir, repoRoot, supabaseCli, supabaseDir } from './paths.ts';
import { run } from './process.ts';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Gives a bare Postgres what Supabase's image has before migrations run (roles, the auth
 * schema subset, extensions, default grants). Idempotent: runs on every start, so a stack
 * created by an older checkout picks up bootstrap changes.
 */
export async function applyBootstrap(dbUrl: string, authenticatorPassword: string): Promise<void> {
  const files = readdirSync(bootstrapDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  await withClient(dbUrl, async (client) => {
    for (const file of files) {
      await client.query(readFileSync(join(bootstrapDir, file), 'utf8'));
    }
    await client.query(
      `alter role authenticator with password ${client.escapeLiteral(authenticatorPassword)}`,
    );
  });
}

/** Applies supabase/migrations with the real Supabase CLI, exactly as against a hosted project. */
export async function applyMigrations(dbUrl: string): Promise<string> {
  const { stdout, stderr } = await run(
    process.execPath,
    [supabaseCli(), 'db', 'push', `--remote=${dbUrl}`, '--yes', '--workdir', repoRoot],
    { cwd: repoRoot, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } },
  );
  return stdout + stderr;
}

/** Loads supabase/seed.sql into a freshly initialised database. */
export async function applySeed(dbUrl: string): Promise<boolean> {
  const seed = join(supabaseDir, 'seed.sql');
  if (!existsSync(seed)) return false;
  await withClient(dbUrl, (client) => client.query(readFileSync(seed, 'utf8')));
  return true;
}

/** Asks PostgREST to reload its schema cache (after migrations applied to a running stack). */
export async function notifySchemaReload(dbUrl: string): Promise<void> {
  await withClient(dbUrl, (client) => client.query(`notify pgrst, 'reload schema'`));
}

/** Runs one SQL text as the superuser (a testing stack's settings). */
export async function runSql(dbUrl: string, sql: string): Promise<void> {
  await withClient(dbUrl, (client) => client.query(sql));
}
