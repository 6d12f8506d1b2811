import { createHmac } from 'node:crypto';

const base64url = (input: string): string => Buffer.from(input, 'utf8').toString('base64url');

/**
 * An HS256 JWT with the claims in the order given. Synchronous node:crypto rather than
 * jose's async SignJWT: the stack mints its API keys at start-up without awaiting, and key
 * order is then exactly the caller's (which makes the keys below reproducible byte for byte).
 * With `expiresInSeconds`, `iat` and `exp` are appended; otherwise the payload is signed as is.
 */
export function signJwt(
  payload: Record<string, unknown>,
  secret: string,
  expiresInSeconds?: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): string {
  const claims =
    expiresInSeconds === undefined
      ? payload
      : { ...payload, iat: nowSeconds, exp: nowSeconds + expiresInSeconds };
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export interface ApiKeys {
  anonKey: string;
  serviceRoleKey: string;
}

/**
 * `supabase start` signs `{ iss: 'supabase-demo', role, exp: 1983812996 }` (no iat) with the
 * project's secret (supabase/cli pkg/config: defaultJwtExpiry). Doing the same means the
 * default secret yields the very keys Supabase's docs and .env examples print.
 */
const SUPABASE_CLI_KEY_EXPIRY = 1983812996;

export function createApiKeys(jwtSecret: string): ApiKeys {
  const key = (role: 'anon' | 'service_role'): string =>
    signJwt({ iss: 'supabase-demo', role, exp: SUPABASE_CLI_KEY_EXPIRY }, jwtSecret);
  return { anonKey: key('anon'), serviceRoleKey: key('service_role') };
}
