import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AppError, raise } from '@/lib/errors';
import { jsonObjectFromText } from '@/lib/json-object';
import type { MutationConfig } from '@/lib/react-query';
import { supabase } from '@/lib/supabase';
import { cronProblem } from '../utils/cron';
import { EVENT_TYPES } from '../utils/events';
import { filterProblem } from '../utils/filter';
import { TRIGGER_KINDS, triggerQueries, type TriggerKind, type WorkflowTrigger } from './queries';

// One schema for the dialog (zodResolver) and the mutation: the kind's own fields are
// required and checked with the domain's rules (cron, the `when` filter syntax), the others
// are dropped before the RPC sees them. The server checks again (save_workflow_trigger).

export const triggerFormSchema = z
  .object({
    kind: z.enum(TRIGGER_KINDS),
    name: z.string().trim().min(1, 'Give the trigger a name').max(120, 'At most 120 characters'),
    enabled: z.boolean(),
    cron: z.string().trim(),
    eventType: z.enum(EVENT_TYPES).or(z.literal('')),
    eventFilter: z.string().trim().max(1000, 'At most 1,000 characters'),
    input: jsonObjectFromText({
      invalid: (reason) => `Not valid JSON: ${reason}`,
      notObject: 'The static input is a JSON object, e.g. {"source": "schedule"}',
    }),
  })
  .superRefine((values, ctx) => {
    if (values.kind === 'schedule') {
      const problem = values.cron ? cronProblem(values.cron) : 'Enter a cron expression';
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
    }
    if (values.kind === 'event') {
      if (!values.eventType) {
        ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'Choose an event' });
      }
      const problem = values.eventFilter ? filterProblem(values.eventFilter) : null;
      if (problem) ctx.addIssue({ code: 'custom', path: ['eventFilter'], message: problem });
    }
  });

export type TriggerFormValues = z.input<typeof triggerFormSchema>;
export type TriggerInput = z.output<typeof triggerFormSchema>;

export const emptyTriggerFormValues: TriggerFormValues = {
  kind: 'schedule',
  name: '',
  enabled: true,
  cron: '',
  eventType: '',
  eventFilter: '',
  input: '',
};

/** The dialog's values for an existing trigger. */
export function triggerFormValues(trigger: WorkflowTrigger): TriggerFormValues {
  const input = trigger.input as Record<string, unknown>;
  return {
    kind: trigger.kind as TriggerKind,
    name: trigger.name,
    enabled: trigger.enabled,
    cron: trigger.cron ?? '',
    eventType: (trigger.event_type ?? '') as TriggerFormValues['eventType'],
    eventFilter: trigger.event_filter ?? '',
    input: Object.keys(input).length > 0 ? JSON.stringify(input, null, 2) : '',
  };
}

/** What save_workflow_trigger takes (docs/automation-contract.md, "Triggers"). */
export function triggerPayload(
  input: TriggerInput,
  ids: { organisationId: string; workflowId: string; id?: string | undefined },
) {
  return {
    ...(ids.id ? { id: ids.id } : {}),
    organisation_id: ids.organisationId,
    workflow_id: ids.workflowId,
    kind: input.kind,
    name: input.name,
    enabled: input.enabled,
    input: input.input,
    ...(input.kind === 'schedule' ? { cron: input.cron } : {}),
    ...(input.kind === 'event'
      ? { event_type: input.eventType, event_filter: input.eventFilter || null }
      : {}),
  };
}

export type SavedTrigger = {
  id: string;
  /** A new webhook's signing secret: answered once, never readable again. */
  secret?: string | undefined;
};

/** The RPC answers the trigger (and, for a new webhook, its secret), flat or under `trigger`. */
export function readSavedTrigger(answer: unknown): SavedTrigger {
  const record = (answer ?? {}) as Record<string, unknown>;
  const nested = (record['trigger'] ?? {}) as Record<string, unknown>;
  const id = record['id'] ?? nested['id'];
  const secret = record['secret'] ?? nested['secret'];
  if (typeof id !== 'string') {
    throw new AppError('The trigger was saved, but the answer named no trigger. Reload the page.');
  }
  return { id, secret: typeof secret === 'string' ? secret : undefined };
}

/**
 * supabase.rpc for the trigger RPCs (jsonb in and out: the generated Json type would not take
 * the form's Record<string, unknown> without a cast at every call), with their refusals in words.
 */
export async function callTriggerRpc(
  name: 'save_workflow_trigger' | 'delete_workflow_trigger' | 'rotate_webhook_secret',
  args: Record<string, unknown>,
) {
  const rpc = supabase.rpc.bind(supabase) as unknown as (
    fn: string,
    args: Record<string, unknown>,
  ) => PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>;
  const { data, error } = await rpc(name, args);
  if (error) {
    if (error.code === 'forbidden') {
      throw new AppError('Only owners and admins can change triggers.', {
        code: error.code,
        cause: error,
      });
    }
    raise(error);
  }
  return data;
}

export async function saveTrigger({
  organisationId,
  workflowId,
  id,
  data,
}: {
  organisationId: string;
  workflowId: string;
  id?: string | undefined;
  data: TriggerFormValues;
}): Promise<SavedTrigger> {
  const input = triggerFormSchema.parse(data);
  const answer = await callTriggerRpc('save_workflow_trigger', {
    p_trigger: triggerPayload(input, { organisationId, workflowId, id }),
  });
  return readSavedTrigger(answer);
}

export function useSaveTrigger({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveTrigger>;
}) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveTrigger,
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: triggerQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
