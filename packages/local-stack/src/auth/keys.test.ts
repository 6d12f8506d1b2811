import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApiKeys, signJwt } from './keys.ts';

// The keys `supabase start` prints with its default secret, as published in Supabase's docs.
const SUPABASE_DEMO_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const SUPABASE_DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const SUPABASE_DEMO_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

describe('createApiKeys', () => {
  it('mints the same keys as supabase start for the same secret', () => {
    expect(createApiKeys(SUPABASE_DEMO_SECRET)).toEqual({
      anonKey: SUPABASE_DEMO_ANON_KEY,
      serviceRoleKey: SUPABASE_DEMO_SERVICE_ROLE_KEY,
    });
  });

  it('signs keys that verify with the secret and carry only a role', async () => {
    const secret = 'another-secret-that-is-at-least-32-characters';
    const { anonKey, serviceRoleKey } = createApiKeys(secret);
    const key = new TextEncoder().encode(secret);
    expect((await jwtVerify(anonKey, key)).payload).toEqual({
      iss: 'supabase-demo',
      role: 'anon',
      exp: 1983812996,
    });
    expect((await jwtVerify(serviceRoleKey, key)).payload.role).toBe('service_role');
  });
});

describe('signJwt', () => {
  it('keeps the claims in the order given and appends iat and exp when asked', () => {
    const token = signJwt({ sub: 'abc', role: 'authenticated' }, 'secret', 60, 1_000);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.entries(decodeJwt(token))).toEqual([
      ['sub', 'abc'],
      ['role', 'authenticated'],
      ['iat', 1_000],
      ['exp', 1_060],
    ]);
  });

  it('signs the payload as is without an expiry', () => {
    expect(decodeJwt(signJwt({ role: 'anon' }, 'secret'))).toEqual({ role: 'anon' });
  });
});
