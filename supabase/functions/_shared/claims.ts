// The one reader of the caller's JWT claims. The gateway (Supabase's relay, or the local
// stack's) has already verified the token's signature (verify_jwt, the default for every
// function here), so decoding its payload is enough: no round trip to Auth on hot paths.
// No Deno or npm imports, so the executor wrapper that uses it also runs under vitest.
import { HttpError } from './http-error.ts';

export interface Claims {
  sub?: string;
  role?: string;
}

/**
 * The claims of the request's bearer token: undefined without a token or with a payload that
 * is not base64url JSON; a claim that is not a string is left out.
 */
export function bearerClaims(req: Request): Claims | undefined {
  const token = req.headers.get('Authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const b64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='))) as unknown;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    const { sub, role } = claims as Record<string, unknown>;
    return {
      ...(typeof sub === 'string' ? { sub } : {}),
      ...(typeof role === 'string' ? { role } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The signed-in user's claims, or 401: the anon or service key is not a user. Used on hot
 * paths where `requireUser` (clients.ts) would add an Auth call per request.
 */
export function requireUserClaims(req: Request): { sub: string; role: string } {
  const claims = bearerClaims(req);
  if (!claims) throw new HttpError(401, 'unauthorized', 'Sign in first');
  if (claims.role !== 'authenticated' || claims.sub === undefined)
    throw new HttpError(
      401,
      'unauthorized',
      'Sign in first: this call needs a user, not an API key',
    );
  return { sub: claims.sub, role: claims.role };
}

/** Machine-only functions (the orchestrator, metrics): 401 without a token, 403 for any role but service_role. */
export function requireServiceRole(req: Request): void {
  const claims = bearerClaims(req);
  if (!claims) throw new HttpError(401, 'unauthorized', 'A service-role bearer token is required');
  if (claims.role !== 'service_role')
    throw new HttpError(403, 'forbidden', 'Only the service role may call this function');
}
