import { describe, expect, it } from 'vitest';
import { collapseUnchanged, diffLines, type DiffLine } from '../line-diff';

const marks = (lines: DiffLine[]) =>
  lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`);

describe('diffLines', () => {
  it('marks nothing for equal texts', () => {
    const diff = diffLines('a\nb\nc', 'a\nb\nc');
    expect(marks(diff.lines)).toEqual([' a', ' b', ' c']);
    expect(diff).toMatchObject({ added: 0, removed: 0, approximate: false });
  });

  it('finds a changed line in the middle, with line numbers on each side', () => {
    const diff = diffLines('a\nb\nc', 'a\nB\nc');
    expect(marks(diff.lines)).toEqual([' a', '+B', '-b', ' c']);
    expect(diff.lines[1]).toEqual({ kind: 'added', text: 'B', newNumber: 2 });
    expect(diff.lines[2]).toEqual({ kind: 'removed', text: 'b', oldNumber: 2 });
    expect(diff.lines[3]).toEqual({ kind: 'same', text: 'c', oldNumber: 3, newNumber: 3 });
  });

  it('keeps the longest common subsequence across insertions and deletions', () => {
    const diff = diffLines('x\na\nb\nc\nd', 'a\nb\ny\nc\nd\nz');
    expect(marks(diff.lines)).toEqual(['-x', ' a', ' b', '+y', ' c', ' d', '+z']);
    expect(diff).toMatchObject({ added: 2, removed: 1 });
  });

  it('handles empty sides', () => {
    expect(marks(diffLines('', 'a\nb').lines)).toEqual(['+a', '+b']);
    expect(marks(diffLines('a', '').lines)).toEqual(['-a']);
    expect(diffLines('', '').lines).toEqual([]);
  });

  it('stays bounded: past maxCells the differing middle is replaced whole', () => {
    const before = Array.from({ length: 50 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 50 }, (_, i) => (i % 2 ? `old ${i}` : `new ${i}`)).join(
      '\n',
    );
    const exact = diffLines(before, after);
    expect(exact.approximate).toBe(false);
    expect(exact.removed).toBe(25);
    const bounded = diffLines(before, after, { maxCells: 100 });
    expect(bounded.approximate).toBe(true);
    expect(bounded).toMatchObject({ added: 49, removed: 49 });
  });

  it('diffs two large JSON documents quickly enough to stay exact', () => {
    const doc = (n: number) =>
      JSON.stringify(
        { steps: Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { i }])) },
        null,
        2,
      );
    const diff = diffLines(doc(1500), doc(1501));
    expect(diff.approximate).toBe(false);
    expect(diff.added).toBeGreaterThan(0);
  });
});

describe('collapseUnchanged', () => {
  it('collapses long unchanged runs, keeping context around changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const chunks = collapseUnchanged(diffLines(before, after).lines, 2);
    expect(chunks.map((c) => [c.kind, c.lines.length])).toEqual([
      ['collapsed', 8],
      ['shown', 6],
      ['collapsed', 7],
    ]);
  });

  it('shows short unchanged runs rather than hiding two lines behind a button', () => {
    const chunks = collapseUnchanged(diffLines('a\nb\nc\nd', 'A\nb\nc\nD').lines, 0);
    expect(chunks.every((c) => c.kind === 'shown')).toBe(true);
  });

  it('is empty for an empty diff', () => {
    expect(collapseUnchanged([])).toEqual([]);
  });
});
