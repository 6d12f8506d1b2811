import { createContext } from 'react';

/**
 * What a list's cards call after they changed a task themselves (Reopen, Snooze), so the app
 * refreshes what depends on tasks (a restaurant's sequence card). Without a provider the
 * task lists still refresh; only the app's extra refresh is skipped.
 */
export const TaskChangedContext = createContext<(() => void) | undefined>(undefined);
