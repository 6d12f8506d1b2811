import {
  AlertTriangle,
  AlarmClock,
  CalendarClock,
  Check,
  PauseCircle,
  RotateCcw,
  SkipForward,
} from 'lucide-react';
import { use, useId, useState, type Ref } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TaskSequenceSlotContext } from '@/lib/task-card-slots';
import { paths } from '@/config/paths';
import { cn } from '@/lib/utils';
import type { TaskListItem } from '../api/queries';
import { askTaskPrompt } from '../hooks/task-prompts';
import { TaskChangedContext } from '../hooks/task-changed-context';
import { useReopenTaskAction } from '../hooks/use-reopen-task-action';
import {
  callOutcomeLabels,
  closedTaskStatuses,
  getFinishDetails,
  getRenderWarnings,
  type RenderWarning,
} from '../types';
import { automationStatusOf } from '../utils/automation';
import { dayKey, formatDue, formatTime } from '../utils/dates';
import { AutomatedTaskPanel } from './automated-task-panel';
import { CopyMessageButton } from './copy-message-button';
import { TaskPromptHost } from './task-prompt-dialogs';
import {
  PriorityBadge,
  StepBadge,
  TaskStatusBadge,
  TaskTypeIcon,
  taskTypeLabel,
} from './task-badges';

type Props = {
  task: TaskListItem;
  timeZone: string;
  now: Date;
  onComplete: (task: TaskListItem) => void;
  onSkip: (task: TaskListItem) => void;
  /** Highlighted by the keyboard (j/k). */
  isCurrent?: boolean;
  /** The restaurant panel already says which restaurant. */
  showRestaurant?: boolean;
  ref?: Ref<HTMLElement>;
  onFocus?: () => void;
};

const LONG_MESSAGE = 320;

function DueLine({ task, timeZone, now }: { task: TaskListItem; timeZone: string; now: Date }) {
  if (!task.due_date) {
    if (task.status === 'pending') {
      return <span className="text-slate-500">Due date set when the step before is done</span>;
    }
    if (task.sequence_instance?.status === 'paused') {
      return <span className="text-slate-500">No due date while the sequence is paused</span>;
    }
    return <span className="text-slate-500">No due date</span>;
  }
  const due = new Date(task.due_date);
  const open = !closedTaskStatuses.has(task.status);
  if (open && due.getTime() < now.getTime()) {
    return (
      <span className="font-medium text-red-700">
        Overdue · due <time dateTime={task.due_date}>{formatDue(due, timeZone)}</time>
      </span>
    );
  }
  if (dayKey(due, timeZone) === dayKey(now, timeZone)) {
    return (
      <span className="text-slate-700">
        Due today <time dateTime={task.due_date}>{formatTime(due, timeZone)}</time>
      </span>
    );
  }
  return (
    <span className="text-slate-700">
      Due <time dateTime={task.due_date}>{formatDue(due, timeZone)}</time>
    </span>
  );
}

function describeWarning(warning: RenderWarning): string {
  if (warning.problem === 'empty') {
    return `{${warning.variable}} is empty for this restaurant, so it was left out.`;
  }
  if (warning.problem === 'unknown') {
    return `{${warning.variable}} isn’t a placeholder we know, so it was left as written.`;
  }
  return `{${warning.variable}}: ${warning.problem}`;
}

