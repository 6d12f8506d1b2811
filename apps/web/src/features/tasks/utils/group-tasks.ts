import type { TaskListItem } from '../api/queries';
import { dayKey } from './dates';

/** The due-date sections, and `all`: one list (closed tasks). */
export type TaskSectionId = 'overdue' | 'today' | 'upcoming' | 'no_due_date' | 'all';

export type TaskSection = {
  id: TaskSectionId;
  title: string;
  tasks: TaskListItem[];
};

export const taskSectionTitles: Record<Exclude<TaskSectionId, 'all'>, string> = {
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  no_due_date: 'No due date',
};

const order = ['overdue', 'today', 'upcoming', 'no_due_date'] as const;

/**
 * Sections of a rep's list by due date, as seen in `timeZone`: overdue (due before now),
 * today (the rest of today), upcoming (a later day) and no due date (later sequence steps,
 * paused sequences, undated ad-hoc tasks). A task keeps its section when its status
 * changes on screen, so completing one doesn't make the list jump. Empty sections are
 * left out; tasks keep their order within a section.
 */
export function groupTasksByDueDate(
  tasks: TaskListItem[],
  now: Date,
  timeZone: string,
): TaskSection[] {
  const today = dayKey(now, timeZone);
  const buckets = new Map<(typeof order)[number], TaskListItem[]>(order.map((id) => [id, []]));
  for (const task of tasks) {
    buckets.get(sectionOf(task, now, today, timeZone))?.push(task);
  }
  return order
    .map((id) => ({ id, title: taskSectionTitles[id], tasks: buckets.get(id) ?? [] }))
    .filter((section) => section.tasks.length > 0);
}

function sectionOf(
  task: TaskListItem,
  now: Date,
  today: string,
  timeZone: string,
): (typeof order)[number] {
  if (!task.due_date) return 'no_due_date';
  const due = new Date(task.due_date);
  if (due.getTime() < now.getTime()) return 'overdue';
  return dayKey(due, timeZone) === today ? 'today' : 'upcoming';
}

/**
 * The rows of a section's pages in order, each once: a refetched page can briefly overlap its
 * neighbour (a page refetches before the one after it), and a task shows once.
 */
export function mergePages(pages: ReadonlyArray<TaskListItem[] | undefined>): TaskListItem[] {
  const seen = new Set<string>();
  const rows: TaskListItem[] = [];
  for (const page of pages) {
    for (const task of page ?? []) {
      if (seen.has(task.id)) continue;
      seen.add(task.id);
      rows.push(task);
    }
  }
  return rows;
}
