import type { Tables } from '@forkflow/db';
import { delayUnitSchema, type DelayUnit } from '@forkflow/domain/business-calendar';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { patchListRows, snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';

export type InstanceTask = Pick<
  Tables<'tasks'>,
  | 'id'
  | 'name'
  | 'type'
  | 'status'
  | 'due_date'
  | 'sequence_step_order'
  | 'completed_at'
  | 'skipped_at'
  | 'cancelled_at'
  | 'assigned_to'
  | 'sequence_delay_value'
  | 'sequence_delay_unit'
> &
  // Automated steps only (issue 14); optional so a manual step's fixtures need not say null.
  Partial<Pick<Tables<'tasks'>, 'automation_status' | 'job_id'>>;

export type SequenceInstance = Pick<
  Tables<'sequence_instances'>,
  | 'id'
  | 'organisation_id'
  | 'restaurant_id'
  | 'sequence_template_id'
  | 'name'
  | 'status'
  | 'current_step_order'
  | 'total_steps'
  | 'assigned_to'
  | 'started_at'
  | 'paused_at'
  | 'resume_at'
  | 'resumed_at'
  | 'completed_at'
  | 'cancelled_at'
  | 'exit_reason'
  | 'is_modified'
  | 'updated_at'
> & { tasks: InstanceTask[] };

const INSTANCE_COLUMNS =
  'id, organisation_id, restaurant_id, sequence_template_id, name, status, current_step_order, ' +
  'total_steps, assigned_to, started_at, paused_at, resume_at, resumed_at, completed_at, ' +
  'cancelled_at, exit_reason, is_modified, updated_at, ' +
  'tasks(id, name, type, status, due_date, sequence_step_order, completed_at, skipped_at, cancelled_at, assigned_to, ' +
  'sequence_delay_value, sequence_delay_unit, automation_status, job_id)';

/** A restaurant's sequence instances, newest first, each with its tasks in step order. */
export async function getRestaurantInstances(
  organisationId: string,
  restaurantId: string,
): Promise<SequenceInstance[]> {
  const { data, error } = await supabase
    .from('sequence_instances')
    .select(INSTANCE_COLUMNS)
    // RLS shows every organisation the user belongs to: scope to the current one.
    .eq('organisation_id', organisationId)
    .eq('restaurant_id', restaurantId)
    .order('started_at', { ascending: false })
    .order('id')
    .order('sequence_step_order', { referencedTable: 'tasks' })
    .limit(50)
    .overrideTypes<SequenceInstance[], { merge: false }>();
  if (error) raise(error);
  return data;
}

/** One sequence with its tasks (a task card's "Edit sequence" opens it). */
export async function getInstance(
  organisationId: string,
  instanceId: string,
): Promise<SequenceInstance> {
  const { data, error } = await supabase
    .from('sequence_instances')
    .select(INSTANCE_COLUMNS)
    .eq('organisation_id', organisationId)
    .eq('id', instanceId)
    .order('sequence_step_order', { referencedTable: 'tasks' })
    .single()
    .overrideTypes<SequenceInstance, { merge: false }>();
  if (error) raise(error);
  return data;
}

export type StartableStep = {
  id: string;
  step_order: number;
  name: string;
  type: string;
  delay_value: number;
  delay_unit: DelayUnit;
};

export type StartableTemplate = {
  id: string;
  name: string;
  description: string | null;
  start_delay_value: number;
  start_delay_unit: DelayUnit;
  exit_stages: string[];
  steps: StartableStep[];
};

const unit = (value: string): DelayUnit => {
  const parsed = delayUnitSchema.safeParse(value);
  return parsed.success ? parsed.data : 'days';
};

/** Active templates with at least one step: the ones start_sequence accepts. */
export async function getStartableTemplates(organisationId: string): Promise<StartableTemplate[]> {
  const { data, error } = await supabase
    .from('sequence_templates')
    .select(
      'id, name, description, start_delay_value, start_delay_unit, exit_stages, ' +
        'sequence_steps(id, step_order, name, type, delay_value, delay_unit)',
    )
    .eq('organisation_id', organisationId)
    .eq('is_active', true)
    .order('name')
    .order('step_order', { referencedTable: 'sequence_steps' })
    .overrideTypes<
      Array<
        Pick<
          Tables<'sequence_templates'>,
          'id' | 'name' | 'description' | 'start_delay_value' | 'start_delay_unit' | 'exit_stages'
        > & {
          sequence_steps: Array<
            Pick<
              Tables<'sequence_steps'>,
              'id' | 'step_order' | 'name' | 'type' | 'delay_value' | 'delay_unit'
            >
          >;
        }
      >,
      { merge: false }
    >();
  if (error) raise(error);
  return data
    .filter((template) => template.sequence_steps.length > 0)
    .map(({ sequence_steps, start_delay_unit, ...template }) => ({
      ...template,
      start_delay_unit: unit(start_delay_unit),
      steps: [...sequence_steps]
        .sort((a, b) => a.step_order - b.step_order)
        .map((step) => ({ ...step, delay_unit: unit(step.delay_unit) })),
    }));
}

/** What a bulk start needs to know ahead about each restaurant (sequenceStartSkip). */
export type StartCandidateRow = {
  id: string;
  lead_stage: string;
  lead_status: string;
  running_template_ids: string[];
};

// 100 ids (3.7 kB) per request keeps each URL well under proxies' limits; a bulk start
// takes at most 500 (SEQUENCE_BULK_MAX_RESTAURANTS), so at most 5 requests.
const CANDIDATE_CHUNK = 100;

/**
 * The restaurants' stage, status and running templates. A restaurant missing from the answer
 * is not visible any more: in the trash (or deleted) since it was selected.
 */
export async function getStartCandidates(
  organisationId: string,
  restaurantIds: string[],
): Promise<StartCandidateRow[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < restaurantIds.length; i += CANDIDATE_CHUNK) {
    chunks.push(restaurantIds.slice(i, i + CANDIDATE_CHUNK));
  }
  const answers = await Promise.all(
    chunks.map(async (ids) => {
      const { data, error } = await supabase
        .from('restaurants')
        .select('id, lead_stage, lead_status, sequence_instances(sequence_template_id, status)')
        .eq('organisation_id', organisationId)
        .in('id', ids)
        .in('sequence_instances.status', ['active', 'paused'])
        .overrideTypes<
          Array<
            Pick<Tables<'restaurants'>, 'id' | 'lead_stage' | 'lead_status'> & {
              sequence_instances: Array<{ sequence_template_id: string | null; status: string }>;
            }
          >,
          { merge: false }
        >();
      if (error) raise(error);
      return data;
    }),
  );
  return answers.flat().map(({ sequence_instances, ...restaurant }) => ({
    ...restaurant,
    running_template_ids: sequence_instances
      .map((instance) => instance.sequence_template_id)
      .filter((id): id is string => id !== null),
  }));
}

