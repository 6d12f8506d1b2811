import { useQuery } from '@tanstack/react-query';
import { BarChart3 } from 'lucide-react';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn } from '@/lib/utils';
import { sequenceTemplateQueries, type SequenceTemplateStats } from '../api/queries';

/** "3 d 4 h", "2 h 10 min", "45 min", "under a minute". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

const percent = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);

export function SequenceTemplateAnalytics({ templateId }: { templateId: string }) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(sequenceTemplateQueries.stats(organisation.id, templateId));

  return (
    <section
      aria-labelledby="analytics-title"
      className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <header className="flex items-center gap-2 border-b border-slate-100 px-5 py-3">
        <BarChart3 className="size-4 text-brand-600" aria-hidden />
        <h2 id="analytics-title" className="text-sm font-semibold text-slate-900">
          How it’s going
        </h2>
      </header>
      {query.isPending ? (
        <div role="status" aria-label="Loading analytics" className="space-y-4 px-5 py-5">
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {Array.from({ length: 4 }, (_, index) => (
              <Skeleton key={index} className="h-16" />
            ))}
          </div>
          <Skeleton className="h-6 w-full" />
          <Skeleton className="h-6 w-4/5" />
        </div>
      ) : query.isError ? (
        <ErrorState
          title="Couldn't load the analytics"
          message={getErrorMessage(query.error)}
          onRetry={() => void query.refetch()}
          isRetrying={query.isFetching}
        />
      ) : (
        <SequenceFunnel stats={query.data} />
      )}
    </section>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2.5 ring-1 ring-slate-200/70 ring-inset">
      <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500">
        <span className={cn('size-2 rounded-full', tone)} aria-hidden />
        {label}
      </dt>
      <dd className="mt-0.5 text-xl font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

/** Instances by outcome, then per step how many got there and what happened: plain CSS bars. */
export function SequenceFunnel({ stats }: { stats: SequenceTemplateStats }) {
  if (stats.started === 0) {
    return (
      <div className="px-5 py-8 text-center">
        <p className="text-sm font-medium text-slate-900">Not started for any restaurant yet</p>
        <p className="mt-1 text-sm text-slate-600">
          Once it runs, you’ll see here how far restaurants get and how long each step takes.
        </p>
      </div>
    );
  }
  const running = stats.active;
  return (
    <div className="space-y-6 px-5 py-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Started" value={stats.started} tone="bg-brand-500" />
        <Stat label="Running" value={running} tone="bg-sky-500" />
        <Stat label="Completed" value={stats.completed} tone="bg-emerald-500" />
        <Stat label="Cancelled" value={stats.cancelled} tone="bg-slate-400" />
      </dl>
      {stats.paused > 0 ? (
        <p className="-mt-3 text-xs text-slate-500">
          {stats.paused} of the running {stats.paused === 1 ? 'one is' : 'ones are'} paused.
        </p>
      ) : null}

      <div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="text-sm font-semibold text-slate-900">Steps</h3>
          <ul aria-label="Legend" className="flex flex-wrap gap-3 text-xs text-slate-600">
            <li className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-sm bg-emerald-500" aria-hidden />
              Completed
            </li>
            <li className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-sm bg-amber-400" aria-hidden />
              Skipped
            </li>
            <li className="flex items-center gap-1.5">
              <span className="size-2.5 rounded-sm bg-brand-200" aria-hidden />
              Reached, still open
            </li>
          </ul>
        </div>
        {stats.steps.length === 0 ? (
          <p className="mt-3 text-sm text-slate-500">This sequence has no steps.</p>
        ) : (
          <ol className="mt-3 space-y-4">
            {stats.steps.map((step) => {
              const open = Math.max(0, step.reached - step.completed - step.skipped);
              const summary = `Step ${step.step_order}, ${step.name}: reached by ${step.reached} of ${stats.started}, ${step.completed} completed, ${step.skipped} skipped${step.median_seconds !== null ? `, median time to complete ${formatDuration(step.median_seconds)}` : ''}.`;
              return (
                <li key={step.step_order} aria-label={summary}>
                  <div className="flex flex-col gap-x-3 gap-y-0.5 text-sm sm:flex-row sm:items-baseline sm:justify-between">
                    <span className="min-w-0 truncate font-medium text-slate-900">
                      <span className="text-slate-500 tabular-nums">{step.step_order}.</span>{' '}
                      {step.name}
                    </span>
                    <span className="text-xs text-slate-600 tabular-nums" aria-hidden>
                      {step.reached} reached · {step.completed} done · {step.skipped} skipped
                      {step.median_seconds !== null
                        ? ` · median ${formatDuration(step.median_seconds)}`
                        : ''}
                    </span>
                  </div>
                  <div
                    className="mt-1.5 flex h-3 overflow-hidden rounded-full bg-slate-100"
                    aria-hidden
                  >
                    <div
                      className="bg-emerald-500"
                      style={{ width: `${percent(step.completed, stats.started)}%` }}
                    />
                    <div
                      className="bg-amber-400"
                      style={{ width: `${percent(step.skipped, stats.started)}%` }}
                    />
                    <div
                      className="bg-brand-200"
                      style={{ width: `${percent(open, stats.started)}%` }}
                    />
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </div>
  );
}
