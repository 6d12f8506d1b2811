import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, Play, RotateCcw, Square, XCircle } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { Skeleton } from '@/components/ui/skeleton';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { useNow } from '@/hooks/use-now';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime } from '@/lib/utils';
import { useFlowRunAction } from '../api/flow-run-action';
import {
  flowRunQueries,
  isRunEnded,
  PAUSED_RUN_REFRESH_MS,
  RUN_REFRESH_MS,
  type RunDetail,
  type RunFlow,
  type RunFlowSnapshot,
} from '../api/queries';
import { formatDuration, runDurationMs } from '../utils/run-format';
import { eventsFromRecordedSteps, stepsOfJob } from '../utils/steps';
import { JsonBlock } from './json-block';
import { RerunDialog } from './rerun-dialog';
import { ResolvedValues } from './resolved-values';
import { RunFlowStatusBadge, RunStatusBadge } from './run-status-badge';
import { RunSteps } from './run-steps';

type Props = { runId: string; memberName: (userId: string) => string | undefined };

/**
 * A run of a flow sequence: its state, what it resolved, and each flow's attempts with their
 * inputs (and where each came from), steps, output and assertions. Polled while it runs; a
 * paused debug run offers Continue, Re-run this flow and Stop. Everything shown comes from
 * the database, so a reload or a teammate sees the same session.
 */
