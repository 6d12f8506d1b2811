import { badRequest, WeakPasswordError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Supabase's default `[auth] minimum_password_length`. */
export const MIN_PASSWORD_LENGTH = 6;
/** bcrypt ignores everything past 72 bytes, so GoTrue refuses longer passwords. */
export const MAX_PASSWORD_BYTES = 72;

// checkmail.ValidateFormat, the check GoTrue's validateEmail uses.
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue's validateEmail: required, at most 255 characters, a plausible address; lower-cased. */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_FORMAT.test(email)) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  }
  return email.toLowerCase();
}

/**
 * The strength problems of a password, or undefined if it has none. Lengths are in bytes,
 * as Go's len() counts them. (HIBP and required character sets are off by default.)
 */
export function passwordWeakness(password: string): WeakPasswordError | undefined {
  if (Buffer.byteLength(password, 'utf8') < MIN_PASSWORD_LENGTH) {
    return new WeakPasswordError(`Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, [
      'length',
    ]);
  }
  return undefined;
}

/** GoTrue's checkPasswordStrength: too long is a plain 400, too weak a 422 weak_password. */
export function checkPasswordStrength(password: string): void {
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw badRequest(
      'validation_failed',
      `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`,
    );
  }
  const weakness = passwordWeakness(password);
  if (weakness) throw weakness;
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * An admin `ban_duration` in Go's time.ParseDuration syntax ("24h", "1h30m", "876000h"),
 * in milliseconds; "none" lifts a ban (0).
 */
export function parseBanDuration(value: string): number {
  if (value === 'none') return 0;
  const invalid = (): Error =>
    badRequest(
      'validation_failed',
      `invalid format for ban duration: time: invalid duration "${value}"`,
    );
  const match = /^([-+]?)(.*)$/.exec(value);
  const sign = match?.[1] === '-' ? -1 : 1;
  const rest = match?.[2] ?? '';
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  let consumed = 0;
  for (const part of rest.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    if (part.index !== consumed) throw invalid();
    total += Number(part[1]) * (DURATION_UNITS_MS[part[2] ?? ''] ?? Number.NaN);
    consumed += part[0].length;
  }
  if (consumed !== rest.length || Number.isNaN(total)) throw invalid();
  return sign * total;
}
