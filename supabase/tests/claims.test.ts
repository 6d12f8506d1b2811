// The one JWT-claims reader (_shared/claims.ts) called directly, without a stack. The HTTP
// paths are covered by functions.test.ts, workflows-api.test.ts and executors-protocol.
import { describe, expect, it } from 'vitest';
import {
  bearerClaims,
  requireServiceRole,
  requireUserClaims,
} from '../functions/_shared/claims.ts';
import { HttpError } from '../functions/_shared/http.ts';

// base64url without padding, as real JWTs are: the reader must pad it itself.
const token = (claims: unknown) =>
  `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

const request = (authorization?: string) =>
  new Request('http://functions/test', {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });

function statusOf(fn: () => unknown): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof HttpError) return err.status;
    throw err;
  }
}

describe('bearerClaims', () => {
  it('reads sub and role from an unpadded base64url payload', () => {
    // 'sub' with characters whose base64 uses '-' and '_' in base64url.
    const sub = '3f0c-???-??>';
    expect(bearerClaims(request(`Bearer ${token({ sub, role: 'authenticated', n: 1 })}`))).toEqual({
      sub,
      role: 'authenticated',
    });
  });

  it.each([
    ['no header', undefined],
    ['a scheme other than Bearer', `Basic ${token({ role: 'service_role' })}`],
    ['a token without a payload', 'Bearer abc'],
    ['a payload that is not base64', 'Bearer x.%%%.sig'],
    ['a payload that is not JSON', `Bearer x.${Buffer.from('nope').toString('base64url')}.sig`],
    ['a payload that is not an object', `Bearer ${token(['service_role'])}`],
  ])('is undefined for %s', (_name, authorization) => {
    expect(bearerClaims(request(authorization))).toBeUndefined();
  });

  it('leaves out claims that are not strings', () => {
    expect(bearerClaims(request(`Bearer ${token({ sub: 7, role: null })}`))).toEqual({});
  });
});

describe('requireUserClaims', () => {
  it('returns a signed-in user', () => {
    expect(
      requireUserClaims(request(`Bearer ${token({ sub: 'u1', role: 'authenticated' })}`)),
    ).toEqual({ sub: 'u1', role: 'authenticated' });
  });

  it.each([
    ['no token', undefined],
    ['the anon key', `Bearer ${token({ role: 'anon' })}`],
    ['the service key', `Bearer ${token({ role: 'service_role' })}`],
    ['a user token without sub', `Bearer ${token({ role: 'authenticated' })}`],
  ])('refuses %s with 401', (_name, authorization) => {
    expect(statusOf(() => requireUserClaims(request(authorization)))).toBe(401);
  });
});

describe('requireServiceRole', () => {
  it('accepts the service role', () => {
    expect(
      statusOf(() => requireServiceRole(request(`Bearer ${token({ role: 'service_role' })}`))),
    ).toBe('ok');
  });

  it('refuses a request without a readable token with 401', () => {
    expect(statusOf(() => requireServiceRole(request()))).toBe(401);
    expect(statusOf(() => requireServiceRole(request('Bearer x.%%%.sig')))).toBe(401);
  });

  it.each(['authenticated', 'anon', ''])('refuses the role %j with 403', (role) => {
    expect(statusOf(() => requireServiceRole(request(`Bearer ${token({ role })}`)))).toBe(403);
  });
});
