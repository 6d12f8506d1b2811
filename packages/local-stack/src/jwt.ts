import { createHmac, randomBytes } from 'node:crypto';

const base64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

/**
 * Synchronous HS256 signing for the stack's static API keys. (The auth server signs
 * session tokens itself; these keys are minted once per stack, like `supabase start`.)
 */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

export interface ApiKeys {
  anonKey: string;
  serviceRoleKey: string;
}

const TEN_YEARS_S = 10 * 365 * 24 * 3600;

/** The anon and service_role keys: long-lived JWTs carrying only a role, as on Supabase. */
export function mintApiKeys(jwtSecret: string, nowSeconds = Math.floor(Date.now() / 1000)): ApiKeys {
  const key = (role: string): string =>
    signHs256({ iss: 'supabase-demo', role, iat: nowSeconds, exp: nowSeconds + TEN_YEARS_S }, jwtSecret);
  return { anonKey: key('anon'), serviceRoleKey: key('service_role') };
}

export function verifyHs256(token: string, secret: string): Record<string, unknown> | null {
  const [header, body, signature] = token.split('.');
  if (!header || !body || !signature) return null;
  const expected = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  if (expected.length !== signature.length || expected !== signature) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) return null;
    return claims;
  } catch {
    return null;
  }
}

export const randomSecret = (): string => randomBytes(32).toString('base64url');
