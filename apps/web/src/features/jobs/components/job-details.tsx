import { useQuery } from '@tanstack/react-query';
import { Ban, RotateCcw } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { Spinner } from '@/components/ui/spinner';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime } from '@/lib/utils';
import { useCancelJob } from '../api/cancel-job';
import { isActiveJobStatus, type JobStatus } from '@forkflow/domain/jobs';
import {
  canCancelJob,
  canRetryJob,
  jobQueries,
  jobStatusLabels,
  type JobEvent,
} from '../api/queries';
import { useRetryJob } from '../api/retry-job';
import { formatDuration, jobDurationMs, shortId } from '../utils/format';
import { summariseSteps, type StepSummary } from '../utils/step-summary';
import { ACTIVE_REFRESH_MS } from './jobs-list';
import { JobStatusBadge } from './job-status-badge';

type Props = {
  id: string;
  workflowName: (id: string) => string | undefined;
  memberName: (id: string) => string | undefined;
};

const json = (value: unknown) => JSON.stringify(value, null, 2);

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="max-h-80 overflow-auto rounded-lg bg-slate-50 p-3 font-mono text-[13px] leading-5 break-words whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
    >
      {value === undefined ? '—' : json(value)}
    </pre>
  );
}

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section
      aria-labelledby={id}
      className="min-w-0 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id={id}
        className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900 sm:px-5"
      >
        {title}
      </h2>
      <div className="px-4 py-4 sm:px-5">{children}</div>
    </section>
  );
}

const eventLabels: Record<string, string> = {
  created: 'Created',
  claimed: 'Step started',
  step_succeeded: 'Step succeeded',
  step_failed: 'Step failed',
  retry_scheduled: 'Retry scheduled',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  retried: 'Re-queued',
};

const eventTone = (type: string) =>
  type === 'step_failed' || type === 'failed'
    ? 'bg-red-500'
    : type === 'step_succeeded' || type === 'completed'
      ? 'bg-emerald-500'
      : type === 'retry_scheduled' || type === 'retried'
        ? 'bg-amber-500'
        : type === 'cancelled'
          ? 'bg-slate-400'
          : 'bg-brand-500';

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
});

const hasData = (data: unknown) =>
  typeof data === 'object' && data !== null && Object.keys(data).length > 0;

