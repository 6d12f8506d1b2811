import { randomInt } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { forbidden } from './errors.ts';
import { signJwt } from './keys.ts';

/** What an access token says about its holder; parsed from any HS256 JWT we signed. */
export interface VerifiedClaims extends JWTPayload {
  role?: string;
  email?: string;
  session_id?: string;
  is_anonymous?: boolean;
}

export interface AccessTokenSubject {
  id: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  isAnonymous: boolean;
}

export interface AccessTokenSession {
  id: string;
  aal: string;
  /** When the session was authenticated with a password: GoTrue's amr entry timestamp. */
  authenticatedAt: Date;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: number;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * GoTrue's access token (internal/api/token.go generateAccessToken): registered claims
 * first, then Supabase's, in that order, so tokens read the same as Supabase's.
 */
export function signAccessToken(
  subject: AccessTokenSubject,
  session: AccessTokenSession,
  options: { jwtSecret: string; issuer: string; expirySeconds: number },
): SignedAccessToken {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + options.expirySeconds;
  const claims = {
    iss: options.issuer,
    sub: subject.id,
    aud: subject.aud,
    exp,
    iat,
    email: subject.email,
    phone: subject.phone,
    app_metadata: subject.appMetadata,
    user_metadata: subject.userMetadata,
    role: subject.role,
    aal: session.aal,
    amr: [{ method: 'password', timestamp: seconds(session.authenticatedAt) }],
    session_id: session.id,
    is_anonymous: subject.isAnonymous,
  };
  return { token: signJwt(claims, options.jwtSecret), expiresAt: exp };
}

/** golang-jwt's wording, which GoTrue puts after "invalid JWT: unable to parse or verify signature, ". */
function goJwtReason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token has invalid claims: token is expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') {
    return 'token has invalid claims: token is not valid yet';
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'token signature is invalid: signature is invalid';
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return 'token signature is invalid: signing method is invalid';
  return 'token is malformed: could not parse the token';
}

export async function verifyJwt(token: string, jwtSecret: string): Promise<VerifiedClaims> {
  try {
    const { payload } = await jwtVerify<VerifiedClaims>(
      token,
      new TextEncoder().encode(jwtSecret),
      {
        algorithms: ['HS256'],
      },
    );
    return payload;
  } catch (err) {
    throw forbidden(
      'bad_jwt',
      `invalid JWT: unable to parse or verify signature, ${goJwtReason(err)}`,
    );
  }
}

const REFRESH_TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** GoTrue's refresh tokens are 12 random lower-case alphanumerics (crypto.SecureAlphanumeric(12)). */
export function newRefreshToken(): string {
  let token = '';
  for (let i = 0; i < 12; i++)
    token += REFRESH_TOKEN_ALPHABET[randomInt(REFRESH_TOKEN_ALPHABET.length)];
  return token;
}
