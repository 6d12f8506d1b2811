import type { PostgrestError } from '@supabase/supabase-js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AppError, raise } from '@/lib/errors';
import type { MutationConfig } from '@/lib/react-query';
import { jobQueries } from './queries';

const sentence = (text: string) => {
  const trimmed = text.trim().replace(/[.]$/, '');
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}.` : '';
};

/**
 * The job RPCs refuse in words (docs/workflows-contract.md): 409 `job_finished`,
 * `job_not_failed` (the state moved on meanwhile), not found. Show those words.
 */
export function raiseJobError(error: PostgrestError): never {
  if (/^(job_|not_found|forbidden)/.test(error.code) && error.message) {
    throw new AppError(`${sentence(error.message)} The page now shows its current state.`, {
      code: error.code,
      cause: error,
    });
  }
  raise(error);
}

export type JobActionArgs = { organisationId: string; id: string };
export type JobActionFn = (args: JobActionArgs) => Promise<unknown>;

/** Cancel and retry share this: refresh the job and the lists once the server answers. */
export function useJobAction(
  mutationFn: JobActionFn,
  {
    organisationId,
    mutationConfig,
  }: { organisationId: string; mutationConfig?: MutationConfig<JobActionFn> | undefined },
) {
  const queryClient = useQueryClient();
  const { onSettled, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn,
    onSettled: async (data, error, variables, ...more) => {
      await Promise.all([
        queryClient.invalidateQueries({
          queryKey: jobQueries.detail(organisationId, variables.id).queryKey,
        }),
        queryClient.invalidateQueries({ queryKey: jobQueries.lists(organisationId) }),
      ]);
      return onSettled?.(data, error, variables, ...more);
    },
  });
}
