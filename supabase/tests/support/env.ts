import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@forkflow/db';
import ws from 'ws';

/**
 * The Supabase under test. `pnpm test` starts a throwaway native stack and exports these;
 * pointed at a real Supabase (`supabase start`), the same variables come from its status.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`pnpm test\``);
  return value;
}

export const env = {
  url: required('SUPABASE_URL'),
  anonKey: required('SUPABASE_ANON_KEY'),
  serviceRoleKey: required('SUPABASE_SERVICE_ROLE_KEY'),
  dbUrl: required('SUPABASE_DB_URL'),
};

export type Client = SupabaseClient<Database>;

/** A client as a browser or machine would hold it; Node 20 needs `ws` for realtime. */
export function createTestClient(key: string = env.anonKey): Client {
  return createClient<Database>(env.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as never },
  });
}

export const serviceClient = (): Client => createTestClient(env.serviceRoleKey);
