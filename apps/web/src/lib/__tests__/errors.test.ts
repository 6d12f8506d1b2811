import { describe, expect, it } from 'vitest';
import { AppError, isRetryable, raise } from '../errors';

// What a malformed id in a URL turns into (issue 13 §5): PostgREST answers 22P02 for
// `id=eq.not-a-uuid`, and the page should say "not found" at once instead of retrying.
describe('raise and isRetryable', () => {
  const caught = (error: unknown): AppError => {
    try {
      raise(error);
    } catch (thrown) {
      return thrown as AppError;
    }
  };

  it('turns an invalid id (22P02) into not_found, not retried', () => {
    const error = caught({ code: '22P02', message: 'invalid input syntax for type uuid: "abc"' });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('not_found');
    expect(error.message).not.toMatch(/uuid/);
    expect(isRetryable(error)).toBe(false);
  });

  it('keeps other codes, and retries what may pass next time', () => {
    const denied = caught({ code: '42501', message: 'permission denied' });
    expect(denied.code).toBe('42501');
    expect(isRetryable(denied)).toBe(false);
    expect(isRetryable({ code: '22023' })).toBe(false);
    expect(isRetryable({ code: '57014' })).toBe(true); // statement timeout
    expect(isRetryable({ code: 'PGRST002' })).toBe(true);
    expect(isRetryable(new Error('fetch failed'))).toBe(true);
  });
});
