import type { WorkflowExport } from '@forkflow/domain/workflow-export';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invokeFunction } from '@/lib/edge-functions';
import type { MutationConfig } from '@/lib/react-query';
import { workflowQueries, type Workflow } from './queries';

/**
 * Creates a workflow from an export file (already shape-checked with workflowExportSchema)
 * through save-workflow, which validates the definition against this organisation's
 * transformers and the retry policy: its 400 details and 409 key_taken come back as a
 * FunctionError (describeSaveWorkflowError words them).
 */
export async function importWorkflow({
  organisationId,
  file,
  key,
  fileName,
}: {
  organisationId: string;
  file: WorkflowExport;
  /** The key to create it under: the file's, or another when that one is taken. */
  key: string;
  fileName: string;
}): Promise<Workflow> {
  return invokeFunction<Workflow>('save-workflow', {
    body: {
      organisation_id: organisationId,
      key,
      name: file.name,
      description: file.description,
      definition: file.definition,
      retry_policy: file.retry_policy,
      change_description: `Imported from ${fileName}`.slice(0, 500),
    },
  });
}

export function useImportWorkflow({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof importWorkflow>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: importWorkflow,
    onSuccess: async (workflow, ...args) => {
      await queryClient.invalidateQueries({ queryKey: workflowQueries.lists(organisationId) });
      return onSuccess?.(workflow, ...args);
    },
  });
}
