import { useQuery } from '@tanstack/react-query';
import { Dialog } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { emptyCreateTaskValues, useCreateTask } from '../api/create-task';
import { searchTaskRestaurants, taskQueries, type TaskTemplateOption } from '../api/queries';
import type { Assignee } from '../types';
import { TaskForm } from './task-form';

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  assignees: Assignee[];
  /**
   * Task templates to prefill from (active ones), loaded by the page from the templates
   * feature's query: one cache of task templates.
   */
  templates: { data: TaskTemplateOption[] | undefined; isPending: boolean };
  /** Preselected restaurant (adding from a restaurant's page). */
  restaurantId?: string;
  onCreated?: () => void;
};

export function CreateTaskDialog({
  open,
  onOpenChange,
  assignees,
  templates,
  restaurantId,
  onCreated,
}: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Add task" size="lg" bare>
      <CreateTaskBody
        assignees={assignees}
        templates={templates}
        restaurantId={restaurantId}
        onDone={() => onOpenChange(false)}
        onCreated={onCreated}
      />
    </Dialog>
  );
}

function CreateTaskBody({
  assignees,
  templates,
  restaurantId,
  onDone,
  onCreated,
}: {
  assignees: Assignee[];
  templates: Props['templates'];
  restaurantId: string | undefined;
  onDone: () => void;
  onCreated: (() => void) | undefined;
}) {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const { toast } = useToast();
  // Only the preselected restaurant's name: the field searches the rest as the rep types.
  const preselected = useQuery({
    ...taskQueries.filterLabel(organisation.id, 'restaurants', restaurantId ?? ''),
    enabled: Boolean(restaurantId),
  });
  const create = useCreateTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (task) => {
        toast({ title: 'Task added', description: task.name });
        onDone();
        onCreated?.();
      },
    },
  });

  if (templates.isPending) {
    return (
      <div className="space-y-5 px-6 py-6" role="status" aria-label="Loading the form">
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="space-y-2">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-10 w-full" />
          </div>
        ))}
      </div>
    );
  }
  return (
    <TaskForm
      defaultValues={{
        ...emptyCreateTaskValues,
        restaurant_id: restaurantId ?? '',
        assigned_to: user.id,
      }}
      restaurants={{
        queryKey: taskQueries.pickers(organisation.id, 'restaurants'),
        search: async (text, limit, signal) =>
          (await searchTaskRestaurants(organisation.id, text, limit, signal)).map((row) => ({
            value: row.id,
            label: row.name,
          })),
        // A restaurant that cannot be read (gone meanwhile) shows as its id would: "…".
        selectedLabel: preselected.data ?? undefined,
      }}
      // Without templates (or if they fail to load) the form still works.
      templates={templates.data ?? []}
      assignees={assignees}
      currentUserId={user.id}
      isPending={create.isPending}
      serverError={create.error ? getErrorMessage(create.error) : null}
      onCancel={onDone}
      onSubmit={(data) => create.mutate({ organisationId: organisation.id, data })}
    />
  );
}
