// Machine-only functions (the orchestrator, metrics): the caller must hold the service role.
// The gateway (Supabase's relay, or the local stack's) has already verified the JWT's
// signature (verify_jwt), so decoding its payload is enough; no round trip to Auth.
import { HttpError } from './http.ts';

/** The `role` claim of the request's bearer token, undefined without a readable token. */
export function bearerRole(req: Request): string | undefined {
  const token = req.headers.get('Authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const b64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='))) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const role = (claims as { role?: unknown }).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}

/** 401 without a token, 403 `forbidden` for any role but service_role. */
export function requireServiceRole(req: Request): void {
  const role = bearerRole(req);
  if (role === undefined)
    throw new HttpError(401, 'unauthorized', 'A service-role bearer token is required');
  if (role !== 'service_role')
    throw new HttpError(403, 'forbidden', 'Only the service role may call this function');
}
