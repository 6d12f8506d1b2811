import { createClient } from '@supabase/supabase-js';
import { env } from '@/config/env';
import type { Database } from '@forkflow/db';

export const supabase = createClient<Database>(env.supabaseUrl, env.supabaseAnonKey, {
  auth: {
    persistSession: true,
    autoRefreshToken: true,
    detectSessionInUrl: false,
  },
  // TanStack Query owns retries (lib/react-query.ts): one policy, not two stacked.
  db: { retry: false },
});

export type SupabaseClient = typeof supabase;
