import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useParams } from 'react-router';
import { RunDetails } from '@/features/flow-runs/components/run-details';
import { organisationQueries } from '@/features/organisations/api/queries';
import { useCurrentOrganisation } from '@/lib/organisation';

// /flow-runs/:runId: a run's progress, polled while it runs, with the debug controls.
export function Component() {
  const { runId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const members = useQuery(organisationQueries.members(organisation.id));
  const names = useMemo(
    () => new Map((members.data ?? []).map((member) => [member.userId, member.fullName])),
    [members.data],
  );
  const memberName = useCallback((id: string) => names.get(id), [names]);
  return (
    <>
      <title>{`Run · ${organisation.name} · Forkflow`}</title>
      <RunDetails key={runId} runId={runId} memberName={memberName} />
    </>
  );
}
