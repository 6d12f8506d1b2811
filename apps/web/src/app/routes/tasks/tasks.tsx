import { Plus } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CreateTaskDialog } from '@/features/tasks/components/create-task-dialog';
import { MyTasks } from '@/features/tasks/components/my-tasks';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useReps } from '../restaurants/use-reps';
import { HomeFirstRun } from './first-run';
import { SequenceTaskSlot } from './sequence-task-slot';
import { useOrganisationCalendar } from './use-organisation-calendar';
import { useRefreshSequenceWork } from './use-refresh-sequence-work';
import { useTaskTemplateOptions } from './use-task-template-options';

export function Component() {
  const organisation = useCurrentOrganisation();
  const reps = useReps();
  const { timeZone } = useOrganisationCalendar();
  const { refreshInstances } = useRefreshSequenceWork();
  const [creating, setCreating] = useState(false);
  const taskTemplates = useTaskTemplateOptions(creating);

  return (
    <div className="space-y-6">
      <title>{`My tasks · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">My tasks</h1>
          <p className="mt-1 text-sm text-slate-600">
            What to do next, by due date. Times in {timeZone}.
          </p>
        </div>
        <Button onClick={() => setCreating(true)}>
          <Plus className="size-4" aria-hidden />
          Add task
        </Button>
      </header>
      <HomeFirstRun />
      <SequenceTaskSlot>
        <MyTasks
          timeZone={timeZone}
          assignees={reps}
          onAddTask={() => setCreating(true)}
          onTasksChanged={refreshInstances}
        />
      </SequenceTaskSlot>
      <CreateTaskDialog
        open={creating}
        onOpenChange={setCreating}
        assignees={reps}
        templates={taskTemplates}
      />
    </div>
  );
}
