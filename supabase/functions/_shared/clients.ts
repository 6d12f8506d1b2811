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

/**
 * The caller's claims, read from their JWT without a round trip to Auth. Safe only because
 * the platform verified the token's signature before the request got here (verify_jwt, the
 * default); used on hot paths where `requireUser` would add an Auth call per request.
 */
export function requireUserClaims(req: Request): { sub: string; role: string } {
  const token = req.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? '';
  const payload = token.split('.')[1];
  let claims: { sub?: unknown; role?: unknown } = {};
  try {
    claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))) as typeof claims;
  } catch {
    throw new HttpError(401, 'unauthorized', 'Sign in first');
  }
  if (claims.role !== 'authenticated' || typeof claims.sub !== 'string') {
    throw new HttpError(
      401,
      'unauthorized',
      'Sign in first: this call needs a user, not an API key',
    );
  }
  return { sub: claims.sub, role: claims.role };
}
