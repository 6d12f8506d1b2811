import { useQuery } from '@tanstack/react-query';
import { CheckCheck, ChevronDown, Keyboard, SearchX, SlidersHorizontal } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import {
  formatTaskCount,
  sectionCount,
  sectionsFor,
  taskListAsOf,
  taskQueries,
  taskStatusFilterLabels,
  toTaskQuery,
  type TaskCounts,
} from '../api/queries';
import { useNow } from '@/hooks/use-now';
import { useSectionPages, type SectionPages, type SectionsBase } from '../hooks/use-section-pages';
import { useTaskActions } from '../hooks/use-task-actions';
import { useTaskFilters } from '../hooks/use-task-filters';
import type { Assignee } from '../types';
import { dayKey } from '../utils/dates';
import { taskSectionTitles } from '../utils/group-tasks';
import { TaskFiltersBar } from './task-filters-bar';
import { TaskChangedContext } from '../hooks/task-changed-context';
import { TaskSections, type TaskSectionView } from './task-sections';

type Props = {
  /** The organisation's calendar time zone, or the browser's. */
  timeZone: string;
  assignees: Assignee[];
  onAddTask: () => void;
  /** After a complete/skip settles (the app refreshes what depends on tasks). */
  onTasksChanged?: () => void;
};

/** The rep's home: their tasks by due date, with filters in the URL. */
export function MyTasks({ timeZone, assignees, onAddTask, onTasksChanged }: Props) {
  const user = useUser();
  const { filters, setFilters, hasFilters, clearFilters } = useTaskFilters();
  const now = useNow();
  const query = toTaskQuery(filters, user.id);
  const queryKey = JSON.stringify(query);
  // Sections are cut at one "now" (every page of a section agrees where overdue ends), taken
  // when the filters change; a new day takes it again, so "Today" is today.
  const day = dayKey(now, timeZone);
  const [asOf, setAsOf] = useState(() => ({ at: taskListAsOf(now), day, queryKey }));
  if (day !== asOf.day || queryKey !== asOf.queryKey) {
    setAsOf({ at: taskListAsOf(now), day, queryKey });
  }
  const base: SectionsBase = useMemo(
    () => ({ query: JSON.parse(queryKey) as typeof query, asOf: asOf.at, timeZone }),
    [queryKey, asOf.at, timeZone],
  );
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersId = useId();

  return (
    <div className="space-y-5">
      <div className="rounded-xl bg-white p-3 shadow-xs ring-1 ring-slate-200 sm:p-4">
        {/* Phone: the filters fold away behind one button, so tasks start higher up. */}
        <button
          type="button"
          aria-expanded={filtersOpen}
          aria-controls={filtersId}
          onClick={() => setFiltersOpen((open) => !open)}
          className="flex w-full items-center justify-between gap-2 rounded-md text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-600 sm:hidden"
        >
          <span className="inline-flex items-center gap-2">
            <SlidersHorizontal className="size-4 text-slate-500" aria-hidden />
            Filters
            {hasFilters ? (
              <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700">
                on
              </span>
            ) : null}
          </span>
          <ChevronDown
            className={cn(
              'size-4 text-slate-500 transition-transform',
              filtersOpen && 'rotate-180',
            )}
            aria-hidden
          />
        </button>
        <div id={filtersId} className={cn(!filtersOpen && 'max-sm:hidden', 'max-sm:mt-3')}>
          <TaskFiltersBar
            filters={filters}
            setFilters={setFilters}
            hasFilters={hasFilters}
            clearFilters={clearFilters}
            assignees={assignees}
            currentUserId={user.id}
          />
        </div>
      </div>

      {/* Other filters or another day start again at the first pages. */}
      {/* Reopen and Snooze act from the card: they refresh the page's sequences through this. */}
      <TaskChangedContext value={onTasksChanged}>
        <TaskList
          key={`${queryKey}|${asOf.at}|${timeZone}`}
          base={base}
          now={now}
          timeZone={timeZone}
          hasFilters={hasFilters}
          clearFilters={clearFilters}
          onAddTask={onAddTask}
          onTasksChanged={onTasksChanged}
        />
      </TaskChangedContext>
    </div>
  );
}

type TaskListProps = {
  base: SectionsBase;
  now: Date;
  timeZone: string;
  hasFilters: boolean;
  clearFilters: () => void;
  onAddTask: () => void;
  onTasksChanged?: () => void;
};

