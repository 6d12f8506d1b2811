/**
 * A line diff for comparing two workflow versions' pretty-printed JSON: the longest common
 * subsequence of lines, after the common head and tail are set aside (versions usually
 * differ in a few places, so the table left is small). The table is bounded: past
 * `maxCells` (old × new lines left, 4 million by default, about 16 MB) the middle is shown
 * as removed then added, and `approximate` says so, rather than freezing the tab.
 */

export type DiffLine =
  | { kind: 'same'; text: string; oldNumber: number; newNumber: number }
  | { kind: 'removed'; text: string; oldNumber: number }
  | { kind: 'added'; text: string; newNumber: number };

export type LineDiff = {
  lines: DiffLine[];
  added: number;
  removed: number;
  /** The inputs were too large for an exact diff: the differing middle is replaced whole. */
  approximate: boolean;
};

export const DEFAULT_MAX_CELLS = 4_000_000;

const splitLines = (text: string): string[] => (text === '' ? [] : text.split(/\r?\n/));

export function diffLines(
  before: string,
  after: string,
  { maxCells = DEFAULT_MAX_CELLS }: { maxCells?: number } = {},
): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;

  const lines: DiffLine[] = [];
  for (let i = 0; i < head; i++)
    lines.push({ kind: 'same', text: a[i]!, oldNumber: i + 1, newNumber: i + 1 });

  const aMid = a.slice(head, a.length - tail);
  const bMid = b.slice(head, b.length - tail);
  const n = aMid.length;
  const m = bMid.length;
  const approximate = n * m > maxCells;
  if (approximate || n === 0 || m === 0) {
    aMid.forEach((text, i) => lines.push({ kind: 'removed', text, oldNumber: head + i + 1 }));
    bMid.forEach((text, j) => lines.push({ kind: 'added', text, newNumber: head + j + 1 }));
  } else {
    // lcs[i * (m + 1) + j]: the LCS length of aMid[i..] and bMid[j..].
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          aMid[i] === bMid[j]
            ? lcs[(i + 1) * width + j + 1]! + 1
            : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && aMid[i] === bMid[j]) {
        lines.push({
          kind: 'same',
          text: aMid[i]!,
          oldNumber: head + i + 1,
          newNumber: head + j + 1,
        });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * width + j + 1]! >= lcs[(i + 1) * width + j]!)) {
        lines.push({ kind: 'added', text: bMid[j]!, newNumber: head + j + 1 });
        j++;
      } else {
        lines.push({ kind: 'removed', text: aMid[i]!, oldNumber: head + i + 1 });
        i++;
      }
    }
  }

  for (let k = 0; k < tail; k++) {
    const oldIndex = a.length - tail + k;
    const newIndex = b.length - tail + k;
    lines.push({
      kind: 'same',
      text: a[oldIndex]!,
      oldNumber: oldIndex + 1,
      newNumber: newIndex + 1,
    });
  }
  return {
    lines,
    added: lines.filter((l) => l.kind === 'added').length,
    removed: lines.filter((l) => l.kind === 'removed').length,
    approximate,
  };
}

export type DiffChunk =
  { kind: 'shown'; lines: DiffLine[] } | { kind: 'collapsed'; lines: DiffLine[] };

/**
 * Groups a diff for display: changed lines with `context` unchanged lines either side are
 * shown; longer unchanged runs are collapsed (a reader can expand them).
 */
export function collapseUnchanged(lines: DiffLine[], context = 3): DiffChunk[] {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (
      let k = Math.max(0, index - context);
      k <= Math.min(lines.length - 1, index + context);
      k++
    )
      keep[k] = true;
  });
  const chunks: DiffChunk[] = [];
  lines.forEach((line, index) => {
    const kind = keep[index] ? 'shown' : 'collapsed';
    const last = chunks.at(-1);
    if (last && last.kind === kind) last.lines.push(line);
    else chunks.push({ kind, lines: [line] });
  });
  // A collapsed run shorter than what it would hide behind a button is just shown.
  return chunks.map((chunk) =>
    chunk.kind === 'collapsed' && chunk.lines.length <= 2 ? { ...chunk, kind: 'shown' } : chunk,
  );
}
