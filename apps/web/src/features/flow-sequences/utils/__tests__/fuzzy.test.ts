import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch, highlightRuns } from '../fuzzy';

describe('fuzzyMatch', () => {
  it.each([
    ['crm', 'CRM lead lookup', [0, 1, 2]],
    ['cll', 'CRM lead lookup', [0, 4, 9]],
    ['lead', 'CRM lead lookup', [4, 5, 6, 7]],
    ['LEAD', 'crm lead lookup', [4, 5, 6, 7]],
    ['c l', 'CRM lead lookup', [0, 4]],
    ['el', 'send-email', [5, 9]],
  ])('"%s" in "%s" matches at %j', (query, text, indices) => {
    expect(fuzzyMatch(query, text)?.indices).toEqual(indices);
  });

  it.each([
    ['xyz', 'CRM lead lookup'],
    ['dael', 'lead'],
    ['leads', 'lead'],
  ])('"%s" does not match "%s"', (query, text) => {
    expect(fuzzyMatch(query, text)).toBeNull();
  });

  it('an empty query matches everything with no highlight', () => {
    expect(fuzzyMatch('  ', 'Anything')).toEqual({ score: 0, indices: [] });
  });
});

describe('fuzzyFilter', () => {
  const names = ['Send invoice', 'Enrich lead', 'Echo', 'Lead scoring', 'Delete stale leads'];

  it('puts word-start and contiguous matches first', () => {
    const order = fuzzyFilter(names, 'lead', (name) => name).map(({ item }) => item);
    expect(order).toEqual(['Lead scoring', 'Enrich lead', 'Delete stale leads']);
  });

  it('prefers initials over scattered letters', () => {
    const order = fuzzyFilter(names, 'el', (name) => name).map(({ item }) => item);
    expect(order[0]).toBe('Enrich lead');
  });

  it('keeps alphabetical order when nothing is typed', () => {
    expect(fuzzyFilter(['b', 'a', 'c'], '', (name) => name).map(({ item }) => item)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});

describe('highlightRuns', () => {
  it('cuts the text into matched and unmatched runs', () => {
    expect(highlightRuns('Enrich lead', [0, 7, 8])).toEqual([
      { text: 'E', matched: true },
      { text: 'nrich ', matched: false },
      { text: 'le', matched: true },
      { text: 'ad', matched: false },
    ]);
  });
});