/** The sections of one set of filters, each with its count and "Load more". */
function TaskList({
  base,
  now,
  timeZone,
  hasFilters,
  clearFilters,
  onAddTask,
  onTasksChanged,
}: TaskListProps) {
  const organisation = useCurrentOrganisation();
  const status = base.query.status;
  const open = status === 'active' || status === 'pending';
  const sectionIds = sectionsFor(status);
  const pages = useSectionPages(base, sectionIds);
  const counts = useQuery(
    taskQueries.counts(organisation.id, base.query, base.asOf, base.timeZone),
  );
  const { onComplete, onSkip } = useTaskActions({ timeZone, onChanged: onTasksChanged });
  const title = taskStatusFilterLabels[status];

  const views: TaskSectionView[] = pages.sections
    .filter((section) => section.tasks.length > 0)
    .map((section) => ({
      id: section.section,
      title: section.section === 'all' ? title : taskSectionTitles[section.section],
      tasks: section.tasks,
      count: countLabel(counts.data, section),
      footer: <LoadMore section={section} counts={counts.data} title={title} />,
    }));

  if (pages.isPending) return <TaskListSkeleton />;
  if (pages.error) {
    return (
      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        <ErrorState
          title="Couldn't load your tasks"
          message={getErrorMessage(pages.error)}
          onRetry={() => {
            pages.refetch();
            void counts.refetch();
          }}
          isRetrying={pages.isFetching}
        />
      </div>
    );
  }
  if (views.length === 0) {
    return (
      <div className="rounded-xl bg-white ring-1 ring-slate-200">
        {hasFilters ? (
          <EmptyState
            icon={<SearchX className="size-6" aria-hidden />}
            title={`No ${title.toLowerCase()} tasks match`}
            description="Try other filters, or reset them to see what's on your plate."
            action={
              <Button variant="secondary" onClick={clearFilters}>
                Reset filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<CheckCheck className="size-6" aria-hidden />}
            title="You're all caught up"
            description="Nothing to do right now. Tasks appear here when a sequence step comes due or when you add one."
            action={<Button onClick={onAddTask}>Add a task</Button>}
          />
        )}
      </div>
    );
  }
  const refreshError = pages.refreshError ?? (counts.isError ? counts.error : null);
  return (
    <div
      className={cn('transition-opacity', pages.isFetching && 'opacity-90')}
      aria-busy={pages.isFetching || undefined}
    >
      {refreshError ? (
        <p
          role="alert"
          className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
        >
          Couldn’t refresh: {getErrorMessage(refreshError)}
        </p>
      ) : null}
      {open ? (
        <p className="mb-4 hidden items-center gap-1.5 text-xs text-slate-500 sm:flex">
          <Keyboard className="size-3.5" aria-hidden />
          Shortcuts: <kbd className="font-sans font-semibold">j</kbd>/
          <kbd className="font-sans font-semibold">k</kbd> move,{' '}
          <kbd className="font-sans font-semibold">c</kbd> complete,{' '}
          <kbd className="font-sans font-semibold">s</kbd> skip,{' '}
          <kbd className="font-sans font-semibold">z</kbd> snooze
        </p>
      ) : null}
      <TaskSections
        tasks={[]}
        sections={views}
        timeZone={timeZone}
        now={now}
        onComplete={onComplete}
        onSkip={onSkip}
        grouping={open ? 'due-date' : 'none'}
        title={title}
        shortcuts={open}
      />
    </div>
  );
}

/** The section's count from the server once known ("1,000+" past the cap), else what is shown. */
function countLabel(counts: TaskCounts | undefined, section: SectionPages): string {
  const count = sectionCount(counts, section.section);
  if (counts === undefined || count === undefined) return String(section.tasks.length);
  // The server counted before a task was added or done here: never say fewer than shown.
  return formatTaskCount(Math.max(count, section.tasks.length), counts.cap);
}

function LoadMore({
  section,
  counts,
  title,
}: {
  section: SectionPages;
  counts: TaskCounts | undefined;
  title: string;
}) {
  if (!section.hasMore && !section.isLoadingMore) return null;
  const name = section.section === 'all' ? title : taskSectionTitles[section.section];
  const count = sectionCount(counts, section.section);
  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
      <p className="text-xs text-slate-500">
        Showing {section.tasks.length.toLocaleString('en-GB')}
        {counts && count !== undefined
          ? ` of ${formatTaskCount(Math.max(count, section.tasks.length), counts.cap)}`
          : null}
      </p>
      <Button
        variant="secondary"
        size="sm"
        onClick={section.loadMore}
        disabled={section.isLoadingMore}
        aria-label={`Load more ${name.toLowerCase()} tasks`}
      >
        {section.isLoadingMore ? 'Loading…' : 'Load more'}
      </Button>
    </div>
  );
}

export function TaskListSkeleton({ count = 4 }: { count?: number }) {
  return (
    <div role="status" aria-label="Loading tasks" className="space-y-3">
      <Skeleton className="h-4 w-24" />
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className="flex gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200">
          <Skeleton className="size-9 rounded-full" />
          <div className="flex-1 space-y-2">
            <Skeleton className="h-4 w-56 max-w-full" />
            <Skeleton className="h-3 w-40" />
          </div>
          <Skeleton className="hidden h-8 w-40 sm:block" />
        </div>
      ))}
    </div>
  );
}
