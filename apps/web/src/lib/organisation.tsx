import { createContext, use } from 'react';

export type OrganisationRole = 'owner' | 'admin' | 'member';

export type CurrentOrganisation = {
  id: string;
  name: string;
  role: OrganisationRole;
};

/**
 * The organisation (tenant) the user is working in. Provided by the app shell once
 * memberships are loaded; every feature scopes its queries by `id`.
 */
export const OrganisationContext = createContext<CurrentOrganisation | null>(null);

export function useCurrentOrganisation(): CurrentOrganisation {
  const organisation = use(OrganisationContext);
  if (!organisation) throw new Error('useCurrentOrganisation must be used inside the app shell');
  return organisation;
}

// The choice is remembered per user: two people sharing a browser keep their own.
const storageKey = (userId: string) => `forkflow:organisation:${userId}`;

export function readStoredOrganisationId(userId: string): string | null {
  try {
    return localStorage.getItem(storageKey(userId));
  } catch {
    return null;
  }
}

export function storeOrganisationId(userId: string, organisationId: string) {
  try {
    localStorage.setItem(storageKey(userId), organisationId);
  } catch {
    // Private mode or full storage: the choice just isn't remembered.
  }
}
