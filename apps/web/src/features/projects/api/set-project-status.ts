import { PROJECT_STATUSES } from '@forkflow/domain/flows/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { MutationConfig } from '@/lib/react-query';
import { projectQueries, type Project } from './queries';
import { postProject, projectBody } from './save-project';

export const setProjectStatusInputSchema = z.object({ status: z.enum(PROJECT_STATUSES) });

/** Archive or restore a project (owners/admins): the project saved as it is, status changed. */
export async function setProjectStatus({
  project,
  ...data
}: {
  project: Project;
  status: 'active' | 'archived';
}) {
  const { status } = setProjectStatusInputSchema.parse(data);
  return postProject({ ...projectBody(project), status });
}

export function useSetProjectStatus({
  organisationId,
  mutationConfig,
}: {
  organisationId: string;
  mutationConfig?: MutationConfig<typeof setProjectStatus>;
}) {
  const queryClient = useQueryClient();
  const { onSuccess, ...rest } = mutationConfig ?? {};
  return useMutation({
    ...rest,
    mutationFn: setProjectStatus,
    onSuccess: async (saved, ...args) => {
      queryClient.setQueryData(
        projectQueries.detail(organisationId, saved.project.id).queryKey,
        saved.project,
      );
      await queryClient.invalidateQueries({ queryKey: projectQueries.lists(organisationId) });
      return onSuccess?.(saved, ...args);
    },
  });
}
