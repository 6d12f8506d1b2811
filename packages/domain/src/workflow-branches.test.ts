import { describe, expect, it } from 'vitest';
import { JsonPathError } from './json-path.ts';
import {
  branchMatches,
  chooseNext,
  parseBranchWhen,
  successorsOf,
  type StepSuccession,
} from './workflow-branches.ts';

const scored: StepSuccession = {
  next: [
    { when: '@.score > 80', step: 'call', label: 'hot' },
    { when: "@.score > 50 && @.country == 'NL'", step: 'visit' },
    { when: '@.spam == true', step: null, label: 'drop' },
  ],
  default: 'nurture',
};

describe('successorsOf', () => {
  it('is next_step for a linear step, null when it ends', () => {
    expect(successorsOf({ next_step: 'b' })).toEqual(['b']);
    expect(successorsOf({ next_step: null })).toEqual([null]);
    expect(successorsOf({})).toEqual([null]);
  });

  it("is the branches' targets then the default, each once", () => {
    expect(successorsOf(scored)).toEqual(['call', 'visit', null, 'nurture']);
    expect(
      successorsOf({
        next: [
          { when: '@.a', step: 'x' },
          { when: '@.b', step: 'x' },
        ],
      }),
    ).toEqual(['x', null]);
    expect(successorsOf({ next: [{ when: '@.a', step: 'x' }], default: null })).toEqual([
      'x',
      null,
    ]);
  });
});

describe('chooseNext', () => {
  it('takes the first branch that matches', () => {
    // 90 > 80 and 90 > 50 in NL: both match, the first wins.
    expect(chooseNext(scored, { score: 90, country: 'NL' })).toEqual({
      next: 'call',
      taken: { index: 0, label: 'hot', when: '@.score > 80' },
    });
    expect(chooseNext(scored, { score: 60, country: 'NL' })).toEqual({
      next: 'visit',
      taken: { index: 1, when: "@.score > 50 && @.country == 'NL'" },
    });
  });

  it('ends the workflow on a branch to null', () => {
    expect(chooseNext(scored, { score: 10, spam: true })).toEqual({
      next: null,
      taken: { index: 2, label: 'drop', when: '@.spam == true' },
    });
  });

  it('takes the default when no branch matches', () => {
    expect(chooseNext(scored, { score: 60, country: 'BE' })).toEqual({
      next: 'nurture',
      taken: 'default',
    });
  });

  it('ends when no branch matches and there is no default', () => {
    const step: StepSuccession = { next: [{ when: '@.ok == true', step: 'b' }] };
    expect(chooseNext(step, { ok: false })).toEqual({ next: null, taken: 'default' });
    expect(chooseNext({ ...step, default: null }, {})).toEqual({ next: null, taken: 'default' });
  });

  it('follows next_step on a linear step', () => {
    expect(chooseNext({ next_step: 'b' }, { anything: 1 })).toEqual({
      next: 'b',
      taken: 'next_step',
    });
    expect(chooseNext({}, null)).toEqual({ next: null, taken: 'next_step' });
  });

  it.each([
    ['null', null],
    ['undefined (no output)', undefined],
    ['a string', 'score'],
    ['a number', 90],
    ['an array', [{ score: 90 }]],
    ['an object whose score is a string', { score: '90' }],
  ])('falls to the default for an output that is %s', (_name, output) => {
    expect(chooseNext(scored, output)).toEqual({ next: 'nurture', taken: 'default' });
  });

  it('matches conditions about the output itself, not only its members', () => {
    const step: StepSuccession = {
      next: [
        { when: "@ == 'yes'", step: 'a' },
        { when: 'length(@) > 2', step: 'b' },
      ],
    };
    expect(chooseNext(step, 'yes').next).toBe('a');
    expect(chooseNext(step, [1, 2, 3]).next).toBe('b');
    expect(chooseNext(step, [1]).next).toBe(null);
  });

  it('throws a JsonPathError naming the branch when a when cannot be evaluated', () => {
    const step: StepSuccession = { next: [{ when: '@.a ==', step: 'x' }] };
    expect(() => chooseNext(step, {})).toThrow(JsonPathError);
    expect(() => chooseNext(step, {})).toThrow(/branch 0 \(when @\.a ==\)/);
  });
});

describe('parseBranchWhen', () => {
  it('accepts one filter expression', () => {
    expect(parseBranchWhen("@.score > 50 && match(@.country, 'N.')").path).toBe(
      "$[?@.score > 50 && match(@.country, 'N.')]",
    );
  });

  it.each(['@.a ==', '@.a][0', '@.a, 0', '', 'score > 50'])('rejects %j', (when) => {
    expect(() => parseBranchWhen(when)).toThrow(JsonPathError);
  });

  it('evaluates over [output]: a query of $ sees that array', () => {
    expect(branchMatches('$[0].ok == true', { ok: true })).toBe(true);
    expect(branchMatches('@.ok == true', { ok: false })).toBe(false);
  });
});
