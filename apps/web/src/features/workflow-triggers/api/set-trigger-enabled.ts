import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MutationConfig } from '@/lib/react-query';
import { triggerQueries, type WorkflowTrigger } from './queries';
import { callTriggerRpc } from './save-trigger';

/**
 * Switch a trigger on or off: save_workflow_trigger with its stored fields and the new
 * `enabled` (the RPC updates by id). The switch moves at once and goes back if refused.
 */
export async function setTriggerEnabled({
  trigger,
  enabled,
}: {
  trigger: WorkflowTrigger;
  enabled: boolean;
}) {
  await callTriggerRpc('save_workflow_trigger', {
    p_trigger: {
      id: trigger.id,
      organisation_id: trigger.organisation_id,
      workflow_id: trigger.workflow_id,
      kind: trigger.kind,
      name: trigger.name,
      enabled,
      input: trigger.input,
      ...(trigger.kind === 'schedule' ? { cron: trigger.cron, timezone: trigger.timezone } : {}),
      ...(trigger.kind === 'event'
        ? { event_type: trigger.event_type, event_filter: trigger.event_filter }
        : {}),
    },
  });
}

export function useSetTriggerEnabled({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setTriggerEnabled, { previous?: WorkflowTrigger[] }>;
}) {
  const queryClient = useQueryClient();
  const { onMutate, onError, onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setTriggerEnabled,
    onMutate: async (variables, context) => {
      const { queryKey } = triggerQueries.list(organisationId, variables.trigger.workflow_id);
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      queryClient.setQueryData(queryKey, (rows) =>
        rows?.map((row) =>
          row.id === variables.trigger.id ? { ...row, enabled: variables.enabled } : row,
        ),
      );
      await onMutate?.(variables, context);
      return { previous };
    },
    onError: (error, variables, result, context) => {
      if (result?.previous) {
        queryClient.setQueryData(
          triggerQueries.list(organisationId, variables.trigger.workflow_id).queryKey,
          result.previous,
        );
      }
      return onError?.(error, variables, result, context);
    },
    onSettled: async (...args) => {
      await queryClient.invalidateQueries({ queryKey: triggerQueries.all(organisationId) });
      return onSettled?.(...args);
    },
  });
}
