import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  AuthHttpError,
  errorResponse,
  OAuthError,
  requestedApiVersion,
  WeakPasswordError,
} from './errors.ts';

const withHeader = (value?: string): IncomingMessage =>
  ({ headers: value === undefined ? {} : { 'x-supabase-api-version': value } }) as IncomingMessage;

describe('requestedApiVersion', () => {
  it.each([
    [undefined, 'initial'],
    ['2024-01-01', '2024-01-01'],
    ['2025-06-30', '2024-01-01'],
    ['2023-12-31', 'initial'],
    ['yesterday', 'initial'],
  ])('reads %j as %s', (header, version) => {
    expect(requestedApiVersion(withHeader(header))).toBe(version);
  });
});

describe('errorResponse', () => {
  const wrongPassword = new AuthHttpError(400, 'invalid_credentials', 'Invalid login credentials');

  it('answers API version 2024-01-01 with a string code and echoes the version', () => {
    expect(errorResponse(wrongPassword, '2024-01-01')).toEqual({
      status: 400,
      headers: { 'x-supabase-api-version': '2024-01-01', 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 'invalid_credentials', message: 'Invalid login credentials' },
    });
  });

  it('answers clients without a version in the legacy shape', () => {
    expect(errorResponse(wrongPassword, 'initial')).toEqual({
      status: 400,
      headers: { 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
    });
  });

  it('sends weak passwords as 422 with their reasons', () => {
    const weak = new WeakPasswordError('Password should be at least 6 characters.', ['length']);
    expect(errorResponse(weak, '2024-01-01')).toMatchObject({
      status: 422,
      body: {
        code: 'weak_password',
        message: 'Password should be at least 6 characters.',
        weak_password: { reasons: ['length'] },
      },
    });
    expect(errorResponse(weak, 'initial').body).toEqual({
      code: 422,
      error_code: 'weak_password',
      msg: 'Password should be at least 6 characters.',
      weak_password: { reasons: ['length'] },
    });
  });

  it('sends OAuth errors in the OAuth shape whatever the version', () => {
    expect(
      errorResponse(new OAuthError('invalid_request', 'refresh_token required'), '2024-01-01'),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'refresh_token required' },
    });
  });

  it('hides unexpected errors behind unexpected_failure', () => {
    expect(
      errorResponse(new Error('connection refused: secret detail'), '2024-01-01'),
    ).toMatchObject({
      status: 500,
      body: {
        code: 'unexpected_failure',
        message: 'Unexpected failure, please check server logs for more information',
      },
    });
  });

  it('calls codeless errors unknown', () => {
    expect(errorResponse(new AuthHttpError(404, undefined, 'Not Found'), 'initial').body).toEqual({
      code: 404,
      error_code: 'unknown',
      msg: 'Not Found',
    });
  });
});
