import { describe, expect, it } from 'vitest';
import { isUuid, WORKFLOW_KEY_PATTERN } from './ids.ts';

describe('isUuid', () => {
  it.each([
    ['0b8f6c2e-9d1a-4c3b-8e7f-112233445566', true],
    ['0B8F6C2E-9D1A-4C3B-8E7F-112233445566', true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['0b8f6c2e9d1a4c3b8e7f112233445566', false],
    ['{0b8f6c2e-9d1a-4c3b-8e7f-112233445566}', false],
    ['0b8f6c2e-9d1a-4c3b-8e7f-11223344556', false],
    ['0b8f6c2e-9d1a-4c3b-8e7f-1122334455667', false],
    ['0b8f6c2e-9d1a-4c3b-8e7f-11223344556g', false],
    ['', false],
  ])('%j: %s', (value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});

describe('WORKFLOW_KEY_PATTERN', () => {
  it.each([
    ['a', true],
    ['0', true],
    ['lead-intake_v2', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
    ['-lead', false],
    ['_lead', false],
    ['Lead', false],
    ['lead intake', false],
    ['lead.intake', false],
  ])('%j: %s', (value, expected) => {
    expect(WORKFLOW_KEY_PATTERN.test(value)).toBe(expected);
  });
});
