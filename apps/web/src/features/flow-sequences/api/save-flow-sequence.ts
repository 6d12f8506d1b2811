import {
  saveFlowSequenceBodySchema,
  type SaveFlowSequenceBody,
} from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { flowSequenceQueries, type FlowSequence } from './queries';

// The editor and the function share one schema (packages/domain/src/flows/schemas.ts); the
// function also runs validateFlowSequence, as the editor does while the user types, and
// answers 400 invalid_sequence with details, or 409 stale when someone saved in between.
export const saveFlowSequenceInputSchema = saveFlowSequenceBodySchema;

export async function saveFlowSequence({
  body,
}: {
  organisationId: string;
  body: SaveFlowSequenceBody;
}) {
  const parsed = saveFlowSequenceInputSchema.parse(body);
  const answer = await invokeFunction<FlowSequence | { sequence: FlowSequence }>(
    'save-flow-sequence',
    { body: parsed },
  );
  return 'sequence' in answer ? answer.sequence : answer;
}

export function useSaveFlowSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof saveFlowSequence>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: saveFlowSequence,
    onSuccess: async (saved, ...args) => {
      queryClient.setQueryData(
        flowSequenceQueries.detail(organisationId, saved.id).queryKey,
        saved,
      );
      // The project page lists sequences (and the project's workflows grow with a save).
      await queryClient.invalidateQueries({ queryKey: ['orgs', organisationId, 'projects'] });
      return onSuccess?.(saved, ...args);
    },
  });
}
