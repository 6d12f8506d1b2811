import { z } from 'zod';
import {
  useOptimisticMutation,
  type OptimisticMutationConfig,
} from '@/hooks/use-optimistic-mutation';
import { AppError, raise } from '@/lib/errors';
import { snapshotQueries } from '@/lib/optimistic';
import { supabase } from '@/lib/supabase';
import { projectQueries, type Project } from './queries';

export const setProjectEnvironmentInputSchema = z.object({
  projectId: z.uuid(),
  environmentId: z.uuid().nullable(),
});

/**
 * Links a project to one environment (null unlinks): one click switches staging ↔ production,
 * and what runs resolve changes with it. Owners/admins (the RPC checks).
 */
export async function setProjectEnvironment({
  organisationId: _organisationId,
  ...data
}: {
  organisationId: string;
  projectId: string;
  environmentId: string | null;
}) {
  const { projectId, environmentId } = setProjectEnvironmentInputSchema.parse(data);
  const { error } = await supabase.rpc('set_project_environment', {
    p_project_id: projectId,
    // The generated types say string; SQL takes null to unlink.
    p_environment_id: environmentId as string,
  });
  if (error) {
    if (error.code === 'forbidden' || error.code === '42501') {
      throw new AppError('Only owners and admins can change a project’s environment.', {
        code: 'forbidden',
        cause: error,
      });
    }
    raise(error);
  }
}

export function useSetProjectEnvironment({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: OptimisticMutationConfig<typeof setProjectEnvironment>;
}) {
  return useOptimisticMutation({
    mutationFn: setProjectEnvironment,
    apply: async (queryClient, { projectId, environmentId }) => {
      const key = projectQueries.detail(organisationId, projectId).queryKey;
      const snapshot = await snapshotQueries(queryClient, [
        key,
        projectQueries.lists(organisationId),
      ]);
      queryClient.setQueryData<Project>(key, (old) =>
        old ? { ...old, environment_id: environmentId } : old,
      );
      return snapshot;
    },
    invalidate: ({ projectId }) => [
      projectQueries.detail(organisationId, projectId).queryKey,
      projectQueries.lists(organisationId),
    ],
    mutationConfig,
  });
}
