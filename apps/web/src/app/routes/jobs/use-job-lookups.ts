import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { WorkflowOption } from '@/features/jobs/types';
import { organisationQueries } from '@/features/organisations/api/queries';
import { workflowQueries } from '@/features/workflows/api/queries';

/** Names for the ids a job carries: its workflow and who started it. */
export function useJobLookups(organisationId: string) {
  const workflows = useQuery(workflowQueries.list(organisationId));
  const members = useQuery(organisationQueries.members(organisationId));
  const workflowOptions = useMemo<WorkflowOption[] | undefined>(
    () =>
      workflows.data
        ?.map((workflow) => ({ id: workflow.id, name: workflow.name, key: workflow.key }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [workflows.data],
  );
  const workflowNames = useMemo(
    () => new Map((workflows.data ?? []).map((workflow) => [workflow.id, workflow.name])),
    [workflows.data],
  );
  const memberNames = useMemo(
    () => new Map((members.data ?? []).map((member) => [member.userId, member.fullName])),
    [members.data],
  );
  const workflowName = useCallback((id: string) => workflowNames.get(id), [workflowNames]);
  const memberName = useCallback((id: string) => memberNames.get(id), [memberNames]);
  return { workflowOptions, workflowName, memberName };
}
