import { describe, expect, it } from 'vitest';
import { isValidKey, mimeTypeAllowed, parseSizeLimit } from './server.ts';

describe('isValidKey', () => {
  it.each([
    ['org/uuid/call.mp3', true],
    ['a b/(1) +x,y.txt', true],
    ["it's & $@=;:?!*.txt", true],
    ['', false],
    ['/leading', false],
    ['trailing/', false],
    ['a//b', false],
    ['a/../b', false],
    ['./a', false],
    ['a\\b', false],
    ['a<b>', false],
    ['über', false],
    ['a\u0000b', false],
    ['x'.repeat(1025), false],
  ])('%j → %s', (key, expected) => {
    expect(isValidKey(key)).toBe(expected);
  });
});

describe('mimeTypeAllowed', () => {
  const allowed = ['audio/*', 'application/pdf', 'text/plain'];
  it.each([
    ['audio/mpeg', true],
    ['AUDIO/WAV', true],
    ['text/plain;charset=UTF-8', true],
    ['application/pdf', true],
    ['text/html', false],
    ['audiox/mpeg', false],
    ['application/pdfx', false],
    ['', false],
  ])('%j → %s', (type, expected) => {
    expect(mimeTypeAllowed(type, allowed)).toBe(expected);
  });

  it('allows anything when the bucket lists nothing', () => {
    expect(mimeTypeAllowed('text/html', null)).toBe(true);
    expect(mimeTypeAllowed('text/html', [])).toBe(true);
  });
});

describe('parseSizeLimit', () => {
  it.each([
    [undefined, null],
    [null, null],
    ['', null],
    [1024, 1024],
    ['1024', 1024],
    ['100KB', 100 * 1024],
    ['50MB', 50 * 1024 ** 2],
    ['1gb', 1024 ** 3],
  ])('%j → %j', (value, expected) => {
    expect(parseSizeLimit(value)).toBe(expected);
  });

  it.each([[-1], [1.5], ['ten'], ['5TB'], [{}]])('refuses %j', (value) => {
    expect(() => parseSizeLimit(value)).toThrow();
  });
});
