import { DEFAULT_RETRY_POLICY } from '@forkflow/domain/backoff';

/** 300000 ms reads as "5 min": whole seconds, minutes or hours when the value is one. */
export function delay(ms: string): string {
  const value = Number(ms);
  if (!Number.isFinite(value)) return `${ms} ms`;
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1_000],
  ] as const) {
    if (value >= size && value % size === 0) return `${value / size} ${unit}`;
  }
  return `${value} ms`;
}

/** A retry policy as label/value pairs, the defaults filled in where it leaves a field out. */
export function policyRows(policy: unknown): [string, string][] {
  const value = (typeof policy === 'object' && policy !== null ? policy : {}) as Record<
    string,
    unknown
  >;
  const pick = (key: keyof typeof DEFAULT_RETRY_POLICY) =>
    String(value[key] ?? DEFAULT_RETRY_POLICY[key]);
  return [
    ['Max retries', pick('max_retries')],
    ['Base delay', delay(pick('base_ms'))],
    ['Factor', `×${pick('factor')}`],
    ['Cap', delay(pick('cap_ms'))],
    ['Jitter', pick('jitter')],
  ];
}
