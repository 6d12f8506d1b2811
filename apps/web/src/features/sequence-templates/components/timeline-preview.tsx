import type { BusinessCalendar, DelayUnit } from '@forkflow/domain/business-calendar';
import { CalendarClock, TriangleAlert } from 'lucide-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { formatInZone } from '@/lib/format-in-zone';
import { buildTimeline, describeSpan, type TimelineStepInput } from '../utils/timeline';

type Props = {
  steps: TimelineStepInput[];
  startDelay: { value: number; unit: DelayUnit };
  calendar: BusinessCalendar;
  /** False when the organisation has no business calendar yet (open around the clock). */
  hasCalendar: boolean;
  now: Date;
  className?: string;
};

/** When each step would be due if the sequence started now and every step were done on time. */
export function TimelinePreview({
  steps,
  startDelay,
  calendar,
  hasCalendar,
  now,
  className,
}: Props) {
  const timeline = useMemo(
    () => buildTimeline(now, startDelay, steps, calendar),
    [now, startDelay, steps, calendar],
  );
  const last = timeline.entries[timeline.entries.length - 1];
  const complete = timeline.problem === null && timeline.entries.length === steps.length;

  return (
    <section
      aria-labelledby="timeline-preview-title"
      className={`rounded-xl bg-white shadow-xs ring-1 ring-slate-200 ${className ?? ''}`}
    >
      <header className="border-b border-slate-100 px-5 py-3">
        <h2
          id="timeline-preview-title"
          className="flex items-center gap-2 text-sm font-semibold text-slate-900"
        >
          <CalendarClock className="size-4 text-brand-600" aria-hidden />
          Timeline preview
        </h2>
        <p className="mt-0.5 text-xs text-slate-500">
          If started now and each step is done when it’s due.
        </p>
      </header>
      <div className="px-5 py-4">
        {steps.length === 0 ? (
          <p className="text-sm text-slate-500">Add a step to see when it would be due.</p>
        ) : (
          <>
            <p className="text-sm font-medium text-slate-900" aria-live="polite">
              {complete && timeline.start
                ? describeSpan(steps.length, now, last?.due)
                : `${steps.length} ${steps.length === 1 ? 'step' : 'steps'}`}
            </p>
            <ol aria-label="Due dates" className="mt-3 space-y-0">
              {timeline.entries.map((entry) => (
                <li
                  key={entry.index}
                  className="relative flex gap-3 pb-3 pl-5 text-sm before:absolute before:top-2 before:bottom-0 before:left-[5px] before:w-px before:bg-slate-200 last:pb-0 last:before:hidden"
                >
                  <span
                    className="absolute top-1.5 left-0 size-2.5 rounded-full bg-brand-500 ring-2 ring-brand-100"
                    aria-hidden
                  />
                  <span className="min-w-0">
                    <span className="block font-medium text-slate-900 tabular-nums">
                      Day {entry.day} · {formatInZone(entry.due, calendar.time_zone)}
                    </span>
                    {/* Read (and copied) as one line: "Day 0 · Mon 24 Nov 09:00 – Step 1: …". */}
                    <span className="sr-only"> – </span>
                    <span className="block truncate text-slate-600">
                      Step {entry.index + 1}: {entry.name.trim() || 'Untitled step'}
                    </span>
                  </span>
                </li>
              ))}
            </ol>
            {timeline.problem ? (
              <p className="mt-3 flex items-start gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                {timeline.problem.message}
              </p>
            ) : null}
          </>
        )}
        <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-500">
          {hasCalendar ? (
            <>
              Counted in your business calendar ({calendar.time_zone}).{' '}
              <Link
                to={paths.app.businessCalendar.getHref()}
                className="font-medium text-brand-700 hover:underline"
              >
                Business calendar
              </Link>
            </>
          ) : (
            <>
              No business calendar yet: steps fall due around the clock (UTC).{' '}
              <Link
                to={paths.app.businessCalendar.getHref()}
                className="font-medium text-brand-700 hover:underline"
              >
                Set working hours
              </Link>
            </>
          )}
        </p>
      </div>
    </section>
  );
}