/** A task as a card: what to do, for whom, when, the message to send, and done/skip. */
export function TaskCard({
  task,
  timeZone,
  now,
  onComplete,
  onSkip,
  isCurrent = false,
  showRestaurant = true,
  ref,
  onFocus,
}: Props) {
  const titleId = useId();
  const [expanded, setExpanded] = useState(false);
  const closed = closedTaskStatuses.has(task.status);
  const warnings = getRenderWarnings(task.metadata);
  const message = task.message?.trim() ?? '';
  const isLong = message.length > LONG_MESSAGE || message.split('\n').length > 6;
  const copyText = task.subject ? `${task.subject}\n\n${message}` : message;
  const instance = task.sequence_instance;
  const { callOutcome, skipReason } = getFinishDetails(task.metadata);
  const reopen = useReopenTaskAction({ onChanged: use(TaskChangedContext) });
  const automation = automationStatusOf(task);
  // Only a due task can move: a pending step has no due date yet, a paused sequence none; an
  // automated one only while it waits (a running job or a failure is not a matter of time).
  const canSnooze =
    task.status === 'active' &&
    instance?.status !== 'paused' &&
    (automation === null || automation === 'waiting');
  // An automated task that needs attention is completed "by hand" (its job did not do it).
  const completeLabel = automation === 'needs_attention' ? 'Complete by hand' : 'Complete';
  const canReopen = task.status === 'completed' || task.status === 'skipped';
  // The app's "Edit sequence" for a sequence task (issue 13 §3); absent without a provider.
  const sequenceSlot = use(TaskSequenceSlotContext);

  return (
    <article
      ref={ref}
      aria-labelledby={titleId}
      tabIndex={-1}
      data-task-id={task.id}
      data-current={isCurrent || undefined}
      data-open={closed ? undefined : 'true'}
      onFocus={onFocus}
      className={cn(
        // Phone: actions in a row at the bottom. Wider: actions top right, beside the title.
        'grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 transition-shadow outline-none sm:grid-cols-[auto_minmax(0,1fr)_auto] sm:p-5',
        // Focus moved here by the keyboard (after c, the next task) shows like the j/k cursor.
        'focus-visible:ring-2 focus-visible:ring-brand-500',
        isCurrent && 'ring-2 ring-brand-500',
        closed && 'bg-slate-50/80',
      )}
    >
      <TaskTypeIcon type={task.type} className="mt-0.5" />
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h3
            id={titleId}
            className={cn(
              'text-sm font-semibold break-words text-slate-900 sm:text-base',
              closed && 'text-slate-500 line-through decoration-slate-400',
            )}
          >
            {task.name}
          </h3>
          {instance && task.sequence_step_order ? (
            <StepBadge
              step={task.sequence_step_order}
              total={instance.total_steps}
              instanceId={instance.id}
              instanceName={instance.name}
              restaurantId={task.restaurant_id}
            />
          ) : null}
          {instance && sequenceSlot ? sequenceSlot(task) : null}
          <PriorityBadge priority={task.priority} />
          {task.status !== 'active' ? <TaskStatusBadge status={task.status} /> : null}
          {instance?.status === 'paused' && !closed ? (
            <Badge tone="slate">
              <PauseCircle className="size-3" aria-hidden />
              Sequence paused
            </Badge>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          {showRestaurant && task.restaurant ? (
            <>
              <Link
                to={paths.app.restaurant.getHref(task.restaurant.id)}
                className="font-medium text-slate-700 hover:text-brand-700 hover:underline"
              >
                {task.restaurant.name}
              </Link>
              <span aria-hidden> · </span>
            </>
          ) : null}
          {taskTypeLabel(task.type)}
        </p>
        <p className="mt-0.5 flex items-center gap-1 text-sm">
          <CalendarClock className="size-3.5 shrink-0 text-slate-400" aria-hidden />
          <DueLine task={task} timeZone={timeZone} now={now} />
        </p>
        {task.description ? (
          <p className="mt-2 text-sm whitespace-pre-line text-slate-700">{task.description}</p>
        ) : null}
        {task.status === 'completed' && callOutcome ? (
          <p className="mt-1 text-sm text-slate-600">
            Call outcome: {callOutcomeLabels[callOutcome]}
          </p>
        ) : null}
        {task.status === 'skipped' && skipReason ? (
          <p className="mt-1 text-sm break-words text-slate-600">Skipped because: {skipReason}</p>
        ) : null}
      </div>

      {message ? (
        <div className="col-span-2 mt-3 rounded-lg bg-slate-50 ring-1 ring-slate-200 sm:col-span-2 sm:col-start-2">
          <div className="px-3 pt-3 pb-2 text-sm text-slate-800">
            {task.subject ? <p className="mb-1 font-medium">Subject: {task.subject}</p> : null}
            <p
              className={cn(
                'break-words whitespace-pre-wrap',
                isLong && !expanded && 'line-clamp-6',
              )}
            >
              {message}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2">
            <CopyMessageButton text={copyText} />
            {isLong ? (
              <Button variant="ghost" size="sm" onClick={() => setExpanded((value) => !value)}>
                {expanded ? 'Show less' : 'Show full message'}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}

      <AutomatedTaskPanel task={task} timeZone={timeZone} now={now} />

      {warnings.length > 0 ? (
        <div
          role="note"
          className="col-span-2 mt-3 flex gap-2 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 sm:col-span-2 sm:col-start-2"
        >
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <div>
            <p className="font-medium">Check the message before sending</p>
            <ul className="mt-0.5 space-y-0.5">
              {warnings.map((warning) => (
                <li key={`${warning.variable}-${warning.problem}`}>{describeWarning(warning)}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      {canReopen ? (
        <div className="col-span-2 mt-4 self-start sm:col-span-1 sm:col-start-3 sm:row-start-1 sm:mt-0">
          <Button
            variant="secondary"
            size="sm"
            onClick={() => reopen(task.id)}
            aria-label={`Reopen ${task.name}`}
          >
            <RotateCcw className="size-4" aria-hidden />
            Reopen
          </Button>
        </div>
      ) : null}

      {closed ? null : (
        <div
          className={cn(
            'col-span-2 mt-4 grid gap-2 self-start sm:col-span-1 sm:col-start-3 sm:row-start-1 sm:mt-0 sm:flex',
            canSnooze ? 'grid-cols-3' : 'grid-cols-2',
          )}
        >
          {canSnooze ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => askTaskPrompt({ kind: 'snooze', taskId: task.id })}
              aria-label={`Snooze ${task.name}`}
              aria-keyshortcuts="z"
            >
              <AlarmClock className="size-4" aria-hidden />
              Snooze
            </Button>
          ) : null}
          <Button
            variant="secondary"
            size="sm"
            onClick={() => onSkip(task)}
            aria-label={`Skip ${task.name}`}
          >
            <SkipForward className="size-4" aria-hidden />
            Skip
          </Button>
          <Button
            size="sm"
            onClick={() => onComplete(task)}
            aria-label={`${completeLabel} ${task.name}`}
          >
            <Check className="size-4" aria-hidden />
            {completeLabel}
          </Button>
        </div>
      )}
      <TaskPromptHost task={task} timeZone={timeZone} />
    </article>
  );
}
