import { describe, expect, it } from 'vitest';
import { taskItem } from '@/testing/task-fixtures';
import { groupTasksByDueDate, mergePages } from '../group-tasks';

const ids = (sections: ReturnType<typeof groupTasksByDueDate>) =>
  Object.fromEntries(sections.map((section) => [section.id, section.tasks.map((t) => t.id)]));

describe('groupTasksByDueDate', () => {
  const now = new Date('2026-11-27T10:30:00Z'); // Friday, 10:30 in London

  it('puts tasks in Overdue, Today, Upcoming and No due date, in that order, leaving out empty ones', () => {
    const tasks = [
      taskItem({ id: 'upcoming', due_date: '2026-11-28T09:00:00Z' }),
      taskItem({ id: 'overdue-yesterday', due_date: '2026-11-26T16:00:00Z' }),
      taskItem({ id: 'pending', status: 'pending', due_date: null }),
      taskItem({ id: 'overdue-this-morning', due_date: '2026-11-27T09:00:00Z' }),
      taskItem({ id: 'today', due_date: '2026-11-27T23:30:00Z' }),
    ];
    const sections = groupTasksByDueDate(tasks, now, 'Europe/London');
    expect(sections.map((section) => section.title)).toEqual([
      'Overdue',
      'Today',
      'Upcoming',
      'No due date',
    ]);
    expect(ids(sections)).toEqual({
      overdue: ['overdue-yesterday', 'overdue-this-morning'],
      today: ['today'],
      upcoming: ['upcoming'],
      no_due_date: ['pending'],
    });
    expect(groupTasksByDueDate([tasks[0]!], now, 'Europe/London').map((s) => s.id)).toEqual([
      'upcoming',
    ]);
  });

  // "Today" is the organisation's day, not UTC's.
  it.each([
    // zone, due, section
    ['UTC', '2026-11-27T04:30:00Z', 'today'],
    ['UTC', '2026-11-27T06:00:00Z', 'today'],
    ['America/New_York', '2026-11-27T04:30:00Z', 'today'], // 23:30 on the 26th there
    ['America/New_York', '2026-11-27T06:00:00Z', 'upcoming'], // 01:00 on the 27th there
    ['Asia/Tokyo', '2026-11-27T14:00:00Z', 'today'], // 23:00 on the 27th there
    ['Asia/Tokyo', '2026-11-27T15:30:00Z', 'upcoming'], // 00:30 on the 28th there
  ])('in %s, a task due %s counts as %s', (zone, due, expected) => {
    const early = new Date('2026-11-27T03:00:00Z'); // 22:00 on the 26th in New York
    const sections = groupTasksByDueDate([taskItem({ id: 'x', due_date: due })], early, zone);
    expect(sections.map((section) => section.id)).toEqual([expected]);
  });

  it('keeps a task in its section when it is completed on screen, so the list does not jump', () => {
    const sections = groupTasksByDueDate(
      [taskItem({ id: 'done', status: 'completed', due_date: '2026-11-27T09:00:00Z' })],
      now,
      'Europe/London',
    );
    expect(ids(sections)).toEqual({ overdue: ['done'] });
  });
});

describe('mergePages', () => {
  it('joins pages in order and shows a task on two pages once, where it came first', () => {
    const a = taskItem({ id: 'a' });
    const b = taskItem({ id: 'b' });
    const c = taskItem({ id: 'c', status: 'completed' });
    const later = { ...b, name: 'b, as the later page had it' };
    const merged = mergePages([[a, b], undefined, [later, c]]);
    expect(merged.map((task) => task.id)).toEqual(['a', 'b', 'c']);
    expect(merged[1]).toBe(b);
  });
});
