import { useQuery } from '@tanstack/react-query';
import { CheckCheck, ChevronDown, Keyboard, SearchX, SlidersHorizontal } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { TASK_LIST_LIMIT, taskQueries, taskStatusFilterLabels, toTaskQuery } from '../api/queries';
import { useNow } from '@/hooks/use-now';
import { useTaskActions } from '../hooks/use-task-actions';
import { useTaskFilters } from '../hooks/use-task-filters';
import type { Assignee } from '../types';
import { TaskFiltersBar } from './task-filters-bar';
import { TaskSections } from './task-sections';

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
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const { filters, setFilters, hasFilters, clearFilters } = useTaskFilters();
  const query = useQuery(taskQueries.list(organisation.id, toTaskQuery(filters, user.id)));
  const options = useQuery(taskQueries.filterOptions(organisation.id));
  const now = useNow();
  const { onComplete, onSkip } = useTaskActions({ timeZone, onChanged: onTasksChanged });
  const open = filters.status === 'active' || filters.status === 'pending';
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
            options={options.data}
            assignees={assignees}
            currentUserId={user.id}
          />
        </div>
      </div>

      {query.isPending ? (
        <TaskListSkeleton />
      ) : query.isError && !query.data ? (
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          <ErrorState
            title="Couldn't load your tasks"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
          />
        </div>
      ) : query.data.length === 0 ? (
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          {hasFilters ? (
            <EmptyState
              icon={<SearchX className="size-6" aria-hidden />}
              title={`No ${taskStatusFilterLabels[filters.status].toLowerCase()} tasks match`}
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
      ) : (
        <div
          className={cn('transition-opacity', query.isFetching && 'opacity-90')}
          aria-busy={query.isFetching || undefined}
        >
          {query.isError ? (
            <p
              role="alert"
              className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              Couldn’t refresh: {getErrorMessage(query.error)}
            </p>
          ) : null}
          {open ? (
            <p className="mb-4 hidden items-center gap-1.5 text-xs text-slate-500 sm:flex">
              <Keyboard className="size-3.5" aria-hidden />
              Shortcuts: <kbd className="font-sans font-semibold">j</kbd>/
              <kbd className="font-sans font-semibold">k</kbd> move,{' '}
              <kbd className="font-sans font-semibold">c</kbd> complete,{' '}
              <kbd className="font-sans font-semibold">s</kbd> skip
            </p>
          ) : null}
          <TaskSections
            tasks={query.data}
            timeZone={timeZone}
            now={now}
            onComplete={onComplete}
            onSkip={onSkip}
            grouping={open ? 'due-date' : 'none'}
            title={taskStatusFilterLabels[filters.status]}
            shortcuts={open}
          />
          {query.data.length >= TASK_LIST_LIMIT ? (
            <p className="mt-6 text-center text-sm text-slate-500">
              Showing the first {TASK_LIST_LIMIT} tasks. Narrow the filters to see the rest.
            </p>
          ) : null}
        </div>
      )}
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
