// Retired transformers in save-workflow (issue 12 §8, migration …007200): a retired
// transformer keeps running in the versions that use it (their jobs, re-runs and restores of
// the same step), but no step may newly take it. A step "already used it" when the workflow's
// current definition has a step of the same id with the same transformer.
import type { SupabaseClient } from 'npm:@supabase/supabase-js@2';
import { HttpError } from './http.ts';

export interface TransformerRow {
  id: string;
  retired_at?: string | null;
}

export interface DefinitionError {
  path: string[];
  code: string;
  message: string;
}

type Steps = Record<string, { transformer_id?: unknown } | undefined>;

const stepsOf = (definition: unknown): Steps => {
  const steps = (definition as { steps?: unknown } | null)?.steps;
  return typeof steps === 'object' && steps !== null ? (steps as Steps) : {};
};

/** The steps of `definition` that newly take a retired transformer, as definition errors. */
export async function retiredTransformerErrors(
  client: SupabaseClient,
  organisationId: string,
  workflowId: string | null | undefined,
  definition: unknown,
  transformers: TransformerRow[],
): Promise<DefinitionError[]> {
  const retired = new Set(transformers.filter((t) => t.retired_at).map((t) => t.id));
  const using = Object.entries(stepsOf(definition)).filter(
    ([, step]) => typeof step?.transformer_id === 'string' && retired.has(step.transformer_id),
  );
  if (using.length === 0) return [];
  let before: Steps = {};
  if (workflowId) {
    // As the caller, under RLS: an id of another organisation reads nothing (save_workflow
    // then answers 404 as it always has).
    const { data, error } = await client
      .from('workflows')
      .select('definition')
      .eq('id', workflowId)
      .eq('organisation_id', organisationId)
      .maybeSingle();
    if (error) throw new HttpError(500, 'query_failed', error.message);
    before = stepsOf((data as { definition?: unknown } | null)?.definition);
  }
  return using
    .filter(([id, step]) => before[id]?.transformer_id !== step!.transformer_id)
    .map(([id, step]) => ({
      path: ['steps', id, 'transformer_id'],
      code: 'transformer_retired',
      message: `transformer ${String(step!.transformer_id)} is retired: steps that already use it keep it, new steps cannot (restore it in Settings → Transformers)`,
    }));
}
