import { AlertTriangle, CheckCircle2, Clock, ExternalLink, RotateCw } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import type { TaskListItem } from '../api/queries';
import { useRetryAutomatedTask } from '../api/retry-automated-task';
import { automationErrorText, automationStatusOf, outputSummary } from '../utils/automation';
import { formatDue } from '../utils/dates';

function JobLink({ jobId, label = 'View the job' }: { jobId: string | null; label?: string }) {
  if (!jobId) return null;
  return (
    <Link
      to={paths.app.job.getHref(jobId)}
      className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline"
    >
      {label}
      <ExternalLink className="size-3.5" aria-hidden />
    </Link>
  );
}

/**
 * What an automated sequence task is doing (issue 14 §1): waiting to run ("Runs Thu 27 Nov,
 * 10:00"), running its workflow (with the job), needing attention (the error in words and
 * Retry; the card's own Complete by hand and Skip are the other ways on) or done (what the
 * job returned). The list refreshes itself while a job runs (utils/automation.ts), so this
 * changes in place; it is a polite live region so a screen reader hears it.
 */
export function AutomatedTaskPanel({
  task,
  timeZone,
  now,
}: {
  task: TaskListItem;
  timeZone: string;
  now: Date;
}) {
  const status = automationStatusOf(task);
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const retry = useRetryAutomatedTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) =>
        toast({
          title: 'Running it again',
          description: result.task.name,
        }),
      onError: (error) =>
        toast({
          tone: 'error',
          title: 'Couldn’t retry the task',
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });
  if (!status) return null;

  const workflow = task.job?.workflow?.name;
  let body: ReactNode;
  let tone = 'bg-slate-50 ring-slate-200 text-slate-700';

  if (status === 'waiting') {
    const paused = task.sequence_instance?.status === 'paused';
    const due = task.due_date ? new Date(task.due_date) : null;
    body = (
      <p className="flex items-center gap-2">
        <Clock className="size-4 shrink-0 text-slate-400" aria-hidden />
        {task.status === 'pending' ? (
          'Runs by itself when the step before is done.'
        ) : paused ? (
          'Held while the sequence is paused.'
        ) : due && due.getTime() > now.getTime() ? (
          <span>
            Runs <time dateTime={task.due_date ?? undefined}>{formatDue(due, timeZone)}</time>
          </span>
        ) : (
          'Starting…'
        )}
      </p>
    );
  } else if (status === 'running') {
    tone = 'bg-sky-50 ring-sky-200 text-sky-900';
    body = (
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <p className="flex items-center gap-2 font-medium">
          <Spinner className="size-4 text-sky-600" />
          Running {workflow ?? 'its workflow'}
        </p>
        <JobLink jobId={task.job_id} />
      </div>
    );
  } else if (status === 'needs_attention') {
    tone = 'bg-amber-50 ring-amber-200 text-amber-950';
    body = (
      <div className="space-y-2">
        <p className="flex items-start gap-2">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <span>
            <span className="font-semibold">Needs attention: </span>
            {automationErrorText(task.automation_error)}
          </span>
        </p>
        <p className="text-xs text-amber-900">
          Retry it, complete it by hand, or skip it. {workflow ? `Workflow: ${workflow}. ` : ''}
          <JobLink jobId={task.job_id} />
        </p>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => retry.mutate({ taskId: task.id })}
          isLoading={retry.isPending}
          aria-label={`Retry ${task.name}`}
        >
          <RotateCw className="size-4" aria-hidden />
          Retry
        </Button>
      </div>
    );
  } else {
    // Done: by its job (output recorded), or ended by hand (completed, skipped, cancelled).
    const ranToEnd = task.status === 'completed' && task.automation_output !== null;
    const lines = ranToEnd ? outputSummary(task.automation_output) : [];
    tone = ranToEnd ? 'bg-emerald-50 ring-emerald-200 text-emerald-950' : tone;
    body = (
      <div className="space-y-1">
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span className="flex items-center gap-2 font-medium">
            <CheckCircle2
              className={cn('size-4 shrink-0', ranToEnd ? 'text-emerald-600' : 'text-slate-400')}
              aria-hidden
            />
            {ranToEnd ? `Done by ${workflow ?? 'its workflow'}` : 'Ended by hand'}
          </span>
          <JobLink jobId={task.job_id} />
        </p>
        {lines.length > 0 ? (
          <ul aria-label="Output" className="space-y-0.5 pl-6 text-xs break-words">
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }

  return (
    <div
      aria-live="polite"
      data-automation-status={status}
      className={cn(
        'col-span-2 mt-3 rounded-lg px-3 py-2 text-sm ring-1 ring-inset sm:col-start-2',
        tone,
      )}
    >
      {body}
    </div>
  );
}
