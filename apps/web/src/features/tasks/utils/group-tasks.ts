import type { TaskListItem } from '../api/queries';
import { dayKey } from './dates';

export type TaskSectionId = 'overdue' | 'today' | 'upcoming' | 'no_due_date';

export type TaskSection = {
  id: TaskSectionId;
  title: string;
  tasks: TaskListItem[];
};

const titles: Record<TaskSectionId, string> = {
  overdue: 'Overdue',
  today: 'Today',
  upcoming: 'Upcoming',
  no_due_date: 'No due date',
};

const order: TaskSectionId[] = ['overdue', 'today', 'upcoming', 'no_due_date'];

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
  const buckets = new Map<TaskSectionId, TaskListItem[]>(order.map((id) => [id, []]));
  for (const task of tasks) {
    buckets.get(sectionOf(task, now, today, timeZone))?.push(task);
  }
  return order
    .map((id) => ({ id, title: titles[id], tasks: buckets.get(id) ?? [] }))
    .filter((section) => section.tasks.length > 0);
}

function sectionOf(task: TaskListItem, now: Date, today: string, timeZone: string): TaskSectionId {
  if (!task.due_date) return 'no_due_date';
  const due = new Date(task.due_date);
  if (due.getTime() < now.getTime()) return 'overdue';
  return dayKey(due, timeZone) === today ? 'today' : 'upcoming';
}
