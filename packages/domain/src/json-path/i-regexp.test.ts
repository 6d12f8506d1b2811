import { describe, expect, it } from 'vitest';
import { iRegexpProblem, translateIRegexp } from './i-regexp.ts';

describe('translateIRegexp', () => {
  it.each([
    ['a.c', 'a[^\\n\\r]c'],
    ['(ab)+', '(?:ab)+'],
    ['a{2,}|b{1,3}', 'a{2,}|b{1,3}'],
    ['[^a-c\\p{Lu}-]', '[^a-c\\p{Lu}\\-]'],
    ['\\.\\n\\{', '\\.\\n\\{'],
    ['1-2,#', '1\\-2\\,\\#'],
    ['^ab$', '^ab$'],
    ['😀', '😀'],
  ])('%s becomes %s', (pattern, re2) => {
    expect(translateIRegexp(pattern)).toBe(re2);
  });
});

describe('iRegexpProblem', () => {
  it.each(['L', 'Lu', 'Mn', 'Nd', 'Pc', 'Zs', 'Sm', 'Cn', 'Co'])('accepts \\p{%s}', (cat) => {
    expect(iRegexpProblem(`\\p{${cat}}\\P{${cat}}`)).toBeNull();
  });

  it.each([
    ['\\d', 'not an I-Regexp escape'],
    ['\\w+', 'not an I-Regexp escape'],
    ['(?:a)', 'must be escaped'],
    ['a**', 'must be escaped'],
    ['a{,2}', 'expected a number'],
    ['[]', 'empty character class'],
    ['[a-b-c]', '"-" must be first or last'],
    ['[[]', 'must be escaped in a class'],
    ['\\p{Lx}', 'Unicode category'],
    ['(a', 'expected )'],
    ['a)', 'unexpected ")"'],
    ['a{1001}', 'RE2 refuses it'],
  ])('refuses %s (%s)', (pattern, reason) => {
    expect(iRegexpProblem(pattern)).toContain(reason);
  });
});
