// How the Monitoring page writes its figures.

export const percent = (value: number) => `${Math.round(value * 100)}%`;

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
