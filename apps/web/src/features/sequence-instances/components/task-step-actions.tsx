import { useQuery } from '@tanstack/react-query';
import { Clock, ListPlus, Settings2, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { TaskSlotTask } from '@/lib/task-card-slots';
import { sequenceInstanceQueries, type SequenceInstance } from '../api/queries';
import { isOpenStep, isRunning } from '../utils/step-editing';
import { AddStepDialog } from './add-step-dialog';
import { DeleteStepDialog } from './delete-step-dialog';
import { StepDelayDialog } from './step-delay-dialog';

type Props = {
  task: TaskSlotTask;
  /** After a step changed (the app refreshes the task lists and the sequence cards). */
  onChanged?: () => void;
};

type Choice = 'add' | 'delay' | 'delete';

/**
 * "Edit sequence" on a sequence task's card (issue 13 §3): add a step after this one, change
 * this step's delay (pending only) or delete it — the same dialogs as the sequence card,
 * opened on the instance as it is now (fetched when asked).
 */
export function TaskStepActions({ task, onChanged }: Props) {
  const [choosing, setChoosing] = useState(false);
  const [choice, setChoice] = useState<{ kind: Choice; instance: SequenceInstance } | null>(null);
  const instance = task.sequence_instance;
  if (!instance || !isRunning(instance) || !isOpenStep(task)) return null;

  const close = () => setChoice(null);
  const step = choice?.instance.tasks.find((t) => t.id === task.id) ?? null;

  return (
    <>
      <button
        type="button"
        onClick={() => setChoosing(true)}
        aria-label={`Edit the sequence of ${task.name}`}
        title="Edit sequence"
        className="grid size-7 place-items-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <Settings2 className="size-4" aria-hidden />
      </button>
      <Dialog
        open={choosing}
        onOpenChange={setChoosing}
        title="Edit this sequence"
        description={`Step ${task.sequence_step_order}: ${task.name}.`}
      >
        {choosing ? (
          <Choices
            instanceId={instance.id}
            task={task}
            onChoose={(kind, loaded) => {
              setChoosing(false);
              setChoice({ kind, instance: loaded });
            }}
          />
        ) : null}
      </Dialog>
      <AddStepDialog
        instance={choice?.kind === 'add' ? choice.instance : null}
        defaultPosition={(task.sequence_step_order ?? 0) + 1}
        onOpenChange={(open) => (open ? undefined : close())}
        onChanged={onChanged}
      />
      <StepDelayDialog
        task={choice?.kind === 'delay' ? step : null}
        onOpenChange={(open) => (open ? undefined : close())}
        onChanged={onChanged}
      />
      <DeleteStepDialog
        target={
          choice?.kind === 'delete' && step ? { instance: choice.instance, task: step } : null
        }
        onOpenChange={(open) => (open ? undefined : close())}
        onChanged={onChanged}
      />
    </>
  );
}

function Choices({
  instanceId,
  task,
  onChoose,
}: {
  instanceId: string;
  task: TaskSlotTask;
  onChoose: (choice: Choice, instance: SequenceInstance) => void;
}) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(sequenceInstanceQueries.detail(organisation.id, instanceId));
  if (query.isPending) {
    return (
      <div role="status" aria-label="Loading the sequence" className="space-y-2">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <ErrorState
        title="Couldn't load the sequence"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }
  const loaded = query.data;
  // As it is now: the step may have moved on since the list was loaded.
  const current = loaded.tasks.find((t) => t.id === task.id);
  if (!isRunning(loaded) || !current || !isOpenStep(current)) {
    return (
      <p role="status" className="text-sm text-slate-700">
        This step is no longer open in a running sequence, so it can’t be edited here.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-600">{loaded.name}</p>
      <Button variant="secondary" onClick={() => onChoose('add', loaded)} autoFocus>
        <ListPlus className="size-4" aria-hidden />
        Add a step after this one
      </Button>
      {current.status === 'pending' ? (
        <Button variant="secondary" onClick={() => onChoose('delay', loaded)}>
          <Clock className="size-4" aria-hidden />
          Change this step’s delay
        </Button>
      ) : null}
      <Button variant="secondary-danger" onClick={() => onChoose('delete', loaded)}>
        <Trash2 className="size-4" aria-hidden />
        Delete this step
      </Button>
    </div>
  );
}
