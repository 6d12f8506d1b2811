import { describe, expect, it } from 'vitest';
import { AuthHttpError, WeakPasswordError } from './errors.ts';
import {
  checkPasswordStrength,
  isUuid,
  parseBanDuration,
  passwordWeakness,
  validateEmail,
} from './validation.ts';

describe('validateEmail', () => {
  it.each([
    ['Rep@Forkflow.Test', 'rep@forkflow.test'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
  ])('accepts %s as %s', (input, expected) => {
    expect(validateEmail(input)).toBe(expected);
  });

  it.each([
    ['', 'An email address is required'],
    ['not-an-email', 'Unable to validate email address: invalid format'],
    ['two@@example.com', 'Unable to validate email address: invalid format'],
    ['space in@example.com', 'Unable to validate email address: invalid format'],
    [`${'a'.repeat(250)}@x.com`, 'An email address is too long'],
  ])('refuses %j with 400 validation_failed', (input, message) => {
    const err = (() => {
      try {
        validateEmail(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AuthHttpError);
    expect(err).toMatchObject({ status: 400, errorCode: 'validation_failed', message });
  });
});

describe('password strength', () => {
  it('calls a password under six bytes weak, for the length reason', () => {
    expect(passwordWeakness('12345')).toMatchObject({
      message: 'Password should be at least 6 characters.',
      reasons: ['length'],
    });
    expect(passwordWeakness('123456')).toBeUndefined();
  });

  it('counts bytes, as Go does', () => {
    expect(passwordWeakness('ééé')).toBeUndefined(); // three characters, six bytes
  });

  it('refuses a password bcrypt would truncate with a plain 400', () => {
    expect(() => checkPasswordStrength('x'.repeat(73))).toThrow(
      expect.objectContaining({ status: 400, errorCode: 'validation_failed' }),
    );
    expect(() => checkPasswordStrength('x'.repeat(72))).not.toThrow();
    expect(() => checkPasswordStrength('x')).toThrow(WeakPasswordError);
  });
});

describe('parseBanDuration', () => {
  it.each([
    ['none', 0],
    ['0', 0],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
  ])('reads %s as %i ms', (input, ms) => {
    expect(parseBanDuration(input)).toBe(ms);
  });

  it.each(['', '10', 'forever', '1d', 'h1'])('refuses %j as Go would', (input) => {
    expect(() => parseBanDuration(input)).toThrow(/invalid format for ban duration/);
  });
});

describe('isUuid', () => {
  it('tells UUIDs from other strings', () => {
    expect(isUuid('10000000-0000-4000-8000-000000000002')).toBe(true);
    expect(isUuid('10000000-0000-4000-8000-00000000000')).toBe(false);
    expect(isUuid("1' or '1'='1")).toBe(false);
  });
});
