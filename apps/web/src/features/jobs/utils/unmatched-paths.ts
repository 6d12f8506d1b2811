import { z } from 'zod';

const pathMissesSchema = z.array(z.object({ key: z.string(), path: z.string() }));

export type UnmatchedPath = { kind: 'input' | 'output'; key: string; path: string };

/**
 * The mappings of a step that found nothing, from its step_succeeded/step_failed event's data:
 * `missing_inputs` (an `input_map` path, the input key was sent as absent) and
 * `unmatched_outputs` (an `output_map` path, the output key was left out). Anything else in
 * those fields is ignored rather than shown wrongly.
 */
export function unmatchedPaths(data: unknown): UnmatchedPath[] {
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  const read = (kind: UnmatchedPath['kind'], field: string) => {
    const parsed = pathMissesSchema.safeParse(record[field]);
    return parsed.success ? parsed.data.map((miss) => ({ kind, ...miss })) : [];
  };
  return [...read('input', 'missing_inputs'), ...read('output', 'unmatched_outputs')];
}
