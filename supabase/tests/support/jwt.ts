// HS256 tokens for tests that call the functions' shared modules directly: signed with the
// stack's secret (SUPABASE_JWT_SECRET, set by `pnpm test`), or a fixed one that the modules
// then read from process.env, as Deno reads it from the functions' env.
import { createHmac } from 'node:crypto';

process.env.SUPABASE_JWT_SECRET ||= 'unit-test-jwt-secret-with-at-least-32-chars';

export const jwtSecret: string = process.env.SUPABASE_JWT_SECRET;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact HS256 JWS of `claims`. */
export function signed(claims: Record<string, unknown>, secret: string = jwtSecret): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
