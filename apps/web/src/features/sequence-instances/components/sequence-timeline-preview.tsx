import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { sequenceStepTypeLabels, sequenceStepTypeSchema } from '@forkflow/domain/sequence-template';
import { AlertTriangle } from 'lucide-react';
import { formatInZone } from '@/lib/format-in-zone';
import type { StartableTemplate } from '../api/queries';
import { previewSequence } from '../utils/preview';

const typeLabel = (type: string) => {
  const parsed = sequenceStepTypeSchema.safeParse(type);
  return parsed.success ? sequenceStepTypeLabels[parsed.data] : type;
};

/** When each step would be due if the sequence started now and every step were done on time. */
export function SequenceTimelinePreview({
  template,
  calendar,
  calendarIsDefault,
  now,
}: {
  template: StartableTemplate;
  calendar: BusinessCalendar;
  calendarIsDefault: boolean;
  now: Date;
}) {
  const preview = previewSequence(now, template, calendar);
  const zone = calendar.time_zone;
  return (
    <section
      aria-label="Timeline preview"
      className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200"
    >
      <h3 className="text-sm font-semibold text-slate-900">Timeline preview</h3>
      <p className="mt-0.5 text-xs text-slate-600">
        If each step is done when it’s due. Times in {zone}
        {calendarIsDefault
          ? ' — no business calendar is set, so any hour counts.'
          : ', within your organisation’s business hours.'}
      </p>
      {preview.ok ? (
        <ol className="mt-3 space-y-0">
          {preview.steps.map((step, index) => (
            <li key={step.stepOrder} className="relative flex gap-3 pb-3 last:pb-0">
              {index < preview.steps.length - 1 ? (
                <span
                  className="absolute top-5 bottom-0 left-[0.6875rem] w-px bg-slate-300"
                  aria-hidden
                />
              ) : null}
              <span
                className="relative z-10 flex size-6 shrink-0 items-center justify-center rounded-full bg-white text-xs font-semibold text-brand-700 ring-1 ring-brand-200"
                aria-hidden
              >
                {step.stepOrder}
              </span>
              <div className="min-w-0 flex-1 pt-0.5">
                <p className="text-sm font-medium break-words text-slate-900">
                  <span className="sr-only">Step {step.stepOrder}: </span>
                  {step.name}
                </p>
                <p className="text-xs text-slate-600">
                  {typeLabel(step.type)} · due{' '}
                  <time dateTime={step.due.toISOString()}>{formatInZone(step.due, zone)}</time>
                </p>
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p role="alert" className="mt-3 flex gap-2 text-sm text-amber-900">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          {preview.message}
        </p>
      )}
    </section>
  );
}