function Timeline({ events }: { events: JobEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events yet.</p>;
  return (
    <ol aria-label="Timeline" className="relative space-y-4 border-l border-slate-200 pl-5">
      {events.map((event) => (
        <li key={event.id} className="relative">
          <span
            aria-hidden
            className={`absolute top-1.5 -left-[1.6rem] size-2.5 rounded-full ring-4 ring-white ${eventTone(event.event_type)}`}
          />
          <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm">
            <span className="font-medium text-slate-900">
              {eventLabels[event.event_type] ?? event.event_type}
            </span>
            {event.step_id ? (
              <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-700">
                {event.step_id}
              </code>
            ) : null}
            {event.attempt !== null && event.step_id ? (
              <span className="text-xs text-slate-500">attempt {event.attempt}</span>
            ) : null}
            {event.duration_ms !== null ? (
              <span className="text-xs text-slate-500">{formatDuration(event.duration_ms)}</span>
            ) : null}
            <time
              dateTime={event.created_at}
              title={formatDateTime(event.created_at)}
              className="ml-auto text-xs text-slate-500 tabular-nums"
            >
              {timeFormat.format(new Date(event.created_at))}
            </time>
          </div>
          {event.message ? <p className="mt-0.5 text-sm text-slate-600">{event.message}</p> : null}
          {hasData(event.data) ? (
            <details className="group">
              <summary className="cursor-pointer rounded py-1 text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                Details
                <span className="sr-only">{` of ${eventLabels[event.event_type] ?? event.event_type}${event.step_id ? ` ${event.step_id}` : ''}`}</span>
              </summary>
              <div className="mt-2">
                <JsonBlock label={`Data of event ${event.id}`} value={event.data} />
              </div>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

const stepBadges = {
  succeeded: { tone: 'emerald', label: 'Succeeded' },
  failed: { tone: 'red', label: 'Failed' },
  running: { tone: 'blue', label: 'Running' },
  stopped: { tone: 'slate', label: 'Stopped' },
} as const;

function StepCard({ step, jobActive }: { step: StepSummary; jobActive: boolean }) {
  // A step the job left unfinished (cancelled mid-step, or the job ended otherwise) is not
  // running any more, whatever its last event said.
  const stopped = step.status === 'running' && !jobActive;
  const finished = step.status !== 'running';
  const badge = stepBadges[stopped ? 'stopped' : step.status];
  return (
    <li className="rounded-lg ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2 px-3 py-2">
        <code className="font-mono text-sm font-medium text-slate-900">{step.stepId}</code>
        {step.transformerId ? <Badge tone="indigo">{step.transformerId}</Badge> : null}
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="text-xs text-slate-500">
          {step.attempts} {step.attempts === 1 ? 'attempt' : 'attempts'}
          {step.durationMs !== null ? ` · ${formatDuration(step.durationMs)}` : ''}
        </span>
      </div>
      {finished ? (
        <div className="grid gap-3 border-t border-slate-100 px-3 py-3 md:grid-cols-2">
          <div className="min-w-0 space-y-1">
            <h3 className="text-xs font-medium text-slate-500">Input</h3>
            <JsonBlock label={`Input of ${step.stepId}`} value={step.input} />
          </div>
          <div className="min-w-0 space-y-1">
            <h3 className="text-xs font-medium text-slate-500">
              {step.status === 'failed' ? 'Error' : 'Output'}
            </h3>
            <JsonBlock
              label={`${step.status === 'failed' ? 'Error' : 'Output'} of ${step.stepId}`}
              value={step.status === 'failed' ? step.error : step.output}
            />
          </div>
        </div>
      ) : (
        // Input and output are recorded when the step finishes: say so rather than show "—".
        <div className="space-y-3 border-t border-slate-100 px-3 py-3">
          <p className="text-sm text-slate-500">
            {stopped
              ? 'The job stopped before this step finished: it has no output.'
              : 'Its input and output show here when it finishes.'}
          </p>
          {step.error !== undefined ? (
            <div className="min-w-0 space-y-1">
              <h3 className="text-xs font-medium text-slate-500">Error of the previous attempt</h3>
              <JsonBlock
                label={`Error of the previous attempt of ${step.stepId}`}
                value={step.error}
              />
            </div>
          ) : null}
        </div>
      )}
    </li>
  );
}

export function JobDetails({ id, workflowName, memberName }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const query = useQuery({
    ...jobQueries.detail(organisation.id, id),
    refetchInterval: (current) =>
      current.state.data && isActiveJobStatus(current.state.data.job.status)
        ? ACTIVE_REFRESH_MS
        : false,
  });
  const onError = (title: string) => (error: Error) =>
    toast({ tone: 'error', title, description: getErrorMessage(error), duration: 8000 });
  const retry = useRetryJob({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: () =>
        toast({
          title: 'Job re-queued',
          description: 'It runs again from the step where it stopped.',
        }),
      onError: onError("Couldn't retry the job"),
    },
  });
  const cancel = useCancelJob({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_result, variables) => {
        setConfirmCancel(false);
        // The way back from a mistaken cancel: retry_job re-queues a started job from the
        // step it reached. A job that never started has nothing to resume.
        const started = Boolean(query.data?.job.started_at);
        toast({
          title: 'Job cancelled',
          description: started ? 'Resume runs it again from the step it reached.' : undefined,
          action: started ? { label: 'Resume', onClick: () => retry.mutate(variables) } : undefined,
          duration: started ? 8000 : undefined,
        });
      },
      onError: (error) => {
        setConfirmCancel(false);
        onError("Couldn't cancel the job")(error);
      },
    },
  });
  const back = <BackLink to={paths.app.jobs.getHref()}>Jobs</BackLink>;

  if (query.isPending || !query.data) {
    return (
      <DetailPlaceholder
        back={back}
        query={query}
        label="Loading job"
        notFoundTitle="Job not found"
        errorTitle="Couldn't load this job"
      >
        <div className="space-y-4">
          <Skeleton className="h-8 w-72 max-w-full" />
          <Skeleton className="h-48" />
        </div>
      </DetailPlaceholder>
    );
  }

  const { job, events } = query.data;
  const active = isActiveJobStatus(job.status);
  const steps = summariseSteps(events, job.step_data);
  const name = workflowName(job.workflow_id) ?? 'Workflow';
  const statusLabel = jobStatusLabels[job.status as JobStatus] ?? job.status;

  const overview: [string, ReactNode][] = [
    ['Status', <JobStatusBadge key="status" status={job.status} />],
    [
      'Workflow',
      <span key="workflow">
        <Link
          to={paths.app.workflow.getHref(job.workflow_id)}
          className="font-medium text-brand-700 hover:underline"
        >
          {name}
        </Link>{' '}
        · version {job.workflow_version}
      </span>,
    ],
    ['Started by', memberName(job.user_id) ?? 'A former member'],
    ['Created', formatDateTime(job.created_at)],
    ['Started', job.started_at ? formatDateTime(job.started_at) : 'Not yet'],
    ['Finished', job.completed_at ? formatDateTime(job.completed_at) : '—'],
    ['Duration', formatDuration(jobDurationMs(job))],
    ['Retries', `${job.retry_count} of ${job.max_retries}`],
    ...(job.status === 'awaiting_retry' && job.next_retry_at
      ? ([['Next retry', formatDateTime(job.next_retry_at)]] as [string, ReactNode][])
      : []),
    ...(job.current_step_id
      ? ([
          [
            'Current step',
            <code key="step" className="font-mono text-xs">
              {job.current_step_id}
            </code>,
          ],
        ] as [string, ReactNode][])
      : []),
  ];

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        {back}
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
                {name} <span className="font-mono text-lg text-slate-500">{shortId(job.id)}</span>
              </h1>
              <JobStatusBadge status={job.status} />
            </div>
            <p className="mt-1 flex items-center gap-2 text-sm text-slate-500" aria-live="polite">
              {active ? (
                <>
                  <Spinner className="size-4 text-brand-600" />
                  Updating live while the job runs
                </>
              ) : (
                <>
                  {/* Heard when a job watched live finishes, rather than its id alone. */}
                  <span className="sr-only">{`The job is ${statusLabel.toLowerCase()}.`}</span>
                  <span className="font-mono text-xs">{job.id}</span>
                </>
              )}
            </p>
          </div>
          <div className="flex w-full flex-wrap gap-2 sm:w-auto">
            {canRetryJob(job) ? (
              <Button
                onClick={() => retry.mutate({ organisationId: organisation.id, id: job.id })}
                isLoading={retry.isPending}
              >
                {retry.isPending ? null : <RotateCcw className="size-4" aria-hidden />}
                {/* A cancelled job didn't fail: it goes on from the step it reached. */}
                {job.status === 'cancelled'
                  ? 'Resume from where it stopped'
                  : 'Retry from failed step'}
              </Button>
            ) : null}
            {canCancelJob(job) ? (
              <Button variant="secondary-danger" onClick={() => setConfirmCancel(true)}>
                <Ban className="size-4" aria-hidden />
                Cancel job
              </Button>
            ) : null}
          </div>
        </div>
      </header>

      {/* Above the columns: on a phone the reason a job failed comes before its overview. */}
      {job.error_message || job.error_code ? (
        <section
          role={job.status === 'failed' ? 'alert' : undefined}
          aria-label="Job error"
          className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 sm:px-5"
        >
          <p className="font-medium">
            {job.status === 'failed' ? 'The job failed' : 'Last error'}
            {job.error_code ? (
              <code className="ml-2 font-mono text-xs">{job.error_code}</code>
            ) : null}
          </p>
          {job.error_message ? <p className="mt-1 break-words">{job.error_message}</p> : null}
        </section>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <div className="min-w-0 space-y-6">
          <Section title="Overview" id="job-overview">
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
              {overview.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-slate-500">{label}</dt>
                  <dd className="min-w-0 break-words text-slate-900">{value}</dd>
                </div>
              ))}
            </dl>
          </Section>
          <Section title="Input" id="job-input">
            <JsonBlock label="Job input JSON" value={job.input_data} />
          </Section>
        </div>

        <div className="min-w-0 space-y-6">
          {job.status === 'completed' ? (
            <Section title="Final result" id="job-result">
              <JsonBlock label="Final result JSON" value={job.final_result} />
            </Section>
          ) : null}
          <Section title="Steps" id="job-steps">
            {steps.length === 0 ? (
              <p className="text-sm text-slate-500">No step has run yet.</p>
            ) : (
              <ol aria-label="Steps" className="space-y-3">
                {steps.map((step) => (
                  <StepCard key={step.stepId} step={step} jobActive={active} />
                ))}
              </ol>
            )}
          </Section>
          <Section title="Timeline" id="job-timeline">
            <Timeline events={events} />
          </Section>
        </div>
      </div>

      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title="Cancel this job?"
        description={
          job.started_at
            ? 'It stops before its next step; a step already running has its result discarded. You can resume it later from the step it reached.'
            : 'It hasn’t started yet, so it never runs: to run it later, start the workflow again.'
        }
        confirmLabel="Cancel job"
        cancelLabel="Keep it running"
        isPending={cancel.isPending}
        onConfirm={() => cancel.mutate({ organisationId: organisation.id, id: job.id })}
      />
    </div>
  );
}
