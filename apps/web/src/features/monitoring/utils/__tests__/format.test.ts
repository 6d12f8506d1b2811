import { describe, expect, it } from 'vitest';
import { percent } from '../format';

describe('percent', () => {
  it('shows one decimal below 1 % and whole numbers otherwise', () => {
    expect(percent(0)).toBe('0%');
    expect(percent(0.004)).toBe('0.4%');
    expect(percent(0.0004)).toBe('<0.1%');
    expect(percent(0.0094)).toBe('0.9%');
    expect(percent(0.0096)).toBe('1%');
    expect(percent(0.01)).toBe('1%');
    expect(percent(0.254)).toBe('25%');
    expect(percent(1)).toBe('100%');
  });
});
