import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, ListTodo, Plus } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { taskQueries } from '../api/queries';
import { useNow } from '@/hooks/use-now';
import { TaskChangedContext } from '../hooks/task-changed-context';
import { useAutomationChanges } from '../hooks/use-automation-changes';
import { useTaskActions } from '../hooks/use-task-actions';
import { closedTaskStatuses } from '../types';
import { TaskListSkeleton } from './my-tasks';
import { TaskSections } from './task-sections';

type Props = {
  restaurantId: string;
  timeZone: string;
  onAddTask: () => void;
  onTasksChanged?: () => void;
};

/** A restaurant's tasks, everyone's: what's open by due date, and what's done. */
export function RestaurantTasks({ restaurantId, timeZone, onAddTask, onTasksChanged }: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(taskQueries.forRestaurant(organisation.id, restaurantId));
  const now = useNow();
  const { onComplete, onSkip } = useTaskActions({ timeZone, onChanged: onTasksChanged });
  const [showDone, setShowDone] = useState(false);
  const doneId = useId();
  // An automated step's job ending moves the sequence on: its card beside this list follows.
  useAutomationChanges(query.data, onTasksChanged);

  const { open, upcoming, done } = useMemo(() => {
    const tasks = query.data ?? [];
    return {
      // Later sequence steps are listed with their sequence, not here.
      open: tasks.filter((task) => task.status === 'active'),
      upcoming: tasks.filter((task) => task.status === 'pending').length,
      done: tasks
        .filter((task) => closedTaskStatuses.has(task.status))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at)),
    };
  }, [query.data]);

  return (
    <TaskChangedContext value={onTasksChanged}>
      <section aria-labelledby={`${doneId}-title`} className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h3 id={`${doneId}-title`} className="text-sm font-semibold text-slate-900">
            Tasks
          </h3>
          <Button variant="secondary" size="sm" onClick={onAddTask}>
            <Plus className="size-4" aria-hidden />
            Add task
          </Button>
        </div>

        {query.isPending ? (
          <TaskListSkeleton count={2} />
        ) : query.isError ? (
          <ErrorState
            title="Couldn't load tasks"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
            className="py-8"
          />
        ) : open.length === 0 && done.length === 0 && upcoming === 0 ? (
          <EmptyState
            icon={<ListTodo className="size-6" aria-hidden />}
            title="No tasks yet"
            description="Start a sequence, or add a one-off task."
            className="py-8"
          />
        ) : (
          <>
            {open.length > 0 ? (
              <TaskSections
                tasks={open}
                timeZone={timeZone}
                now={now}
                onComplete={onComplete}
                onSkip={onSkip}
                grouping="due-date"
                showRestaurant={false}
              />
            ) : (
              <p className="text-sm text-slate-600">Nothing to do for this restaurant right now.</p>
            )}
            {upcoming > 0 ? (
              <p className="text-sm text-slate-500">
                {upcoming} later sequence {upcoming === 1 ? 'step' : 'steps'} will come due as the
                steps before them are done.
              </p>
            ) : null}
            {done.length > 0 ? (
              <div>
                <button
                  type="button"
                  aria-expanded={showDone}
                  aria-controls={doneId}
                  onClick={() => setShowDone((value) => !value)}
                  className="inline-flex items-center gap-1 rounded text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  {showDone ? (
                    <ChevronDown className="size-4" aria-hidden />
                  ) : (
                    <ChevronRight className="size-4" aria-hidden />
                  )}
                  Done ({done.length})
                </button>
                {showDone ? (
                  <div id={doneId} className="mt-3">
                    <TaskSections
                      tasks={done}
                      timeZone={timeZone}
                      now={now}
                      onComplete={onComplete}
                      onSkip={onSkip}
                      grouping="none"
                      title="Done"
                      showRestaurant={false}
                    />
                  </div>
                ) : null}
              </div>
            ) : null}
          </>
        )}
      </section>
    </TaskChangedContext>
  );
}
