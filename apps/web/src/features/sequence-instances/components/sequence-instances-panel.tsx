import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { useQuery } from '@tanstack/react-query';
import { ListOrdered, Play } from 'lucide-react';
import { useEffect, useId, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useCancelSequence } from '../api/cancel-sequence';
import { usePauseSequence } from '../api/pause-sequence';
import { sequenceInstanceQueries, type InstanceTask, type SequenceInstance } from '../api/queries';
import { useRestartSequence } from '../api/restart-sequence';
import { useResumeSequence } from '../api/resume-sequence';
import type { Member } from '../types';
import { AddStepDialog } from './add-step-dialog';
import { DeleteInstanceDialog } from './delete-instance-dialog';
import { DeleteStepDialog } from './delete-step-dialog';
import { PauseSequenceDialog } from './pause-sequence-dialog';
import {
  SequenceInstanceCard,
  type InstanceAction,
  type StepAction,
} from './sequence-instance-card';
import { StepDelayDialog } from './step-delay-dialog';
import { StartSequenceDialog } from './start-sequence-dialog';

type Props = {
  restaurant: { id: string; name: string; assignedRepId: string | null };
  members: Member[];
  calendar: BusinessCalendar;
  calendarIsDefault: boolean;
  /** The organisation's time zone for dates (the browser's when it has no calendar). */
  timeZone: string;
  templatesHref?: string;
  /** After anything here changed tasks (start, pause, resume, cancel, restart, step edits). */
  onChanged?: () => void;
};

const ENDED_SHOWN = 3;

/**
 * A restaurant's sequences: progress, pause/resume/cancel/restart, editing a running one's
 * steps (add, change a delay, delete), deleting an ended one, and starting one.
 */
