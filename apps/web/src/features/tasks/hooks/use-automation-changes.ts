import { useEffect, useRef } from 'react';
import type { TaskListItem } from '../api/queries';

/**
 * Calls `onChanged` when a refetch shows an automated task in another state than before (its
 * job started, finished or failed). The server moved the sequence on by itself, so what
 * depends on tasks (the restaurant's sequence cards) is told as after a rep's complete.
 */
export function useAutomationChanges(
  tasks: readonly TaskListItem[] | undefined,
  onChanged: (() => void) | undefined,
) {
  const seen = useRef<Map<string, string> | null>(null);
  useEffect(() => {
    if (!tasks) return;
    const now = new Map(
      tasks
        .filter((task) => task.type === 'automated')
        .map((task) => [task.id, `${task.status}/${task.automation_status ?? ''}`]),
    );
    const before = seen.current;
    seen.current = now;
    if (!before) return;
    const changed = [...now].some(([id, state]) => before.has(id) && before.get(id) !== state);
    if (changed) onChanged?.();
  }, [tasks, onChanged]);
}
