import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { cn } from '@/lib/utils';
import type { TaskListItem } from '../api/queries';
import { useTaskShortcuts } from '../hooks/use-task-shortcuts';
import { closedTaskStatuses } from '../types';
import { groupTasksByDueDate, type TaskSection } from '../utils/group-tasks';
import { TaskCard } from './task-card';

/** A section as the caller built it (My tasks: a server section with its count and pages). */
export type TaskSectionView = TaskSection & {
  /** What the badge says ("230", "1,000+"); the number of tasks shown when absent. */
  count?: string;
  /** Under the section's list: My tasks' "Load more". */
  footer?: ReactNode;
};

type Props = {
  tasks: TaskListItem[];
  /** Ready-made sections; `tasks` and `grouping` are then not used for grouping. */
  sections?: TaskSectionView[];
  timeZone: string;
  now: Date;
  onComplete: (task: TaskListItem) => void;
  onSkip: (task: TaskListItem) => void;
  /** By due date (open work), or one list titled `title` (completed, skipped…). */
  grouping: 'due-date' | 'none';
  title?: string;
  showRestaurant?: boolean;
  /** j/k/c/s on this list (one list per page). */
  shortcuts?: boolean;
};

const sectionTone: Record<string, string> = {
  overdue: 'text-red-700',
  today: 'text-brand-700',
  upcoming: 'text-slate-700',
  no_due_date: 'text-slate-500',
};

/** Tasks in sections, with keyboard navigation over all of them in reading order. */
export function TaskSections({
  tasks,
  sections: givenSections,
  timeZone,
  now,
  onComplete,
  onSkip,
  grouping,
  title = 'Tasks',
  showRestaurant = true,
  shortcuts = false,
}: Props) {
  const sections: TaskSectionView[] = useMemo(
    () =>
      givenSections ??
      (grouping === 'due-date'
        ? groupTasksByDueDate(tasks, now, timeZone)
        : [{ id: 'all', title, tasks }]),
    [givenSections, grouping, title, tasks, now, timeZone],
  );
  const ordered = useMemo(() => sections.flatMap((section) => section.tasks), [sections]);

  // The keyboard's current task: by id, or (when it just left the list) by position.
  // `shown`: moved there by j/k, so it is outlined (a click only remembers the place).
  const [cursor, setCursor] = useState<{ id: string; index: number; shown: boolean } | null>(null);
  const currentIndex = useMemo(() => {
    if (!cursor || ordered.length === 0) return -1;
    const byId = ordered.findIndex((task) => task.id === cursor.id);
    return byId >= 0 ? byId : Math.min(cursor.index, ordered.length - 1);
  }, [cursor, ordered]);
  const current = currentIndex >= 0 ? ordered[currentIndex] : undefined;

  const cards = useRef(new Map<string, HTMLElement>());

  const moveTo = useCallback(
    (index: number) => {
      const task = ordered[index];
      if (!task) return;
      setCursor({ id: task.id, index, shown: true });
      const element = cards.current.get(task.id);
      element?.focus({ preventScroll: true });
      element?.scrollIntoView?.({ block: 'nearest' });
    },
    [ordered],
  );

  useTaskShortcuts({
    enabled: shortcuts && ordered.length > 0,
    onMove: (delta) =>
      moveTo(
        currentIndex < 0 ? 0 : Math.max(0, Math.min(ordered.length - 1, currentIndex + delta)),
      ),
    onComplete: () => {
      if (current && !closedTaskStatuses.has(current.status)) onComplete(current);
    },
    onSkip: () => {
      if (current && !closedTaskStatuses.has(current.status)) onSkip(current);
    },
  });

  return (
    <div className="space-y-8">
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={`tasks-section-${section.id}`}>
          <h2
            id={`tasks-section-${section.id}`}
            className={cn(
              'mb-3 flex items-center gap-2 text-sm font-semibold',
              sectionTone[section.id] ?? 'text-slate-700',
            )}
          >
            {section.title}
            <span className="rounded-full bg-slate-200/70 px-2 py-0.5 text-xs font-medium text-slate-700">
              {section.count ?? section.tasks.length}
            </span>
          </h2>
          <ul className="space-y-3">
            {section.tasks.map((task) => (
              <li key={task.id}>
                <TaskCard
                  task={task}
                  timeZone={timeZone}
                  now={now}
                  onComplete={onComplete}
                  onSkip={onSkip}
                  showRestaurant={showRestaurant}
                  isCurrent={shortcuts && Boolean(cursor?.shown) && current?.id === task.id}
                  onFocus={() =>
                    setCursor((previous) => ({
                      id: task.id,
                      index: ordered.findIndex((t) => t.id === task.id),
                      shown: previous?.id === task.id ? previous.shown : false,
                    }))
                  }
                  ref={(element: HTMLElement | null) => {
                    if (element) cards.current.set(task.id, element);
                    else cards.current.delete(task.id);
                  }}
                />
              </li>
            ))}
          </ul>
          {section.footer}
        </section>
      ))}
    </div>
  );
}
