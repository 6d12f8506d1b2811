import { queryOptions } from '@tanstack/react-query';
import { raise } from '@/lib/errors';
import { supabase } from '@/lib/supabase';
import { workflowQueries } from './queries';

/** A project flow sequence that runs a workflow (public.workflow_used_by). */
export type WorkflowUse = {
  project_id: string;
  project_name: string;
  flow_sequence_id: string;
  flow_sequence_name: string;
};

/** A workflow whose current definition has a step running a transformer. */
export type TransformerUse = { workflow_id: string; key: string; name: string; status: string };

/** The project sequences that run the workflow (any member may ask). */
export async function getWorkflowUsedBy(id: string): Promise<WorkflowUse[]> {
  const { data, error } = await supabase.rpc('workflow_used_by', { p_workflow_id: id });
  if (error) raise(error);
  return data;
}

/** The organisation's workflows (archived too, not trashed) running the transformer, by name. */
export async function getTransformerUsedBy(
  organisationId: string,
  transformerId: string,
): Promise<TransformerUse[]> {
  const { data, error } = await supabase.rpc('transformer_used_by', {
    p_organisation_id: organisationId,
    p_transformer_id: transformerId,
  });
  if (error) raise(error);
  return data;
}

export const usedByQueries = {
  workflow: (organisationId: string, id: string) =>
    queryOptions({
      queryKey: [...workflowQueries.all(organisationId), 'used-by', id] as const,
      queryFn: () => getWorkflowUsedBy(id),
    }),
  // Under the workflows key: it is a fact about the workflows (deleting one refreshes it).
  transformer: (organisationId: string, transformerId: string) =>
    queryOptions({
      queryKey: [
        ...workflowQueries.all(organisationId),
        'transformer-used-by',
        transformerId,
      ] as const,
      queryFn: () => getTransformerUsedBy(organisationId, transformerId),
    }),
};
