// The one reader of the caller's JWT. Every function verifies the token's HS256 signature
// (and its expiry) itself with the project's JWT secret: the gateway (Supabase's relay, or the
// local stack's) checks it too when verify_jwt is on, but the functions' own port answered an
// alg=none service-role token when called directly (issue 10 §6), so the gateway is not the
// only lock. WebCrypto only: no Deno or npm imports, so the executor wrapper that uses it also
// runs under vitest.
import { HttpError } from './http-error.ts';
import { runtimeEnv } from './runtime-env.ts';

export interface Claims {
  sub?: string;
  role?: string;
}

const bearerToken = (req: Request): string | undefined =>
  req.headers
    .get('Authorization')
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();

function base64urlDecode(part: string): Uint8Array<ArrayBuffer> {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(base64urlDecode(part))) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function pickClaims(claims: Record<string, unknown>): Claims {
  const { sub, role } = claims;
  return {
    ...(typeof sub === 'string' ? { sub } : {}),
    ...(typeof role === 'string' ? { role } : {}),
  };
}

/**
 * The claims the request's bearer token states, NOT verified: for the request log only (a
 * refused forged token is logged with what it claimed). Undefined without a token or with a
 * payload that is not base64url JSON; a claim that is not a string is left out.
 */
export function bearerClaims(req: Request): Claims | undefined {
  const payload = bearerToken(req)?.split('.')[1];
  if (!payload) return undefined;
  const claims = decodeJson(payload);
  return claims ? pickClaims(claims) : undefined;
}

/**
 * The JWT secret: SUPABASE_JWT_SECRET (the local stack and test runner set it), or JWT_SECRET
 * (hosted Supabase refuses secrets named SUPABASE_*: `supabase secrets set JWT_SECRET=…`).
 */
function jwtSecret(): string {
  const secret = runtimeEnv('SUPABASE_JWT_SECRET') || runtimeEnv('JWT_SECRET');
  // Fail closed: without a secret no token can be trusted.
  if (!secret) throw new Error('SUPABASE_JWT_SECRET (or JWT_SECRET) is not set');
  return secret;
}

let hmacKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function keyFor(secret: string): Promise<CryptoKey> {
  if (hmacKey?.secret !== secret) {
    const key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    hmacKey = { secret, key };
  }
  return hmacKey.key;
}

/**
 * The claims of the request's bearer token once its signature is checked: undefined without
 * a token, or when it is not a compact JWS with alg HS256 signed with the project's secret
 * (alg=none and every other alg are refused), or when it has expired (`exp`) or is not valid
 * yet (`nbf`).
 */
export async function verifiedClaims(req: Request): Promise<Claims | undefined> {
  const secret = jwtSecret();
  const parts = bearerToken(req)?.split('.');
  if (parts?.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (header?.alg !== 'HS256') return undefined;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64urlDecode(signaturePart);
  } catch {
    return undefined;
  }
  const valid = await crypto.subtle.verify(
    'HMAC',
    await keyFor(secret),
    signature,
    new TextEncoder().encode(`${headerPart}.${payloadPart}`),
  );
  if (!valid) return undefined;
  const claims = decodeJson(payloadPart);
  if (!claims) return undefined;
  const now = Date.now() / 1000;
  if (claims.exp !== undefined && !(typeof claims.exp === 'number' && claims.exp > now))
    return undefined;
  if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && claims.nbf <= now))
    return undefined;
  return pickClaims(claims);
}

/**
 * The signed-in user's verified claims, or 401 (no token, a bad signature, expired): the anon or service key is not a user. Used on hot
 * paths where `requireUser` (clients.ts) would add an Auth call per request.
 */
export async function requireUserClaims(req: Request): Promise<{ sub: string; role: string }> {
  const claims = await verifiedClaims(req);
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
export async function requireServiceRole(req: Request): Promise<void> {
  const claims = await verifiedClaims(req);
  if (!claims) throw new HttpError(401, 'unauthorized', 'A service-role bearer token is required');
  if (claims.role !== 'service_role')
    throw new HttpError(403, 'forbidden', 'Only the service role may call this function');
}
