import type { Tables } from '@forkflow/db';
import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';

// Triggers (issue 14 §3; docs/automation-contract.md, "Triggers"): what starts a workflow by
// itself. Members read them and their firings (RLS); writes go through the trigger RPCs.

export type TriggerFiring = Tables<'workflow_trigger_firings'>;
export type WorkflowTrigger = Tables<'workflow_triggers'> & { firings: TriggerFiring[] };
export type TriggerKind = 'schedule' | 'webhook' | 'event';

export const TRIGGER_KINDS = ['schedule', 'event', 'webhook'] as const satisfies TriggerKind[];

export const triggerKindLabels: Record<TriggerKind, string> = {
  schedule: 'Schedule',
  event: 'App event',
  webhook: 'Webhook',
};

/** How many of a trigger's latest firings the workflow page shows. */
export const FIRINGS_SHOWN = 5;

/**
 * A workflow's triggers, oldest first, each with its latest firings: one request, the
 * firings limited per trigger by PostgREST (workflow_trigger_firings_trigger_fired_idx).
 */
export async function getWorkflowTriggers(
  organisationId: string,
  workflowId: string,
): Promise<WorkflowTrigger[]> {
  const { data, error } = await supabase
    .from('workflow_triggers')
    .select('*, firings:workflow_trigger_firings(*)')
    .eq('organisation_id', organisationId)
    .eq('workflow_id', workflowId)
    .order('created_at')
    .order('id')
    .order('fired_at', { referencedTable: 'firings', ascending: false })
    .limit(FIRINGS_SHOWN, { referencedTable: 'firings' })
    .overrideTypes<WorkflowTrigger[], { merge: false }>();
  if (error) raise(error);
  return data;
}

/** Every trigger of the organisation, small: names for the jobs list's "Started by". */
export type TriggerName = Pick<Tables<'workflow_triggers'>, 'id' | 'name' | 'kind' | 'workflow_id'>;

export async function getTriggerNames(organisationId: string): Promise<TriggerName[]> {
  const { data, error } = await supabase
    .from('workflow_triggers')
    .select('id, name, kind, workflow_id')
    .eq('organisation_id', organisationId);
  if (error) raise(error);
  return data;
}

/** A sequence task a job does (automated step): where its link goes. */
export type OriginTask = Pick<
  Tables<'tasks'>,
  'id' | 'name' | 'restaurant_id' | 'sequence_instance_id' | 'sequence_step_order'
> & { restaurant: { name: string } | null };

export async function getOriginTask(organisationId: string, taskId: string) {
  const { data, error } = await supabase
    .from('tasks')
    .select(
      'id, name, restaurant_id, sequence_instance_id, sequence_step_order, restaurant:restaurants(name)',
    )
    .eq('organisation_id', organisationId)
    .eq('id', taskId)
    .maybeSingle()
    .overrideTypes<OriginTask | null, { merge: false }>();
  if (error) raise(error);
  return data;
}

/** The flow run a job is one flow of. */
export async function getOriginFlowRun(organisationId: string, runFlowId: string) {
  const { data, error } = await supabase
    .from('flow_sequence_run_flows')
    .select('id, run_id, position')
    .eq('organisation_id', organisationId)
    .eq('id', runFlowId)
    .maybeSingle();
  if (error) raise(error);
  return data;
}

export const triggerQueries = {
  all: (organisationId: string) => ['orgs', organisationId, 'workflow-triggers'] as const,
  lists: (organisationId: string) => [...triggerQueries.all(organisationId), 'list'] as const,
  list: (organisationId: string, workflowId: string) =>
    queryOptions({
      queryKey: [...triggerQueries.lists(organisationId), workflowId] as const,
      queryFn: () => getWorkflowTriggers(organisationId, workflowId),
    }),
  names: (organisationId: string) =>
    queryOptions({
      queryKey: [...triggerQueries.all(organisationId), 'names'] as const,
      queryFn: () => getTriggerNames(organisationId),
      staleTime: 60_000,
    }),
  originTask: (organisationId: string, taskId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'job-origin', 'task', taskId] as const,
      queryFn: () => getOriginTask(organisationId, taskId),
      staleTime: 5 * 60_000,
    }),
  originFlowRun: (organisationId: string, runFlowId: string) =>
    queryOptions({
      queryKey: ['orgs', organisationId, 'job-origin', 'flow-run', runFlowId] as const,
      queryFn: () => getOriginFlowRun(organisationId, runFlowId),
      staleTime: 5 * 60_000,
    }),
};
