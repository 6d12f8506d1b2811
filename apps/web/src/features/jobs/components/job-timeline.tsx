import { APP_LOCALE, getDisplayTimeZone } from '@/lib/format-in-zone';
import { formatDateTime } from '@/lib/utils';
import type { JobEvent } from '../api/queries';
import { formatDuration } from '../utils/format';
import { describeChoice, stepChoice } from '../utils/step-summary';
import { unmatchedPaths, type UnmatchedPath } from '../utils/unmatched-paths';
import { JsonBlock } from './json-block';

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

// To the millisecond (steps run milliseconds apart), in the app's locale and display zone.
const preciseTime = (iso: string) =>
  new Intl.DateTimeFormat(APP_LOCALE, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
    timeZone: getDisplayTimeZone(),
  }).format(new Date(iso));

const hasData = (data: unknown) =>
  typeof data === 'object' && data !== null && Object.keys(data).length > 0;

const Code = ({ children }: { children: string }) => (
  <code className="rounded bg-amber-100/70 px-1 font-mono text-xs">{children}</code>
);

/** "Input `x` got nothing: $.job_input.y matched nothing", one line per mapping that missed. */
function UnmatchedPaths({ misses, label }: { misses: UnmatchedPath[]; label: string }) {
  return (
    <ul aria-label={label} className="mt-1 space-y-0.5 text-sm text-amber-800">
      {misses.map(({ kind, key, path }) => (
        <li key={`${kind}:${key}`}>
          {kind === 'input' ? 'Input' : 'Output'} <Code>{key}</Code> got nothing:{' '}
          <Code>{path}</Code> matched nothing
        </li>
      ))}
    </ul>
  );
}

/** The job's events, oldest first, each with its data behind "Details". */
export function Timeline({ events }: { events: JobEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events yet.</p>;
  return (
    <ol aria-label="Timeline" className="relative space-y-4 border-l border-slate-200 pl-5">
      {events.map((event) => {
        const label = eventLabels[event.event_type] ?? event.event_type;
        const of = `${label}${event.step_id ? ` ${event.step_id}` : ''}`;
        const misses = unmatchedPaths(event.data);
        // Which branch a step took and why (issue 12 §5); nothing for a linear step going on.
        const choice = event.event_type === 'step_succeeded' ? stepChoice(event.data) : null;
        const chose = choice ? describeChoice(choice) : null;
        return (
          <li key={event.id} className="relative">
            <span
              aria-hidden
              className={`absolute top-1.5 -left-[1.6rem] size-2.5 rounded-full ring-4 ring-white ${eventTone(event.event_type)}`}
            />
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm">
              <span className="font-medium text-slate-900">{label}</span>
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
                {preciseTime(event.created_at)}
              </time>
            </div>
            {event.message ? (
              <p className="mt-0.5 text-sm text-slate-600">{event.message}</p>
            ) : null}
            {chose ? (
              <p className="mt-0.5 text-sm text-slate-700">
                <span className="sr-only">{`Next after ${event.step_id ?? 'the step'}: `}</span>
                {chose}
              </p>
            ) : null}
            {misses.length > 0 ? (
              <UnmatchedPaths misses={misses} label={`Paths that matched nothing in ${of}`} />
            ) : null}
            {hasData(event.data) ? (
              <details className="group">
                <summary className="cursor-pointer rounded py-1 text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                  Details
                  <span className="sr-only">{` of ${of}`}</span>
                </summary>
                <div className="mt-2">
                  <JsonBlock label={`Data of event ${event.id}`} value={event.data} />
                </div>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
