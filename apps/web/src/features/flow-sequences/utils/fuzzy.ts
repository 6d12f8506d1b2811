// A small fuzzy matcher for picking a workflow by name while typing ("crlead" finds "CRM lead
// lookup"). The query's characters must appear in order; the score prefers matches that start
// words and run together, so the likeliest names come first. An organisation has tens to
// hundreds of workflows: a linear scan per keystroke is plenty.

export type FuzzyMatch = {
  score: number;
  /** Indices in the text of the matched characters, ascending (for highlighting). */
  indices: number[];
};

const isWordStart = (text: string, index: number) => {
  if (index === 0) return true;
  const previous = text[index - 1] ?? '';
  const current = text[index] ?? '';
  // After a separator, or a lower → upper case change (camelCase).
  return /[\s_\-./:]/.test(previous) || (/[a-z]/.test(previous) && /[A-Z]/.test(current));
};

/**
 * Scores `text` against `query` (case-insensitive; spaces in the query are ignored), or null
 * when the query's characters do not all appear in order. Greedy, with a look-ahead that
 * prefers a word start for each character, which is what people type ("cl" → "CRM Lead").
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const needle = query.toLowerCase().replace(/\s+/g, '');
  if (needle.length === 0) return { score: 0, indices: [] };
  const haystack = text.toLowerCase();
  const indices: number[] = [];
  let from = 0;
  for (const char of needle) {
    const next = haystack.indexOf(char, from);
    if (next === -1) return null;
    // A later occurrence at a word start beats an earlier one mid-word, unless the earlier one
    // continues the run we are in.
    let pick = next;
    const continuesRun = indices.length > 0 && next === indices[indices.length - 1]! + 1;
    if (!continuesRun && !isWordStart(text, next)) {
      for (let i = next + 1; i < haystack.length; i += 1) {
        if (haystack[i] === char && isWordStart(text, i)) {
          pick = i;
          break;
        }
      }
    }
    indices.push(pick);
    from = pick + 1;
  }
  let score = 0;
  indices.forEach((index, n) => {
    score += 1;
    if (isWordStart(text, index)) score += 8;
    if (n > 0 && index === indices[n - 1]! + 1) score += 5;
    else if (n > 0) score -= Math.min(index - indices[n - 1]! - 1, 5);
  });
  if (indices[0] === 0) score += 6;
  // Among equal matches the shorter name is the closer one.
  score -= text.length / 100;
  return { score, indices };
}

/** The items whose text matches, best first (ties keep alphabetical order). */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  textOf: (item: T) => string,
): Array<{ item: T; match: FuzzyMatch }> {
  const matched: Array<{ item: T; match: FuzzyMatch }> = [];
  for (const item of items) {
    const match = fuzzyMatch(query, textOf(item));
    if (match) matched.push({ item, match });
  }
  return matched.sort(
    (a, b) => b.match.score - a.match.score || textOf(a.item).localeCompare(textOf(b.item)),
  );
}

/** The text cut into runs of matched and unmatched characters, for <mark>ing. */
export function highlightRuns(
  text: string,
  indices: readonly number[],
): Array<{ text: string; matched: boolean }> {
  const set = new Set(indices);
  const runs: Array<{ text: string; matched: boolean }> = [];
  for (let i = 0; i < text.length; i += 1) {
    const matched = set.has(i);
    const last = runs[runs.length - 1];
    if (last && last.matched === matched) last.text += text[i];
    else runs.push({ text: text[i] ?? '', matched });
  }
  return runs;
}
