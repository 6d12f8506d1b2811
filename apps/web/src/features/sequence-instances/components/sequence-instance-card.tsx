import {
  CheckCircle2,
  ChevronDown,
  ChevronRight,
  Circle,
  CircleDot,
  Clock,
  ListPlus,
  MinusCircle,
  Pause,
  Play,
  RotateCcw,
  SkipForward,
  Trash2,
  XCircle,
} from 'lucide-react';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { formatInZone } from '@/lib/format-in-zone';
import { cn } from '@/lib/utils';
import type { InstanceTask, SequenceInstance } from '../api/queries';
import { isOpenStep, stepDelayText } from '../utils/step-editing';

export type InstanceAction = 'pause' | 'resume' | 'cancel' | 'restart' | 'add-step' | 'delete';
export type StepAction = 'change-delay' | 'delete-step';

type Props = {
  instance: SequenceInstance;
  timeZone: string;
  highlighted?: boolean;
  onAction: (action: InstanceAction, instance: SequenceInstance) => void;
  /** Editing a running sequence's steps (seed 001, NFR-3); absent = read-only steps. */
  onStepAction?: (action: StepAction, instance: SequenceInstance, task: InstanceTask) => void;
};

const statusTone: Record<string, BadgeTone> = {
  active: 'emerald',
  paused: 'amber',
  completed: 'blue',
  cancelled: 'slate',
};