export const sequenceInstanceQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'sequence-instances'] as const,
  forRestaurants: (organisationId: string) =>
    [...sequenceInstanceQueries.all(organisationId), 'restaurant'] as const,
  forRestaurant: (organisationId: string, restaurantId: string) =>
    queryOptions({
      queryKey: [...sequenceInstanceQueries.forRestaurants(organisationId), restaurantId] as const,
      queryFn: () => getRestaurantInstances(organisationId, restaurantId),
    }),
  detail: (organisationId: string, instanceId: string) =>
    queryOptions({
      queryKey: [...sequenceInstanceQueries.all(organisationId), 'detail', instanceId] as const,
      queryFn: () => getInstance(organisationId, instanceId),
      // Opened to edit: the steps must be as they are now.
      staleTime: 0,
    }),
  startableTemplates: (organisationId: string) =>
    queryOptions({
      queryKey: [...sequenceInstanceQueries.all(organisationId), 'startable-templates'] as const,
      queryFn: () => getStartableTemplates(organisationId),
      // Templates are edited on another page: look again whenever a dialog opens.
      staleTime: 0,
    }),
  startCandidates: (organisationId: string, restaurantIds: string[]) =>
    queryOptions({
      queryKey: [
        ...sequenceInstanceQueries.all(organisationId),
        'start-candidates',
        restaurantIds,
      ] as const,
      queryFn: () => getStartCandidates(organisationId, restaurantIds),
      // Asked when the dialog opens: stages and running sequences change on other pages.
      staleTime: 0,
    }),
};

export type InstanceRow = Tables<'sequence_instances'>;

/**
 * The cache side of pause, resume and cancel, for useOptimisticMutation: the instance changes
 * in every cached restaurant list at once, keeps what the server returned until the lists
 * refetch, and the refetch brings its tasks.
 */
export function instanceStatusUpdate(
  organisationId: string,
  optimisticPatch: () => Partial<SequenceInstance>,
) {
  const listsKey = sequenceInstanceQueries.forRestaurants(organisationId);
  return {
    apply: async (queryClient: QueryClient, { instanceId }: { instanceId: string }) => {
      const snapshot = await snapshotQueries(queryClient, [listsKey]);
      patchListRows<SequenceInstance>(queryClient, listsKey, instanceId, optimisticPatch());
      return snapshot;
    },
    onServerResult: (queryClient: QueryClient, row: InstanceRow) =>
      patchListRows<SequenceInstance>(queryClient, listsKey, row.id, {
        status: row.status,
        current_step_order: row.current_step_order,
        paused_at: row.paused_at,
        resume_at: row.resume_at,
        resumed_at: row.resumed_at,
        completed_at: row.completed_at,
        cancelled_at: row.cancelled_at,
        updated_at: row.updated_at,
      }),
    invalidate: () => [sequenceInstanceQueries.all(organisationId)],
  };
}
