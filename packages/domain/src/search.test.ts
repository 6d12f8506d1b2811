import { describe, expect, it } from 'vitest';
import { toPrefixTsQuery } from './search.ts';

describe('toPrefixTsQuery', () => {
  it.each([
    ['pizz', 'pizz:*'],
    ['Harbour  Pizza', 'harbour:* & pizza:*'],
    ["O'Malley's", 'o:* & malley:* & s:*'],
    ['café 42', 'café:* & 42:*'],
    ['pizza & !(sushi) | ramen:*', 'pizza:* & sushi:* & ramen:*'],
  ])('turns %j into %j', (input, expected) => {
    expect(toPrefixTsQuery(input)).toBe(expected);
  });

  it.each(['', '   ', '&|!():*'])(
    'returns null for %j, which has nothing to search for',
    (input) => {
      expect(toPrefixTsQuery(input)).toBeNull();
    },
  );
});
