/** Median and p95 of a sample, in milliseconds; nearest-rank percentiles. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
}

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, median: rank(0.5), p95: rank(0.95) };
}

/** Times `run` `iterations` times after `warmup` untimed runs; each call gets its index. */
export async function measure(
  iterations: number,
  warmup: number,
  run: (i: number) => Promise<void>,
): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await run(i);
  const samples: number[] = [];
  for (let i = warmup; i < warmup + iterations; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

export const fmt = (ms: number): string => `${ms.toFixed(2).padStart(8)} ms`;