const statusLabel: Record<string, string> = {
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

const taskIcons: Record<string, { icon: typeof Circle; className: string; label: string }> = {
  completed: { icon: CheckCircle2, className: 'text-emerald-600', label: 'Completed' },
  skipped: { icon: SkipForward, className: 'text-amber-600', label: 'Skipped' },
  cancelled: { icon: XCircle, className: 'text-slate-400', label: 'Cancelled' },
  active: { icon: CircleDot, className: 'text-brand-600', label: 'Current step' },
  pending: { icon: Circle, className: 'text-slate-300', label: 'Not yet' },
};

/** How many steps are behind it: completed or skipped. */
export function countDone(tasks: InstanceTask[]): number {
  return tasks.filter((task) => task.status === 'completed' || task.status === 'skipped').length;
}

/** "Step 2 of 7", "Completed: 7 of 7 steps", … */
export function describeStep(instance: SequenceInstance): string {
  const total = instance.total_steps;
  if (instance.status === 'completed') return `All ${total} ${total === 1 ? 'step' : 'steps'} done`;
  if (instance.status === 'cancelled') {
    return `Stopped at step ${Math.max(1, instance.current_step_order)} of ${total}`;
  }
  return `Step ${Math.max(1, instance.current_step_order)} of ${total}`;
}

export function SequenceInstanceCard({
  instance,
  timeZone,
  highlighted,
  onAction,
  onStepAction,
}: Props) {
  const titleId = useId();
  const stepsId = useId();
  // Arriving from a task's step badge: the steps are what the rep came to see or edit.
  const [showSteps, setShowSteps] = useState(highlighted ?? false);
  const done = countDone(instance.tasks);
  const total = Math.max(instance.total_steps, instance.tasks.length);
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const current = instance.tasks.find((task) => task.status === 'active');
  const running = instance.status === 'active' || instance.status === 'paused';
  const ended = !running;

  return (
    <article
      id={`sequence-${instance.id}`}
      aria-labelledby={titleId}
      className={cn(
        'scroll-mt-24 rounded-xl bg-white p-4 ring-1 ring-slate-200 sm:p-5',
        highlighted && 'ring-2 ring-brand-500',
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h4 id={titleId} className="text-sm font-semibold break-words text-slate-900">
            {instance.name}
          </h4>
          <p className="mt-0.5 text-xs text-slate-500">
            Started {formatInZone(new Date(instance.started_at), timeZone)}
            {instance.is_modified ? ' · modified' : ''}
            {instance.status === 'paused' && instance.resume_at
              ? ` · resumes ${formatInZone(new Date(instance.resume_at), timeZone)}`
              : ''}
            {instance.exit_reason ? ` · ${instance.exit_reason}` : ''}
          </p>
        </div>
        <Badge tone={statusTone[instance.status] ?? 'slate'} dot>
          {statusLabel[instance.status] ?? instance.status}
        </Badge>
      </div>

      <div className="mt-3">
        <div className="flex items-baseline justify-between gap-2 text-sm">
          <span className="font-medium text-slate-800">{describeStep(instance)}</span>
          <span className="text-xs text-slate-500">
            {done} of {total} done
          </span>
        </div>
        <div
          role="progressbar"
          aria-label={`Progress of ${instance.name}`}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={`${done} of ${total} steps done`}
          className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className={cn(
              'h-full rounded-full transition-[width]',
              instance.status === 'cancelled'
                ? 'bg-slate-400'
                : instance.status === 'paused'
                  ? 'bg-amber-500'
                  : 'bg-brand-600',
            )}
            style={{ width: `${percent}%` }}
          />
        </div>
        {current && running ? (
          <p className="mt-2 text-sm text-slate-700">
            <span className="text-slate-500">Now: </span>
            {current.name}
            {current.due_date ? (
              <span className="text-slate-500">
                {' '}
                · due{' '}
                <time dateTime={current.due_date}>
                  {formatInZone(new Date(current.due_date), timeZone)}
                </time>
              </span>
            ) : instance.status === 'paused' ? (
              <span className="text-slate-500"> · on hold</span>
            ) : null}
          </p>
        ) : null}
      </div>

      {instance.tasks.length > 0 ? (
        <div className="mt-3">
          <button
            type="button"
            aria-expanded={showSteps}
            aria-controls={stepsId}
            onClick={() => setShowSteps((value) => !value)}
            className="inline-flex items-center gap-1 rounded text-xs font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            {showSteps ? (
              <ChevronDown className="size-3.5" aria-hidden />
            ) : (
              <ChevronRight className="size-3.5" aria-hidden />
            )}
            {showSteps ? 'Hide steps' : 'Show steps'}
          </button>
          {showSteps ? (
            <ol id={stepsId} className="mt-2 space-y-1.5">
              {instance.tasks.map((task) => {
                const style = taskIcons[task.status] ?? {
                  icon: MinusCircle,
                  className: 'text-slate-400',
                  label: task.status,
                };
                const Icon = style.icon;
                const editable = running && isOpenStep(task) && onStepAction;
                const step = `step ${task.sequence_step_order}: ${task.name}`;
                const delay = task.status === 'pending' ? stepDelayText(task) : null;
                return (
                  <li key={task.id} className="flex items-start gap-2 text-sm">
                    <Icon className={cn('mt-0.5 size-4 shrink-0', style.className)} aria-hidden />
                    <span className="min-w-0 flex-1">
                      <span
                        className={cn(
                          'break-words',
                          task.status === 'active'
                            ? 'font-medium text-slate-900'
                            : 'text-slate-700',
                        )}
                      >
                        {task.sequence_step_order}. {task.name}
                      </span>
                      <span className="text-slate-500">
                        {' '}
                        · {style.label}
                        {task.due_date && task.status === 'active'
                          ? `, due ${formatInZone(new Date(task.due_date), timeZone)}`
                          : ''}
                        {delay
                          ? `, ${delay === 'no delay' ? 'no delay' : `${delay} after the step before`}`
                          : ''}
                        {task.type === 'automated' ? <AutomatedStepNote task={task} /> : null}
                      </span>
                    </span>
                    {editable ? (
                      <span className="-my-1 flex shrink-0 gap-0.5">
                        {task.status === 'pending' ? (
                          <button
                            type="button"
                            onClick={() => onStepAction('change-delay', instance, task)}
                            aria-label={`Change the delay of ${step}`}
                            title="Change delay"
                            className="grid size-8 place-items-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
                          >
                            <Clock className="size-4" aria-hidden />
                          </button>
                        ) : null}
                        <button
                          type="button"
                          onClick={() => onStepAction('delete-step', instance, task)}
                          aria-label={`Delete ${step}`}
                          title="Delete step"
                          className="grid size-8 place-items-center rounded-md text-slate-500 hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-brand-600"
                        >
                          <Trash2 className="size-4" aria-hidden />
                        </button>
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          ) : null}
        </div>
      ) : null}

      <div className="mt-4 flex flex-wrap justify-end gap-2">
        {running && onStepAction ? (
          <Button variant="secondary" size="sm" onClick={() => onAction('add-step', instance)}>
            <ListPlus className="size-4" aria-hidden />
            Add step
          </Button>
        ) : null}
        {instance.status === 'active' ? (
          <Button variant="secondary" size="sm" onClick={() => onAction('pause', instance)}>
            <Pause className="size-4" aria-hidden />
            Pause
          </Button>
        ) : null}
        {instance.status === 'paused' ? (
          <Button variant="secondary" size="sm" onClick={() => onAction('resume', instance)}>
            <Play className="size-4" aria-hidden />
            Resume
          </Button>
        ) : null}
        {running ? (
          <Button variant="secondary-danger" size="sm" onClick={() => onAction('cancel', instance)}>
            <XCircle className="size-4" aria-hidden />
            Cancel sequence
          </Button>
        ) : null}
        {ended ? (
          <Button variant="secondary" size="sm" onClick={() => onAction('restart', instance)}>
            <RotateCcw className="size-4" aria-hidden />
            Restart
          </Button>
        ) : null}
        {ended ? (
          <Button
            variant="secondary-danger"
            size="sm"
            onClick={() => onAction('delete', instance)}
            aria-label={`Delete ${instance.name}`}
          >
            <Trash2 className="size-4" aria-hidden />
            Delete
          </Button>
        ) : null}
      </div>
    </article>
  );
}

// An automated step (issue 14) runs a workflow: say so, what it is doing, and link its job.
const automationWords: Record<string, string> = {
  waiting: 'runs by itself',
  running: 'running now',
  needs_attention: 'needs attention',
  done: 'ran',
};

function AutomatedStepNote({ task }: { task: InstanceTask }) {
  const words = automationWords[task.automation_status ?? ''] ?? 'automated';
  return (
    <>
      {` · automated, ${words}`}
      {task.job_id ? (
        <>
          {' · '}
          <Link
            to={paths.app.job.getHref(task.job_id)}
            className="font-medium text-brand-700 hover:underline"
            aria-label={`The job of step ${task.sequence_step_order}: ${task.name}`}
          >
            job
          </Link>
        </>
      ) : null}
    </>
  );
}
