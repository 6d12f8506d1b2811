import { useQuery } from '@tanstack/react-query';
import { Ban, Pencil, RotateCcw } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
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
import { orderInput } from '@forkflow/domain/definition-order';
import { isActiveJobStatus, type JobStatus } from '@forkflow/domain/jobs';
import { canCancelJob, canRetryJob, jobQueries, jobStatusLabels, type Job } from '../api/queries';
import { useRetryJob } from '../api/retry-job';
import { formatDuration, jobDurationMs, lastAttempt, shortId } from '../utils/format';
import { summariseSteps } from '../utils/step-summary';
import { JsonBlock, Section } from './json-block';
import { StepCard } from './job-step-card';
import { Timeline } from './job-timeline';
import { ACTIVE_REFRESH_MS } from './jobs-list';
import { JobStatusBadge } from './job-status-badge';
import { QueueWaitNote } from './job-queue-wait';
import { HostNotAllowedHint, isNonRetryableFailure } from './job-rerun';

// What the canvas reads of a job and its events (a Job and JobEvent rows fit).
type CanvasJob = {
  workflow_id: string;
  workflow_version: number;
  status: string;
  current_step_id: string | null;
};
type CanvasEvent = { event_type: string; step_id: string | null; data: unknown };

type Props = {
  id: string;
  workflowName: (id: string) => string | undefined;
  memberName: (id: string) => string | undefined;
  /**
   * The workflow's canvas coloured by this job's steps (issue 12 §5): the route renders the
   * workflows feature's JobCanvas (features don't import each other). Absent: no canvas.
   */
  renderCanvas?:
    ((args: { job: CanvasJob; events: readonly CanvasEvent[] }) => ReactNode) | undefined;
  /**
   * "Re-run with edited input": the route renders the workflows feature's Run dialog,
   * prefilled with the job's input (features don't import each other). Absent: no re-run.
   */
  renderRerun?: ((args: { job: Job; onClose: () => void }) => ReactNode) | undefined;
  /** "Started by": a person, a trigger, a sequence step or a flow run (the route renders it). */
  renderStartedBy?: ((job: Job) => ReactNode) | undefined;
};

export function JobDetails({
  id,
  workflowName,
  memberName,
  renderRerun,
  renderCanvas,
  renderStartedBy,
}: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [rerunning, setRerunning] = useState(false);
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
  // A failure a retry would only repeat: re-running with edited input is the way on.
  const nonRetryable = isNonRetryableFailure(job, events);
  const canRerun = renderRerun !== undefined && !active;
  const total = jobDurationMs(job);
  const last = lastAttempt(job, events);
  const duration =
    last && last.attempts > 1 && total !== null
      ? `${formatDuration(last.ms)} (last attempt) · ${formatDuration(total)} total`
      : formatDuration(total);

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
    ['Started by', renderStartedBy?.(job) ?? memberName(job.user_id) ?? 'A former member'],
    ['Created', formatDateTime(job.created_at)],
    ['Started', job.started_at ? formatDateTime(job.started_at) : 'Not yet'],
    ['Finished', job.completed_at ? formatDateTime(job.completed_at) : '—'],
    ['Duration', duration],
    ...(job.rerun_of
      ? ([
          [
            'Re-run of',
            <Link
              key="rerun"
              to={paths.app.job.getHref(job.rerun_of)}
              className="font-mono text-xs font-medium text-brand-700 hover:underline"
            >
              {shortId(job.rerun_of)}
            </Link>,
          ],
        ] as [string, ReactNode][])
      : []),
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
            {canRerun && nonRetryable ? (
              <Button onClick={() => setRerunning(true)}>
                <Pencil className="size-4" aria-hidden />
                Re-run with edited input
              </Button>
            ) : null}
            {canRetryJob(job) ? (
              <Button
                variant={nonRetryable ? 'secondary' : 'primary'}
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
            {canRerun && !nonRetryable ? (
              <Button variant="secondary" onClick={() => setRerunning(true)}>
                <Pencil className="size-4" aria-hidden />
                Re-run with edited input
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
          {job.error_code === 'host_not_allowed' ? (
            <HostNotAllowedHint message={job.error_message} />
          ) : null}
        </section>
      ) : null}

      {job.status === 'pending' ? (
        <QueueWaitNote organisationId={organisation.id} job={job} />
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
            <JsonBlock
              label="Job input JSON"
              value={orderInput(query.data.inputs, job.input_data)}
            />
          </Section>
        </div>

        <div className="min-w-0 space-y-6">
          {job.status === 'completed' ? (
            <Section title="Final result" id="job-result">
              <JsonBlock label="Final result JSON" value={job.final_result} />
            </Section>
          ) : null}
          {renderCanvas ? (
            <Section title="Path" id="job-path">
              {renderCanvas({ job, events })}
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
      {rerunning && renderRerun ? renderRerun({ job, onClose: () => setRerunning(false) }) : null}
    </div>
  );
}