export function RunDetails({ runId, memberName }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const now = useNow(1_000).getTime();
  const [rerunOpen, setRerunOpen] = useState(false);
  const [confirmStop, setConfirmStop] = useState(false);
  const query = useQuery({
    ...flowRunQueries.detail(organisation.id, runId),
    refetchInterval: (current) =>
      current.state.data?.run.status === 'running'
        ? RUN_REFRESH_MS
        : current.state.data?.run.status === 'paused'
          ? PAUSED_RUN_REFRESH_MS
          : false,
  });
  const action = useFlowRunAction({
    mutationConfig: {
      onSuccess: (_data, variables) => {
        setRerunOpen(false);
        setConfirmStop(false);
        toast({
          title:
            variables.body.action === 'continue'
              ? 'Continuing'
              : variables.body.action === 'rerun'
                ? `Re-running ${variables.body.flow_id}`
                : 'Run stopped',
        });
      },
      onError: (error, variables) => {
        setConfirmStop(false);
        if (error instanceof FunctionError && error.status === 409) {
          setRerunOpen(false);
          toast({
            tone: 'info',
            title: 'The run changed in the meantime',
            description:
              'Someone else acted on it, or a flow ended. The page now shows where it is.',
            duration: 8000,
          });
          return;
        }
        // A rerun's problems are shown in its dialog.
        if (variables.body.action === 'rerun') return;
        toast({
          tone: 'error',
          title: "Couldn't do that",
          description: getErrorMessage(error),
          duration: 8000,
        });
      },
    },
  });

  const back = (detail?: RunDetail) =>
    detail ? (
      <BackLink to={paths.app.flowSequence.getHref(detail.run.project_id, detail.run.sequence_id)}>
        {detail.sequenceName ?? 'Sequence'}
      </BackLink>
    ) : (
      <BackLink to={paths.app.projects.getHref()}>Projects</BackLink>
    );

  if (query.isPending || !query.data) {
    return (
      <DetailPlaceholder
        back={back()}
        query={query}
        label="Loading run"
        notFoundTitle="Run not found"
        errorTitle="Couldn't load this run"
      >
        <Skeleton className="h-8 w-72 max-w-full" />
        <Skeleton className="h-48" />
      </DetailPlaceholder>
    );
  }

  const detail = query.data;
  const { run, runFlows, events } = detail;
  const attemptsOf = (flowId: string) => runFlows.filter((row) => row.flow_id === flowId);
  const current = run.current_flow_id ? attemptsOf(run.current_flow_id).at(-1) : undefined;
  const paused = run.status === 'paused';
  const canContinue = paused && current?.status === 'passed';
  const canStop = run.status === 'running' || paused;
  const pending = action.isPending;
  const act = (body: Parameters<typeof action.mutate>[0]['body']) =>
    action.mutate({ organisationId: organisation.id, body });

  const overview: [string, ReactNode][] = [
    ['Mode', run.mode === 'debug' ? 'Debug (pauses after each flow)' : 'Normal'],
    ['Environment', run.environment_name ?? 'None linked'],
    ['Run by', run.created_by ? (memberName(run.created_by) ?? 'A former member') : '—'],
    ['Started', formatDateTime(run.started_at)],
    ['Duration', formatDuration(runDurationMs(run, now))],
  ];

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        {back(detail)}
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
                Run of {detail.sequenceName ?? 'a deleted sequence'}
              </h1>
              <RunStatusBadge status={run.status} />
            </div>
            <p className="mt-1 flex items-center gap-2 text-sm text-slate-600" aria-live="polite">
              {run.status === 'running' ? (
                <>
                  <Spinner className="size-4 text-brand-600" />
                  Running {run.current_flow_id ?? ''}: updating live
                </>
              ) : paused ? (
                `Paused after ${run.current_flow_id ?? 'a flow'} (${current?.status === 'passed' ? 'passed' : 'failed'}).`
              ) : (
                `The run ${run.status}.`
              )}
            </p>
          </div>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-5">
          {overview.map(([label, value]) => (
            <div key={label} className="min-w-0">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-words text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      </header>

      {run.error ? (
        <section
          role="alert"
          aria-label="Why the run stopped"
          className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          <p className="font-medium">
            {run.error.flow_id} failed{' '}
            <code className="ml-1 font-mono text-xs">{run.error.code}</code>
          </p>
          <p className="mt-1 break-words">{run.error.message}</p>
        </section>
      ) : null}

      {canStop ? (
        <section
          aria-label="Debug controls"
          className="flex flex-wrap items-center gap-2 rounded-xl bg-amber-50 px-4 py-3 ring-1 ring-amber-200"
        >
          {paused && run.current_flow_id ? (
            <>
              <p className="mr-auto text-sm text-amber-900">
                {canContinue
                  ? `${run.current_flow_id} passed. Check its inputs and output below, then continue.`
                  : `${run.current_flow_id} failed: re-run it (perhaps with other inputs) or stop.`}
              </p>
              <Button
                onClick={() =>
                  act({ run_id: run.id, action: 'continue', flow_id: run.current_flow_id! })
                }
                disabled={!canContinue || pending}
                isLoading={pending && action.variables?.body.action === 'continue'}
              >
                <Play className="size-4" aria-hidden />
                Continue
              </Button>
              <Button variant="secondary" onClick={() => setRerunOpen(true)} disabled={pending}>
                <RotateCcw className="size-4" aria-hidden />
                Re-run this flow
              </Button>
            </>
          ) : (
            <p className="mr-auto text-sm text-amber-900">
              {run.current_flow_id ?? 'A flow'} is running.
            </p>
          )}
          <Button
            variant="secondary-danger"
            onClick={() => setConfirmStop(true)}
            disabled={pending}
          >
            <Square className="size-4" aria-hidden />
            Stop
          </Button>
        </section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Sequence parameters" id="run-parameters">
          <ResolvedValues
            label="Sequence parameters"
            values={run.parameters}
            empty="This sequence has no parameters."
          />
        </Card>
        <Card title="Variables" id="run-variables">
          <ResolvedValues
            label="Variables"
            values={run.variables}
            empty="No project variables or API hosts."
          />
        </Card>
      </div>
      <section aria-labelledby="run-flows" className="min-w-0 space-y-3">
        <h2 id="run-flows" className="text-base font-semibold text-slate-900">
          Flows
        </h2>
        <ol aria-label="Flows of the run" className="space-y-4">
          {run.flows.map((flow) => (
            <FlowTimelineItem
              key={flow.id}
              flow={flow}
              attempts={attemptsOf(flow.id)}
              events={events}
              isCurrent={flow.id === run.current_flow_id && !isRunEnded(run.status)}
            />
          ))}
        </ol>
      </section>

      {current && run.current_flow_id ? (
        <RerunDialog
          open={rerunOpen}
          onOpenChange={(open) => {
            setRerunOpen(open);
            if (!open) action.reset();
          }}
          flowId={run.current_flow_id}
          inputs={current.inputs}
          isPending={pending}
          error={action.variables?.body.action === 'rerun' ? action.error : null}
          onSubmit={(inputs) =>
            act({
              run_id: run.id,
              action: 'rerun',
              flow_id: run.current_flow_id!,
              ...(inputs ? { inputs } : {}),
            })
          }
        />
      ) : null}
      <ConfirmDialog
        open={confirmStop}
        onOpenChange={setConfirmStop}
        title="Stop this run?"
        description="A flow that is running is cancelled; no later flow runs. The run's record stays."
        confirmLabel="Stop the run"
        cancelLabel="Keep it"
        isPending={pending && action.variables?.body.action === 'stop'}
        onConfirm={() => act({ run_id: run.id, action: 'stop' })}
      />
    </div>
  );
}

function Card({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <h2
        id={id}
        className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900"
      >
        {title}
      </h2>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

function FlowTimelineItem({
  flow,
  attempts,
  events,
  isCurrent,
}: {
  flow: RunFlowSnapshot;
  attempts: RunFlow[];
  events: RunDetail['events'];
  isCurrent: boolean;
}) {
  const latest = attempts.at(-1);
  const earlier = attempts.slice(0, -1).reverse();
  return (
    <li
      aria-label={`Flow ${flow.id}`}
      aria-current={isCurrent ? 'step' : undefined}
      className={`rounded-xl bg-white shadow-xs ring-1 ${isCurrent ? 'ring-2 ring-brand-400' : 'ring-slate-200'}`}
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-2">
        <Badge tone="indigo" className="font-mono">
          {flow.id}
        </Badge>
        <h3 className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">
          {flow.workflow_name}
        </h3>
        {latest ? (
          <>
            <RunFlowStatusBadge status={latest.status} />
            <span className="text-xs text-slate-500">attempt {latest.attempt}</span>
          </>
        ) : (
          <Badge tone="slate">Not started</Badge>
        )}
      </div>
      {latest ? (
        <div className="px-4 py-3">
          <Attempt flowId={flow.id} attempt={latest} events={events} />
          {earlier.length > 0 ? (
            <div className="mt-3 space-y-2">
              {earlier.map((attempt) => (
                <details key={attempt.id} className="rounded-lg bg-slate-50 px-3 py-2">
                  <summary className="cursor-pointer text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-600">
                    Attempt {attempt.attempt} ({attempt.status})
                  </summary>
                  <div className="mt-2">
                    <Attempt flowId={flow.id} attempt={attempt} events={events} />
                  </div>
                </details>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function Attempt({
  flowId,
  attempt,
  events,
}: {
  flowId: string;
  attempt: RunFlow;
  events: RunDetail['events'];
}) {
  // Live events while the job runs (for whoever may read them); once it ended, the copy
  // recorded on the run flow, which every member of the organisation reads.
  const liveSteps = attempt.job_id ? stepsOfJob(events, attempt.job_id) : [];
  const recordedSteps = attempt.job_id
    ? stepsOfJob(eventsFromRecordedSteps(attempt.job_id, attempt.steps), attempt.job_id)
    : [];
  const steps = liveSteps.length > 0 ? liveSteps : recordedSteps;
  const ended = attempt.status !== 'running' && attempt.status !== 'evaluating';
  const label = `${flowId} attempt ${attempt.attempt}`;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h4 className="text-xs font-medium text-slate-500">Inputs</h4>
        <ResolvedValues
          label={`Inputs of ${label}`}
          values={attempt.inputs}
          empty="No inputs: the workflow's defaults applied."
        />
      </div>
      {attempt.error ? (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          <span className="font-medium">Error</span>{' '}
          <code className="font-mono text-xs">{attempt.error.code}</code>
          <p className="break-words">{attempt.error.message}</p>
        </div>
      ) : null}
      {attempt.assertions.length > 0 ? (
        <div className="space-y-1">
          <h4 className="text-xs font-medium text-slate-500">Assertions</h4>
          <ul aria-label={`Assertions of ${label}`} className="space-y-1 text-sm">
            {attempt.assertions.map((result, index) => (
              <li key={index} className="flex items-start gap-2">
                {result.passed ? (
                  <CheckCircle2
                    className="mt-0.5 size-4 shrink-0 text-emerald-600"
                    aria-label="passed"
                  />
                ) : (
                  <XCircle className="mt-0.5 size-4 shrink-0 text-red-600" aria-label="failed" />
                )}
                <span className={result.passed ? 'text-slate-700' : 'text-red-800'}>
                  {result.message}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {ended ? (
        <div className="space-y-1">
          <h4 className="text-xs font-medium text-slate-500">Output</h4>
          <JsonBlock label={`Output of ${label}`} value={attempt.output ?? undefined} />
        </div>
      ) : (
        <p className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner className="size-4 text-brand-600" />
          {attempt.status === 'evaluating' ? 'Checking its output…' : 'Running…'}
        </p>
      )}
      <div className="space-y-1">
        <div className="flex items-baseline justify-between gap-2">
          <h4 className="text-xs font-medium text-slate-500">Steps</h4>
          {attempt.job_id ? (
            <Link
              to={paths.app.job.getHref(attempt.job_id)}
              className="text-xs font-medium text-brand-700 hover:underline"
            >
              Its job<span className="sr-only">{` (${label})`}</span>
            </Link>
          ) : null}
        </div>
        {steps.length > 0 ? (
          <RunSteps flowId={flowId} steps={steps} />
        ) : (
          <p className="text-sm text-slate-500">
            {attempt.job_id
              ? 'No step recorded yet: the steps show here as they run (to whoever ran it and owners/admins) and for everyone once the flow ends.'
              : 'No job was started for it.'}
          </p>
        )}
      </div>
    </div>
  );
}
