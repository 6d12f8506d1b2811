import { createClient, type SupabaseClient } from 'npm:@supabase/supabase-js@2';
import { HttpError } from './http.ts';

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const options = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

/**
 * A client that acts as the caller: it forwards their Authorization header, so every query
 * runs under RLS as that user. Rejects requests without a bearer token.
 */
export function createUserClient(req: Request): SupabaseClient {
  const authorization = req.headers.get('Authorization');
  if (!authorization?.startsWith('Bearer '))
    throw new HttpError(401, 'unauthorized', 'Sign in first');
  return createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}

/** A client with the service role: bypasses RLS. Only for machine-only functions. */
export function createServiceClient(): SupabaseClient {
  return createClient(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), options);
}

/** The signed-in user behind the request, or 401. */
export async function requireUser(client: SupabaseClient): Promise<{ id: string; email?: string }> {
  const { data, error } = await client.auth.getUser();
  if (error || !data.user)
    throw new HttpError(401, 'unauthorized', 'Your session is invalid or has expired');
  return { id: data.user.id, email: data.user.email };
}
