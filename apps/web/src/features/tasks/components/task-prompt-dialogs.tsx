import { Clock } from 'lucide-react';
import { use, useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { TaskListItem } from '../api/queries';
import { SKIP_REASON_MAX } from '../api/skip-task';
import { snoozeTaskInputSchema, useSnoozeTask } from '../api/snooze-task';
import { TaskChangedContext } from '../hooks/task-changed-context';
import { closeTaskPrompt, useTaskPrompt } from '../hooks/task-prompts';
import { callOutcomeLabels, callOutcomes, type CallOutcome } from '../types';
import { formatDue } from '../utils/dates';
import { fromLocalInputValue, snoozePresets, toLocalInputValue } from '../utils/snooze-presets';

/** The card's questions (see hooks/task-prompts.ts): whichever is open for this task. */
export function TaskPromptHost({ task, timeZone }: { task: TaskListItem; timeZone: string }) {
  const prompt = useTaskPrompt(task.id);
  // A card that leaves the page (the list refetched) takes its open question with it.
  useEffect(() => () => closeTaskPrompt(task.id), [task.id]);
  if (!prompt) return null;
  if (prompt.kind === 'outcome') {
    return (
      <CallOutcomeDialog
        taskName={task.name}
        onAnswer={(outcome) => {
          closeTaskPrompt();
          prompt.answer(outcome);
        }}
      />
    );
  }
  if (prompt.kind === 'skip') {
    return (
      <SkipReasonDialog
        taskName={task.name}
        onSkip={(reason) => {
          closeTaskPrompt();
          prompt.answer(reason);
        }}
        onCancel={() => closeTaskPrompt()}
      />
    );
  }
  if (prompt.kind === 'order') {
    return (
      <ConfirmDialog
        open
        onOpenChange={(open) => {
          if (open) return;
          closeTaskPrompt();
          prompt.answer(false);
        }}
        title="Complete this step out of order?"
        description={prompt.question}
        confirmLabel={`Complete step ${task.sequence_step_order}`}
        cancelLabel="Not yet"
        tone="primary"
        onConfirm={() => {
          closeTaskPrompt();
          prompt.answer(true);
        }}
      />
    );
  }
  if (prompt.kind === 'cancel_job') {
    return (
      <ConfirmDialog
        open
        onOpenChange={(open) => {
          if (open) return;
          closeTaskPrompt();
          prompt.answer(false);
        }}
        title="Complete it by hand and cancel the job?"
        description={`${prompt.workflow ?? 'Its workflow'} is running for this step. Completing it now cancels that job: whatever it has not done yet won’t happen, and the sequence moves on.`}
        confirmLabel="Cancel the job and complete"
        cancelLabel="Let it run"
        onConfirm={() => {
          closeTaskPrompt();
          prompt.answer(true);
        }}
      />
    );
  }
  return <SnoozeDialog task={task} timeZone={timeZone} onClose={() => closeTaskPrompt()} />;
}

const outcomeKeys: Record<string, CallOutcome> = {
  '1': 'connected',
  '2': 'voicemail',
  '3': 'no_answer',
};

/**
 * How did the call go? One key or click: 1 connected, 2 voicemail, 3 no answer. Escape (or
 * "No outcome") completes it without one — the rep is never stopped from completing.
 */
export function CallOutcomeDialog({
  taskName,
  onAnswer,
}: {
  taskName: string;
  onAnswer: (outcome: CallOutcome | null) => void;
}) {
  const onKeyDown = (event: KeyboardEvent) => {
    const outcome = outcomeKeys[event.key];
    if (!outcome) return;
    event.preventDefault();
    onAnswer(outcome);
  };
  return (
    <Dialog
      open
      role="alertdialog"
      onOpenChange={(open) => {
        if (!open) onAnswer(null);
      }}
      title="How did the call go?"
      description={
        <>
          Completing <span className="font-medium text-slate-800">{taskName}</span>. Press 1, 2 or
          3; Escape completes it without an outcome.
        </>
      }
      footer={
        <Button variant="secondary" onClick={() => onAnswer(null)}>
          No outcome
        </Button>
      }
    >
      <div className="grid gap-2 sm:grid-cols-3" onKeyDown={onKeyDown}>
        {callOutcomes.map((outcome, index) => (
          <Button
            key={outcome}
            autoFocus={index === 0}
            variant={index === 0 ? 'primary' : 'secondary'}
            onClick={() => onAnswer(outcome)}
            aria-keyshortcuts={String(index + 1)}
          >
            <kbd className="font-sans text-xs opacity-70" aria-hidden>
              {index + 1}
            </kbd>
            {callOutcomeLabels[outcome]}
          </Button>
        ))}
      </div>
    </Dialog>
  );
}

/** Skip, with an optional reason (Enter skips, Escape cancels). */
export function SkipReasonDialog({
  taskName,
  onSkip,
  onCancel,
}: {
  taskName: string;
  onSkip: (reason: string | undefined) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSkip(reason.trim() || undefined);
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
      title={`Skip “${taskName}”?`}
      description="A reason helps whoever picks this restaurant up next. It’s optional."
    >
      <form onSubmit={submit} className="space-y-4">
        <Field label="Reason (optional)" hint={`${reason.length}/${SKIP_REASON_MAX} characters`}>
          {(control) => (
            <Input
              {...control}
              autoFocus
              value={reason}
              maxLength={SKIP_REASON_MAX}
              placeholder="e.g. Owner is away until March"
              onChange={(event) => setReason(event.target.value)}
            />
          )}
        </Field>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Skip task</Button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Snooze to a preset (in 1 hour, tomorrow 9:00, next Monday 9:00 on the organisation's
 * clock) or a picked date and time, read in the organisation's time zone.
 */
export function SnoozeDialog({
  task,
  timeZone,
  onClose,
}: {
  task: TaskListItem;
  timeZone: string;
  onClose: () => void;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const onChanged = use(TaskChangedContext);
  const [now] = useState(() => new Date());
  const presets = snoozePresets(now, timeZone);
  const [picked, setPicked] = useState(() => toLocalInputValue(presets[1]!.at, timeZone));
  const [error, setError] = useState<string | undefined>();
  const snooze = useSnoozeTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_data, { dueDate }) =>
        toast({
          title: 'Task snoozed',
          description: `${task.name} is now due ${formatDue(dueDate, timeZone)}.`,
          duration: 5000,
        }),
      onError: (failure) =>
        toast({
          tone: 'error',
          title: 'Couldn’t snooze the task',
          description: getErrorMessage(failure),
          duration: 8000,
        }),
      onSettled: () => onChanged?.(),
    },
  });

  const snoozeTo = (dueDate: Date) => {
    const checked = snoozeTaskInputSchema.safeParse({ taskId: task.id, dueDate });
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? 'Pick a time in the future.');
      return;
    }
    snooze.mutate({ taskId: task.id, dueDate });
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const dueDate = fromLocalInputValue(picked, timeZone);
    if (!dueDate) {
      setError('Pick a date and a time.');
      return;
    }
    snoozeTo(dueDate);
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={`Snooze “${task.name}”`}
      description={`Times in ${timeZone}.`}
    >
      <div className="space-y-5">
        <ul className="grid gap-2" aria-label="Snooze presets">
          {presets.map((preset, index) => (
            <li key={preset.key}>
              <Button
                variant="secondary"
                className="w-full justify-between"
                autoFocus={index === 0}
                onClick={() => snoozeTo(preset.at)}
              >
                <span className="inline-flex items-center gap-2">
                  <Clock className="size-4 text-slate-500" aria-hidden />
                  {preset.label}
                </span>
                <span className="text-xs font-normal text-slate-500">
                  {formatDue(preset.at, timeZone)}
                </span>
              </Button>
            </li>
          ))}
        </ul>
        <form onSubmit={submit} className="space-y-3 border-t border-slate-200 pt-4" noValidate>
          <Field label="Or pick a date and time" error={error} hint={`In ${timeZone}.`}>
            {(control) => (
              <Input
                {...control}
                type="datetime-local"
                value={picked}
                min={toLocalInputValue(now, timeZone)}
                onChange={(event) => {
                  setPicked(event.target.value);
                  setError(undefined);
                }}
              />
            )}
          </Field>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button type="button" variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Snooze</Button>
          </div>
        </form>
      </div>
    </Dialog>
  );
}
