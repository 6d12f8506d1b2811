// How the Monitoring page writes its figures.

/**
 * Whole percents, but one decimal between 0 and 1 % (issue 12 §10): 2 failures in 500 jobs
 * read "0.4%", not "0%" — which would say nothing fails.
 */
export const percent = (value: number) => {
  const pct = value * 100;
  if (pct <= 0 || pct >= 0.95) return `${Math.round(pct)}%`;
  // Above zero but under 0.05 %: still not "none".
  return pct < 0.05 ? '<0.1%' : `${pct.toFixed(1)}%`;
};

export const count = (value: number) =>
  Number.isInteger(value) ? value.toLocaleString() : value.toFixed(1);

export const formatMs = (value: number) =>
  value < 1000
    ? `${Math.round(value)} ms`
    : value < 60_000
      ? `${(value / 1000).toFixed(1)} s`
      : `${(value / 60_000).toFixed(1)} min`;

/** A dash where there is no figure (nothing finished, nothing measured). */
export const orDash = (value: number | null, format: (n: number) => string) =>
  value === null ? '—' : format(value);
