import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { FunctionError, invokeFunction } from '@/lib/edge-functions';
import { jsonObjectFromText } from '@/lib/json-object';
import type { MutationConfig } from '@/lib/react-query';

/** The run dialog's input: a JSON object, as text. Shared by the dialog and the mutation. */
export const jobInputSchema = jsonObjectFromText({
  invalid: (reason) => `Not valid JSON: ${reason}`,
  notObject: 'The input must be a JSON object, like {"payload": 1}',
});

export const startWorkflowInputSchema = z.object({
  workflowId: z.uuid(),
  /** JSON text (the plain editor) or the object a typed form built (declared inputs). */
  input: z.union([jobInputSchema, z.record(z.string(), z.unknown())]),
  /** One per dialog opening: a double submit or a retried request starts one job. */
  idempotencyKey: z.string().min(1).max(200),
  /** A re-run: the job it re-runs (start-workflow records it as jobs.rerun_of). */
  rerunOf: z.string().optional(),
});

export type StartedJob = { job_id: string; status: string; created_at: string };

/** start-workflow inserts the job and kicks the orchestrator, so a short job runs at once. */
export async function startWorkflow({
  organisationId,
  ...data
}: {
  organisationId: string;
} & z.input<typeof startWorkflowInputSchema>): Promise<StartedJob> {
  const { workflowId, input, idempotencyKey, rerunOf } = startWorkflowInputSchema.parse(data);
  try {
    return await invokeFunction<StartedJob>('start-workflow', {
      body: {
        workflow_id: workflowId,
        input_data: input,
        organisation_id: organisationId,
        ...(rerunOf ? { rerun_of: rerunOf } : {}),
      },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  } catch (error) {
    if (
      error instanceof FunctionError &&
      error.status === 409 &&
      error.code !== 'idempotency_conflict'
    ) {
      throw new FunctionError('This workflow is archived: restore it before running it.', {
        status: 409,
        code: error.code ?? 'workflow_archived',
        cause: error,
      });
    }
    throw error;
  }
}

// The jobs lists belong to the jobs feature: the route refreshes them on success.
export function useStartWorkflow({
  mutationConfig,
}: {
  mutationConfig?: MutationConfig<typeof startWorkflow>;
} = {}) {
  return useMutation({ ...mutationConfig, mutationFn: startWorkflow });
}
