import { describe, expect, it } from 'vitest';
import { delay } from '../retry-policy';

describe('retry delays on the workflow page', () => {
  it.each([
    ['1000', '1 s'],
    ['300000', '5 min'],
    ['7200000', '2 h'],
    ['1500', '1500 ms'],
    ['250', '250 ms'],
    ['90000', '90 s'],
    ['soon', 'soon ms'],
  ])('%s ms reads as %s', (input, expected) => {
    expect(delay(input)).toBe(expected);
  });
});
