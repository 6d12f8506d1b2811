// The one JWT-claims reader (_shared/claims.ts) called directly, without a stack. The HTTP
// paths are covered by functions.test.ts, workflows-api.test.ts and executors-protocol.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bearerClaims,
  requireServiceRole,
  requireUserClaims,
  verifiedClaims,
} from '../functions/_shared/claims.ts';
import { HttpError } from '../functions/_shared/http.ts';
import { jwtSecret, signed } from './support/jwt.ts';

// base64url without padding, as real JWTs are: the reader must pad it itself.
const token = (claims: unknown) =>
  `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

const request = (authorization?: string) =>
  new Request('http://functions/test', {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });

async function statusOf(fn: () => Promise<unknown>): Promise<number | 'ok'> {
  try {
    await fn();
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

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifiedClaims', () => {
  it('returns the claims of a token signed with the project secret', async () => {
    const token = signed({ sub: 'u1', role: 'authenticated', exp: Date.now() / 1000 + 60 });
    expect(await verifiedClaims(request(`Bearer ${token}`))).toEqual({
      sub: 'u1',
      role: 'authenticated',
    });
  });

  const body = b64({ role: 'service_role' });
  it.each([
    ['alg=none, no signature', `${b64({ alg: 'none', typ: 'JWT' })}.${body}.`],
    ['alg=none with a signature', `${b64({ alg: 'none' })}.${body}.c2lnbmF0dXJl`],
    [
      'a signature made with another secret',
      signed({ role: 'service_role' }, 'another-secret-of-at-least-32-chars!!'),
    ],
    [
      'HS256 turned into HS512',
      `${b64({ alg: 'HS512' })}.${body}.${createHmac('sha512', jwtSecret)
        .update(`${b64({ alg: 'HS512' })}.${body}`)
        .digest('base64url')}`,
    ],
    ['a payload changed after signing', signed({ role: 'anon' }).replace(/\.[^.]+\./, `.${body}.`)],
    ['an expired token', signed({ role: 'service_role', exp: Date.now() / 1000 - 10 })],
    ['a token not valid yet', signed({ role: 'service_role', nbf: Date.now() / 1000 + 600 })],
    ['two parts only', `${b64({ alg: 'HS256' })}.${body}`],
    ['no token', undefined],
  ])('refuses %s', async (_name, token) => {
    expect(
      await verifiedClaims(request(token === undefined ? undefined : `Bearer ${token}`)),
    ).toBeUndefined();
  });
});

describe('requireUserClaims', () => {
  it('returns a signed-in user', async () => {
    expect(
      await requireUserClaims(request(`Bearer ${signed({ sub: 'u1', role: 'authenticated' })}`)),
    ).toEqual({ sub: 'u1', role: 'authenticated' });
  });

  it.each([
    ['no token', undefined],
    ['the anon key', `Bearer ${signed({ role: 'anon' })}`],
    ['the service key', `Bearer ${signed({ role: 'service_role' })}`],
    ['a user token without sub', `Bearer ${signed({ role: 'authenticated' })}`],
    ['an unsigned user token', `Bearer ${token({ sub: 'u1', role: 'authenticated' })}`],
  ])('refuses %s with 401', async (_name, authorization) => {
    expect(await statusOf(() => requireUserClaims(request(authorization)))).toBe(401);
  });
});

describe('requireServiceRole', () => {
  it('accepts the service role', async () => {
    expect(
      await statusOf(() =>
        requireServiceRole(request(`Bearer ${signed({ role: 'service_role' })}`)),
      ),
    ).toBe('ok');
  });

  it('refuses a request without a readable or signed token with 401', async () => {
    expect(await statusOf(() => requireServiceRole(request()))).toBe(401);
    expect(await statusOf(() => requireServiceRole(request('Bearer x.%%%.sig')))).toBe(401);
    expect(
      await statusOf(() =>
        requireServiceRole(request(`Bearer ${token({ role: 'service_role' })}`)),
      ),
    ).toBe(401);
  });

  it.each(['authenticated', 'anon', ''])('refuses the role %j with 403', async (role) => {
    expect(await statusOf(() => requireServiceRole(request(`Bearer ${signed({ role })}`)))).toBe(
      403,
    );
  });
});
