import {
  BusinessCalendarError,
  previewDueDates,
  type BusinessCalendar,
  type DelayUnit,
} from '@forkflow/domain/business-calendar';

export type TimelineStepInput = {
  name: string;
  delay_value: number;
  delay_unit: DelayUnit;
};

export type TimelineEntry = {
  /** 0-based position in the sequence. */
  index: number;
  name: string;
  due: Date;
  /** Calendar days after the day the sequence is started, in the calendar's time zone. */
  day: number;
};

export type Timeline = {
  /** When the first step's delay starts counting (now, plus the start delay, rolled into open time). */
  start: Date | null;
  entries: TimelineEntry[];
  /** Why the entries stop early (an invalid delay, a calendar with no open time…). */
  problem: { index: number | 'start'; message: string } | null;
};

const isValidDelay = (value: number) => Number.isSafeInteger(value) && value >= 0;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayNumber(date: Date, timeZone: string): number {
  let format = dayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormatters.set(timeZone, format);
  }
  // en-CA formats as YYYY-MM-DD.
  return Math.round(Date.parse(`${format.format(date)}T00:00:00Z`) / 86_400_000);
}

/**
 * Each step's due date if every step were completed the moment it is due, started
 * `now`: what the builder's preview shows. Counting is the domain's
 * (previewDueDates), so it matches what start_sequence will do.
 */
export function buildTimeline(
  now: Date,
  startDelay: { value: number; unit: DelayUnit },
  steps: TimelineStepInput[],
  calendar: BusinessCalendar,
): Timeline {
  if (!isValidDelay(startDelay.value)) {
    return {
      start: null,
      entries: [],
      problem: { index: 'start', message: 'Fix the start delay to see the timeline.' },
    };
  }
  const firstInvalid = steps.findIndex((step) => !isValidDelay(step.delay_value));
  const usable = firstInvalid === -1 ? steps : steps.slice(0, firstInvalid);
  let dates: Date[];
  try {
    dates = previewDueDates(
      now,
      [
        { value: startDelay.value, unit: startDelay.unit },
        ...usable.map((step) => ({ value: step.delay_value, unit: step.delay_unit })),
      ],
      calendar,
    );
  } catch (error) {
    const reason =
      error instanceof BusinessCalendarError ? error.message : 'these delays can’t be counted';
    return {
      start: null,
      entries: [],
      problem: { index: 'start', message: `Can’t work out due dates: ${reason}.` },
    };
  }
  const [start, ...due] = dates;
  const today = dayNumber(now, calendar.time_zone);
  return {
    start: start ?? null,
    entries: due.map((date, index) => ({
      index,
      name: usable[index]?.name ?? '',
      due: date,
      day: dayNumber(date, calendar.time_zone) - today,
    })),
    problem:
      firstInvalid === -1
        ? null
        : {
            index: firstInvalid,
            message: `Fix the delay of step ${firstInvalid + 1} to see the rest.`,
          },
  };
}

/** "7 steps over about 14 days", "2 steps over about 5 hours", "1 step, right away". */
export function describeSpan(stepCount: number, from: Date, to: Date | undefined): string {
  const steps = `${stepCount} ${stepCount === 1 ? 'step' : 'steps'}`;
  if (!to) return steps;
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return `${steps}, all due right away`;
  if (minutes < 60) return `${steps} over about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${steps} over about ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  const days = Math.round(hours / 24);
  return `${steps} over about ${days} ${days === 1 ? 'day' : 'days'}`;
}
