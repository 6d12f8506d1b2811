import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { organisationQueries } from '@/features/organisations/api/queries';
import type { Rep } from '@/features/restaurants/types';
import { useCurrentOrganisation } from '@/lib/organisation';

/** The organisation's members, as the restaurants feature needs them. */
export function useReps(): Rep[] {
  const organisation = useCurrentOrganisation();
  const members = useQuery(organisationQueries.members(organisation.id));
  return useMemo(
    () =>
      (members.data ?? []).map((member) => ({
        id: member.userId,
        name: member.fullName,
        email: member.email,
      })),
    [members.data],
  );
}
