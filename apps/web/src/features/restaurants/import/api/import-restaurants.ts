import type { ImportRow } from '@forkflow/domain/restaurant-csv/rows';
import { z } from 'zod';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

/** import_restaurants takes at most this many rows a call (413 beyond). */
export const IMPORT_CHUNK_ROWS = 1000;

export type DuplicateChoice = 'skip' | 'update';

const rowResultSchema = z.object({
  index: z.number().int(),
  status: z.enum(['created', 'updated', 'skipped', 'failed']),
  id: z.uuid().optional(),
  reason: z.string().optional(),
  same_as: z.number().int().optional(),
});
export type ImportRowResult = z.infer<typeof rowResultSchema>;

/** One chunk through the RPC; indexes in the answer are the chunk's own (0-based). */
export async function importChunk(
  organisationId: string,
  rows: readonly ImportRow[],
  onDuplicate: DuplicateChoice,
): Promise<ImportRowResult[]> {
  const { data, error } = await supabase.rpc('import_restaurants', {
    p_organisation_id: organisationId,
    p_rows: rows as never,
    p_on_duplicate: onDuplicate,
  });
  if (error) raise(error);
  return z.array(rowResultSchema).parse(data);
}

/**
 * Every row in chunks, one after another (the server serialises an organisation's imports
 * anyway), reporting progress after each. Results come back with indexes into `rows`.
 */
export async function importInChunks(
  organisationId: string,
  rows: readonly ImportRow[],
  onDuplicate: DuplicateChoice,
  onProgress: (done: number) => void,
): Promise<ImportRowResult[]> {
  const results: ImportRowResult[] = [];
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK_ROWS) {
    const chunk = rows.slice(start, start + IMPORT_CHUNK_ROWS);
    const answer = await importChunk(organisationId, chunk, onDuplicate);
    for (const result of answer) {
      results.push({
        ...result,
        index: result.index + start,
        ...(result.same_as === undefined ? {} : { same_as: result.same_as + start }),
      });
    }
    onProgress(Math.min(rows.length, start + chunk.length));
  }
  return results;
}
