import { useCallback, useState } from 'react';

// Per user and organisation: a second organisation (or a colleague on the same browser)
// still gets its own checklist.
const storageKey = (userId: string, organisationId: string) =>
  `forkflow:first-run-dismissed:${userId}:${organisationId}`;

function readDismissed(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/** Whether this user hid the first-run checklist for this organisation, and how to hide it. */
export function useFirstRunDismissed(userId: string, organisationId: string) {
  const key = storageKey(userId, organisationId);
  const [dismissed, setDismissed] = useState(() => readDismissed(key));
  const dismiss = useCallback(() => {
    setDismissed(true);
    try {
      localStorage.setItem(key, '1');
    } catch {
      // Private mode or full storage: hidden for this visit only.
    }
  }, [key]);
  return { dismissed, dismiss };
}
