import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import type { Tables } from '@forkflow/db';

// Reads never return trashed rows (RLS), so the trash columns are left out.
export type SequenceTemplate = Omit<Tables<'sequence_templates'>, 'deleted_at' | 'deleted_by'>;
export type SequenceStep = Tables<'sequence_steps'>;

const TEMPLATE_COLUMNS =
  'id, organisation_id, name, description, tags, is_active, usage_count, start_delay_value, start_delay_unit, exit_stages, metadata, created_by, created_at, updated_at';

export type SequenceTemplateListItem = SequenceTemplate & { step_count: number };

export type SequenceTemplateDetail = SequenceTemplate & { steps: SequenceStep[] };

/** Every template of the organisation with its number of steps, newest change first. */
export async function getSequenceTemplates(
  organisationId: string,
): Promise<SequenceTemplateListItem[]> {
  const { data, error } = await supabase
    .from('sequence_templates')
    .select(`${TEMPLATE_COLUMNS}, sequence_steps(count)`)
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId)
    .order('updated_at', { ascending: false })
    .order('id');
  if (error) raise(error);
  return data.map(({ sequence_steps, ...template }) => ({
    ...template,
    step_count: sequence_steps[0]?.count ?? 0,
  }));
}

export async function getSequenceTemplate(
  organisationId: string,
  id: string,
): Promise<SequenceTemplateDetail> {
  const { data, error } = await supabase
    .from('sequence_templates')
    .select(`${TEMPLATE_COLUMNS}, sequence_steps(*)`)
    .eq('organisation_id', organisationId)
    .eq('id', id)
    .order('step_order', { referencedTable: 'sequence_steps' })
    .maybeSingle();
  if (error) raise(error);
  if (!data) {
    throw new AppError('This sequence doesn’t exist, or it belongs to another organisation.', {
      code: 'not_found',
    });
  }
  const { sequence_steps, ...template } = data;
  return { ...template, steps: [...sequence_steps].sort((a, b) => a.step_order - b.step_order) };
}

// The shape `public.sequence_template_stats` returns (docs/sequences-contract.md).
const count = z.number().int().nonnegative().catch(0);
export const sequenceTemplateStatsSchema = z.object({
  started: count,
  active: count,
  paused: count,
  completed: count,
  cancelled: count,
  steps: z
    .array(
      z.object({
        step_order: z.number().int(),
        name: z.string(),
        reached: count,
        completed: count,
        skipped: count,
        median_seconds: z.number().nonnegative().nullable().catch(null),
      }),
    )
    .catch([]),
});

export type SequenceTemplateStats = z.output<typeof sequenceTemplateStatsSchema>;

export async function getSequenceTemplateStats(id: string): Promise<SequenceTemplateStats> {
  const { data, error } = await supabase.rpc('sequence_template_stats', { p_template_id: id });
  if (error) raise(error);
  const parsed = sequenceTemplateStatsSchema.safeParse(data);
  if (!parsed.success) throw new AppError('The analytics came back in a shape we don’t know.');
  return parsed.data;
}

const notFound = (error: Error) => error instanceof AppError && error.code === 'not_found';

export const sequenceTemplateQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'sequence-templates'] as const,
  lists: (organisationId: string) =>
    [...sequenceTemplateQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string) =>
    queryOptions({
      queryKey: sequenceTemplateQueries.lists(organisationId),
      queryFn: () => getSequenceTemplates(organisationId),
    }),
  details: (organisationId: string) =>
    [...sequenceTemplateQueries.all(organisationId), 'detail'] as const,
  detail: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...sequenceTemplateQueries.details(organisationId), id] as const,
      queryFn: () => getSequenceTemplate(organisationId, id),
      retry: (failureCount, error) => !notFound(error) && failureCount < 2,
    }),
  stats: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...sequenceTemplateQueries.all(organisationId), 'stats', id] as const,
      queryFn: () => getSequenceTemplateStats(id),
    }),
};
