import { KNOWN_VARIABLES, type KnownVariable } from '@forkflow/domain/message-template';

/** What to fall back to when a variable is empty, as suggested to the writer. */
export const suggestedFallbacks: Record<KnownVariable, string> = {
  restaurant_name: 'your restaurant',
  contact_name: 'there',
  contact_first_name: 'there',
  contact_email: 'your email',
  contact_phone: 'your number',
  city: 'your area',
  cuisine: 'your food',
  rep_name: 'the team',
  rep_first_name: 'the team',
  rep_email: 'our team',
  organisation_name: 'our team',
};

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The known variable an unknown one was probably meant to be ("restaurant" → restaurant_name). */
export function closestVariable(name: string): KnownVariable | null {
  const lower = name.toLowerCase();
  let best: { variable: KnownVariable; score: number } | null = null;
  for (const variable of KNOWN_VARIABLES) {
    const score =
      variable === lower
        ? 0
        : variable.startsWith(lower) || lower.startsWith(variable)
          ? 1
          : distance(lower, variable);
    if (!best || score < best.score) best = { variable, score };
  }
  return best && best.score <= Math.max(2, Math.floor(name.length / 3)) ? best.variable : null;
}