export function SequenceInstancesPanel({
  restaurant,
  members,
  calendar,
  calendarIsDefault,
  timeZone,
  templatesHref,
  onChanged,
}: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const headingId = useId();
  const { hash } = useLocation();
  const query = useQuery(sequenceInstanceQueries.forRestaurant(organisation.id, restaurant.id));
  const [starting, setStarting] = useState(false);
  const [pausing, setPausing] = useState<SequenceInstance | null>(null);
  const [cancelling, setCancelling] = useState<SequenceInstance | null>(null);
  const [restarting, setRestarting] = useState<SequenceInstance | null>(null);
  const [showAllEnded, setShowAllEnded] = useState(false);
  const [addingTo, setAddingTo] = useState<SequenceInstance | null>(null);
  const [deleting, setDeleting] = useState<SequenceInstance | null>(null);
  const [delaying, setDelaying] = useState<InstanceTask | null>(null);
  const [deletingStep, setDeletingStep] = useState<{
    instance: SequenceInstance;
    task: InstanceTask;
  } | null>(null);

  const failed = (what: string) => (error: Error) =>
    toast({ tone: 'error', title: `Couldn’t ${what}`, description: getErrorMessage(error) });
  const settled = () => onChanged?.();

  const pause = usePauseSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        setPausing(null);
        toast({ title: 'Sequence paused', description: row.name });
      },
      onSettled: settled,
    },
  });
  const resume = useResumeSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => toast({ title: 'Sequence resumed', description: row.name }),
      onError: failed('resume the sequence'),
      onSettled: settled,
    },
  });
  const cancel = useCancelSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => toast({ title: 'Sequence cancelled', description: row.name }),
      onError: failed('cancel the sequence'),
      onSettled: settled,
    },
  });
  const restart = useRestartSequence({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        setRestarting(null);
        toast({
          title: 'Sequence restarted',
          description: `${row.name}. Step 1 is on the task list.`,
        });
      },
      onError: failed('restart the sequence'),
      onSettled: settled,
    },
  });

  const { running, ended } = useMemo(() => {
    const all = query.data ?? [];
    return {
      running: all.filter((i) => i.status === 'active' || i.status === 'paused'),
      ended: all.filter((i) => i.status !== 'active' && i.status !== 'paused'),
    };
  }, [query.data]);

  // Arriving from a task's "Step 2 of 5": bring that sequence into view.
  const target = hash.startsWith('#sequence-') ? hash.slice(1) : null;
  const loaded = query.isSuccess;
  useEffect(() => {
    if (!target || !loaded) return;
    document.getElementById(target)?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [target, loaded]);

  const onAction = (action: InstanceAction, instance: SequenceInstance) => {
    if (action === 'pause') {
      pause.reset();
      setPausing(instance);
    } else if (action === 'resume') resume.mutate({ instanceId: instance.id });
    else if (action === 'cancel') setCancelling(instance);
    else if (action === 'add-step') setAddingTo(instance);
    else if (action === 'delete') setDeleting(instance);
    else setRestarting(instance);
  };

  const onStepAction = (action: StepAction, instance: SequenceInstance, task: InstanceTask) => {
    if (action === 'change-delay') setDelaying(task);
    else setDeletingStep({ instance, task });
  };

  const endedShown = showAllEnded ? ended : ended.slice(0, ENDED_SHOWN);
  const card = (instance: SequenceInstance) => (
    <li key={instance.id}>
      <SequenceInstanceCard
        instance={instance}
        timeZone={timeZone}
        highlighted={target === `sequence-${instance.id}`}
        onAction={onAction}
        onStepAction={onStepAction}
      />
    </li>
  );

  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          Sequences
        </h3>
        <Button size="sm" onClick={() => setStarting(true)}>
          <Play className="size-4" aria-hidden />
          Start sequence
        </Button>
      </div>

      {query.isPending ? (
        <div role="status" aria-label="Loading sequences" className="space-y-3">
          <Skeleton className="h-32 w-full rounded-xl" />
        </div>
      ) : query.isError ? (
        <ErrorState
          title="Couldn't load sequences"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
          className="py-8"
        />
      ) : running.length === 0 && ended.length === 0 ? (
        <EmptyState
          icon={<ListOrdered className="size-6" aria-hidden />}
          title="No sequences yet"
          description="A sequence plans the follow-up for you: each step becomes a task when the one before is done."
          className="py-8"
        />
      ) : (
        <>
          {running.length > 0 ? (
            <ul className="space-y-3">{running.map(card)}</ul>
          ) : (
            <p className="text-sm text-slate-600">No sequence is running for this restaurant.</p>
          )}
          {ended.length > 0 ? (
            <div className="space-y-3">
              <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                Ended
              </h4>
              <ul className="space-y-3">{endedShown.map(card)}</ul>
              {ended.length > ENDED_SHOWN ? (
                <Button variant="ghost" size="sm" onClick={() => setShowAllEnded((v) => !v)}>
                  {showAllEnded ? 'Show fewer' : `Show ${ended.length - ENDED_SHOWN} more`}
                </Button>
              ) : null}
            </div>
          ) : null}
        </>
      )}

      <StartSequenceDialog
        open={starting}
        onOpenChange={setStarting}
        restaurant={restaurant}
        members={members}
        calendar={calendar}
        calendarIsDefault={calendarIsDefault}
        templatesHref={templatesHref}
        onStarted={onChanged}
        instances={query.data ?? []}
      />
      <AddStepDialog
        instance={addingTo}
        onOpenChange={(open) => (open ? undefined : setAddingTo(null))}
        onChanged={settled}
      />
      <StepDelayDialog
        task={delaying}
        onOpenChange={(open) => (open ? undefined : setDelaying(null))}
        onChanged={settled}
      />
      <DeleteStepDialog
        target={deletingStep}
        onOpenChange={(open) => (open ? undefined : setDeletingStep(null))}
        onChanged={settled}
      />
      <DeleteInstanceDialog
        instance={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        onChanged={settled}
      />
      <PauseSequenceDialog
        open={pausing !== null}
        onOpenChange={(open) => (open ? undefined : setPausing(null))}
        sequenceName={pausing?.name ?? ''}
        isPending={pause.isPending}
        serverError={pause.error ? getErrorMessage(pause.error) : null}
        onConfirm={(data) => {
          if (pausing) pause.mutate({ instanceId: pausing.id, data });
        }}
      />
      <ConfirmDialog
        open={cancelling !== null}
        onOpenChange={(open) => (open ? undefined : setCancelling(null))}
        title="Cancel this sequence?"
        description={
          <>
            {cancelling?.name}. Its open tasks are cancelled; what was done stays. You can restart
            it later from step 1.
          </>
        }
        confirmLabel="Cancel sequence"
        cancelLabel="Keep sequence"
        onConfirm={() => {
          if (!cancelling) return;
          cancel.mutate({ instanceId: cancelling.id });
          setCancelling(null);
        }}
      />
      <ConfirmDialog
        open={restarting !== null}
        onOpenChange={(open) => (open ? undefined : setRestarting(null))}
        title="Restart this sequence?"
        description={
          <>
            {restarting?.name}. A new run starts from step 1 with the same steps; step 1 becomes a
            task now.
          </>
        }
        confirmLabel="Restart sequence"
        tone="primary"
        isPending={restart.isPending}
        onConfirm={() => {
          if (restarting) restart.mutate({ instanceId: restarting.id });
        }}
      />
    </section>
  );
}
