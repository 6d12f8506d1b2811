import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import {
  readStoredOrganisationId,
  storeOrganisationId,
  type CurrentOrganisation,
} from '@/lib/organisation';
import { organisationQueries } from '../api/queries';

/** The remembered organisation if the user still belongs to it, otherwise the first. */
export function chooseOrganisation(
  list: readonly CurrentOrganisation[],
  chosenId: string | null,
): CurrentOrganisation | null {
  return list.find((organisation) => organisation.id === chosenId) ?? list[0] ?? null;
}

/**
 * Which of the user's organisations is current: the remembered choice if the user
 * still belongs to it, otherwise the first one (by name).
 */
export function useCurrentOrganisationChoice(userId: string) {
  const memberships = useQuery(organisationQueries.memberships(userId));
  const [chosenId, setChosenId] = useState(() => readStoredOrganisationId(userId));

  const select = useCallback(
    (organisationId: string) => {
      storeOrganisationId(userId, organisationId);
      setChosenId(organisationId);
    },
    [userId],
  );

  const list = memberships.data ?? [];
  const current = chooseOrganisation(list, chosenId);

  return { memberships, list, current, select };
}
