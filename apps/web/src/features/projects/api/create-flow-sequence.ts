import { saveFlowSequenceBodySchema } from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { projectQueries } from './queries';

/** A new sequence is a name; its parameters and flows are set in the editor it opens. */
export const createFlowSequenceInputSchema = z.object({
  name: saveFlowSequenceBodySchema.shape.name,
});
export type CreateFlowSequenceValues = z.input<typeof createFlowSequenceInputSchema>;

type SavedSequence = { id: string; project_id: string; name: string };

/** save-flow-sequence with no flows: the server puts it last in the project's order. */
export async function createFlowSequence({
  projectId,
  data,
}: {
  organisationId: string;
  projectId: string;
  data: CreateFlowSequenceValues;
}): Promise<SavedSequence> {
  const { name } = createFlowSequenceInputSchema.parse(data);
  const result = await invokeFunction<SavedSequence | { sequence: SavedSequence }>(
    'save-flow-sequence',
    { body: { project_id: projectId, name, parameters: [], flows: [] } },
  );
  return 'sequence' in result ? result.sequence : result;
}

export function useCreateFlowSequence({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof createFlowSequence>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: createFlowSequence,
    onSuccess: async (sequence, variables, ...args) => {
      await queryClient.invalidateQueries({
        queryKey: projectQueries.sequenceLists(organisationId, variables.projectId),
      });
      return onSuccess?.(sequence, variables, ...args);
    },
  });
}
