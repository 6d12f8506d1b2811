/**
 * A `to_tsquery` expression that matches every word the user typed as a prefix, so a rep
 * typing "pizz" finds "Pizzeria Uno" while still typing. Only letters and digits survive:
 * tsquery operators in user input would otherwise be syntax errors (or injected logic).
 * Returns null when nothing searchable is left.
 */
export function toPrefixTsQuery(input: string): string | null {
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.map((word) => `${word}:*`).join(' & ');
}
