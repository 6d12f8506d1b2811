import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { paths } from '@/config/paths';
import { restaurantQueries } from '@/features/restaurants/api/queries';
import { SequenceInstancesPanel } from '@/features/sequence-instances/components/sequence-instances-panel';
import { CreateTaskDialog } from '@/features/tasks/components/create-task-dialog';
import { RestaurantTasks } from '@/features/tasks/components/restaurant-tasks';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useOrganisationCalendar } from '../tasks/use-organisation-calendar';
import { SequenceTaskSlot } from '../tasks/sequence-task-slot';
import { useRefreshSequenceWork } from '../tasks/use-refresh-sequence-work';
import { useReps } from './use-reps';
import { useTaskTemplateOptions } from '../tasks/use-task-template-options';

/** "Tasks & sequences" on a restaurant's page: its sequences and its tasks, side by side. */
export function RestaurantWork({ restaurantId }: { restaurantId: string }) {
  const organisation = useCurrentOrganisation();
  const restaurant = useQuery(restaurantQueries.detail(organisation.id, restaurantId));
  const reps = useReps();
  const { calendar, calendarIsDefault, timeZone } = useOrganisationCalendar();
  const { refreshInstances, refreshTasks } = useRefreshSequenceWork();
  const [addingTask, setAddingTask] = useState(false);
  const taskTemplates = useTaskTemplateOptions(addingTask);

  // The details above show loading and errors for the restaurant itself.
  if (!restaurant.data) return null;

  return (
    <section
      aria-labelledby="restaurant-work-title"
      className="mt-6 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id="restaurant-work-title"
        className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900"
      >
        Tasks &amp; sequences
      </h2>
      <div className="grid gap-8 px-4 py-5 sm:px-5 xl:grid-cols-5">
        <div className="xl:col-span-2">
          <SequenceInstancesPanel
            restaurant={{
              id: restaurant.data.id,
              name: restaurant.data.name,
              assignedRepId: restaurant.data.assigned_sales_rep,
            }}
            members={reps}
            calendar={calendar}
            calendarIsDefault={calendarIsDefault}
            timeZone={timeZone}
            templatesHref={paths.app.sequenceTemplates.getHref()}
            onChanged={refreshTasks}
          />
        </div>
        <div className="xl:col-span-3">
          <SequenceTaskSlot>
            <RestaurantTasks
              restaurantId={restaurantId}
              timeZone={timeZone}
              onAddTask={() => setAddingTask(true)}
              onTasksChanged={refreshInstances}
            />
          </SequenceTaskSlot>
        </div>
      </div>
      <CreateTaskDialog
        open={addingTask}
        onOpenChange={setAddingTask}
        assignees={reps}
        templates={taskTemplates}
        restaurantId={restaurantId}
      />
    </section>
  );
}
