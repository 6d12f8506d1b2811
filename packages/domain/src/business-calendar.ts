import { z } from 'zod';
import { isKnownTimeZone, zoneOffsetAt } from './zone-offset.ts';

// Business calendars and due-date maths (docs/sequences-contract.md, "business_calendars"
// and "Due-date maths"). The SQL in supabase/migrations/20261122001000_business_calendars.sql
// implements the same rules; packages/domain/test-vectors/business-calendar.json holds the
// cases both must agree on. Pure: no I/O; time zones through Intl.DateTimeFormat.
//
// Local wall-clock times that do not exist or exist twice (DST changes) are turned into
// instants the way Postgres does (`timestamp at time zone`): a time in a spring-forward gap
// uses the offset from before the change (so 01:30 becomes 02:30 summer time), an ambiguous
// time in a fall-back overlap takes the later instant (standard time).

export const delayUnits = ['minutes', 'hours', 'days'] as const;
export type DelayUnit = (typeof delayUnits)[number];
export const delayUnitSchema = z.enum(delayUnits);

export interface Delay {
  value: number;
  unit: DelayUnit;
}

/** A step as sequence_steps and `public.preview_due_dates` spell it. */
export interface StepDelay {
  delay_value: number;
  delay_unit: DelayUnit;
}

// Type aliases rather than interfaces: they are assignable to the generated `Json` type,
// so a calendar can be written to public.business_calendars as it is.
export type OpeningWindow = {
  /** "HH:MM", local time. */
  start: string;
  /** "HH:MM" after start; "24:00" is the end of the day. */
  end: string;
};

/** A row of public.business_calendars without its keys. */
export type BusinessCalendar = {
  /** IANA time zone the windows and holidays are in. */
  time_zone: string;
  /** ISO weekdays, 1 = Monday .. 7 = Sunday. */
  working_days: number[];
  windows: OpeningWindow[];
  /** ISO dates ("2026-12-25") in the calendar's time zone. */
  holidays: string[];
};

/** What an organisation without a calendar row gets; also the table's defaults. */
export const OPEN_AROUND_THE_CLOCK: Readonly<BusinessCalendar> = Object.freeze({
  time_zone: 'UTC',
  working_days: [1, 2, 3, 4, 5, 6, 7],
  windows: [{ start: '00:00', end: '24:00' }],
  holidays: [],
});

export const isoWeekdayLabels: Record<number, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};

/** Searching further than this for open time means the calendar has none. */
export const MAX_CLOSED_DAYS = 366;
/** A due date may lie at most this many days after the moment it is counted from. */
export const MAX_HORIZON_DAYS = 3660;

export class BusinessCalendarError extends Error {
  override name = 'BusinessCalendarError';
}

// ---------------------------------------------------------------------------------------
// Validation (the settings form and anything that reads a row's jsonb)

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** An IANA zone name this runtime knows ("Europe/London", "UTC"); never a bare offset. */
export function isValidTimeZone(value: string): boolean {
  return ZONE_NAME.test(value) && isKnownTimeZone(value);
}

/** Zone names for a picker: the runtime's list, with UTC first. */
export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC');
  return ['UTC', ...zones];
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM" (or "24:00") → minutes after local midnight. */
export function parseClockTime(value: string): number {
  if (value === '24:00') return 24 * 60;
  if (!TIME.test(value)) throw new BusinessCalendarError(`"${value}" is not a time (HH:MM)`);
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIsoDate(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1) return null;
  if (check.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** Minutes after midnight of a valid "HH:MM"/"24:00", else null. */
function clockMinutes(value: string, allowEndOfDay: boolean): number | null {
  if (allowEndOfDay && value === '24:00') return 24 * 60;
  return TIME.test(value) ? parseClockTime(value) : null;
}

export const openingWindowSchema = z
  .object({
    start: z.string().regex(TIME, 'Enter a time as HH:MM'),
    end: z
      .string()
      .refine((value) => clockMinutes(value, true) !== null, 'Enter a time as HH:MM or 24:00'),
  })
  .refine(
    (w) => {
      const start = clockMinutes(w.start, false);
      const end = clockMinutes(w.end, true);
      return start === null || end === null || end > start;
    },
    { message: 'The window must end after it starts', path: ['end'] },
  );

export const businessCalendarSchema = z.object({
  time_zone: z
    .string()
    .trim()
    .min(1, 'Choose a time zone')
    .refine(isValidTimeZone, 'Choose a valid time zone (e.g. Europe/London)'),
  working_days: z
    .array(z.number().int().min(1).max(7))
    .min(1, 'Choose at least one working day')
    .refine((days) => new Set(days).size === days.length, 'Each working day only once')
    .transform((days) => [...days].sort((a, b) => a - b)),
  windows: z
    .array(openingWindowSchema)
    .min(1, 'Add at least one opening window')
    .superRefine((windows, ctx) => {
      for (let i = 1; i < windows.length; i++) {
        const previous = windows[i - 1]!;
        const current = windows[i]!;
        const start = clockMinutes(current.start, false);
        const previousEnd = clockMinutes(previous.end, true);
        if (start !== null && previousEnd !== null && start < previousEnd) {
          ctx.addIssue({
            code: 'custom',
            message: 'Windows must be in time order and must not overlap',
            path: [i, 'start'],
          });
        }
      }
    }),
  holidays: z
    .array(z.string().refine((value) => parseIsoDate(value) !== null, 'Enter a date (YYYY-MM-DD)'))
    .transform((dates) => [...new Set(dates)].sort()),
});

export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;

// ---------------------------------------------------------------------------------------
// Time zones: instants (ms since the epoch) ↔ local wall-clock times. A local time is held
// as a "local epoch" in ms: the wall-clock reading as if it were UTC, so day arithmetic is
// plain integer arithmetic.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Local minus UTC, in ms, at an instant. */
function offsetAt(timeZone: string, instant: number): number {
  if (!isKnownTimeZone(timeZone))
    throw new BusinessCalendarError(`unknown time zone "${timeZone}"`);
  return zoneOffsetAt(timeZone, instant);
}

function toLocal(timeZone: string, instant: number): number {
  return instant + offsetAt(timeZone, instant);
}

/** The instant a local wall-clock time names, resolved like Postgres (see the top). */
function toInstant(timeZone: string, local: number): number {
  if (timeZone === 'UTC') return local;
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = local - offset;
    if (offsetAt(timeZone, candidate) === offset && (best === null || candidate > best)) {
      best = candidate;
    }
  }
  return best ?? local - before;
}

const isoWeekday = (epochDay: number): number => ((((epochDay + 3) % 7) + 7) % 7) + 1;

// ---------------------------------------------------------------------------------------
// The maths

interface Prepared {
  timeZone: string;
  workingDays: Set<number>;
  holidays: Set<number>;
  /** [start, end) in minutes after local midnight. */
  windows: [number, number][];
  aroundTheClock: boolean;
}

function prepare(calendar: BusinessCalendar): Prepared {
  offsetAt(calendar.time_zone, 0); // fails early on an unknown zone
  const windows = calendar.windows.map((w): [number, number] => [
    parseClockTime(w.start),
    parseClockTime(w.end),
  ]);
  const holidays = new Set<number>();
  for (const date of calendar.holidays) {
    const day = parseIsoDate(date);
    if (day === null) throw new BusinessCalendarError(`holiday "${date}" is not a date`);
    holidays.add(day);
  }
  const workingDays = new Set(calendar.working_days);
  const aroundTheClock =
    holidays.size === 0 &&
    [1, 2, 3, 4, 5, 6, 7].every((d) => workingDays.has(d)) &&
    windows.some(([start, end]) => start === 0 && end === 24 * 60);
  return { timeZone: calendar.time_zone, workingDays, holidays, windows, aroundTheClock };
}

const isOpenDay = (cal: Prepared, epochDay: number): boolean =>
  cal.workingDays.has(isoWeekday(epochDay)) && !cal.holidays.has(epochDay);

function horizonError(): BusinessCalendarError {
  return new BusinessCalendarError(
    `the due date would be more than ${MAX_HORIZON_DAYS} days ahead`,
  );
}

/**
 * From `at`, consume `amount` ms of open time; with 0, the next open moment (`at` itself
 * when open). Walks the open intervals one local day at a time. An amount that ends exactly
 * at a window's close is due at the close.
 */
function walk(cal: Prepared, at: number, amount: number): number {
  const firstDay = Math.floor(toLocal(cal.timeZone, at) / DAY_MS);
  let remaining = amount;
  let from = at;
  let closedDays = 0;
  // From the day before: its window ending at 24:00 can reach past `at`'s local midnight.
  for (let day = firstDay - 1; ; day++) {
    if (day > firstDay + MAX_HORIZON_DAYS) throw horizonError();
    let usedToday = false;
    if (isOpenDay(cal, day)) {
      for (const [startMinute, endMinute] of cal.windows) {
        const start = toInstant(cal.timeZone, day * DAY_MS + startMinute * MINUTE_MS);
        const end = toInstant(cal.timeZone, day * DAY_MS + endMinute * MINUTE_MS);
        if (end <= from || end <= start) continue;
        const begin = Math.max(start, from);
        usedToday = true;
        if (remaining <= end - begin) return begin + remaining;
        remaining -= end - begin;
        from = end;
      }
    }
    closedDays = usedToday ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) {
      throw new BusinessCalendarError(
        `the business calendar has no open time in ${MAX_CLOSED_DAYS} days`,
      );
    }
  }
}

function checkDelay(delay: Delay): void {
  if (!Number.isSafeInteger(delay.value) || delay.value < 0) {
    throw new BusinessCalendarError(`a delay must be a whole number >= 0, not ${delay.value}`);
  }
  if (!delayUnits.includes(delay.unit)) {
    throw new BusinessCalendarError(`unknown delay unit "${String(delay.unit)}"`);
  }
  const limit = { minutes: 24 * 60, hours: 24, days: 1 }[delay.unit] * MAX_HORIZON_DAYS;
  if (delay.value > limit) throw horizonError();
}

function dueInstant(cal: Prepared, from: number, delay: Delay): number {
  if (delay.unit === 'days') {
    if (delay.value === 0) return cal.aroundTheClock ? from : walk(cal, from, 0);
    const local = toLocal(cal.timeZone, from);
    let day = Math.floor(local / DAY_MS);
    const timeOfDay = local - day * DAY_MS;
    if (cal.aroundTheClock) {
      // Local calendar days; in UTC that is exactly 24 h each.
      return toInstant(cal.timeZone, (day + delay.value) * DAY_MS + timeOfDay);
    }
    let counted = 0;
    let closedDays = 0;
    while (counted < delay.value) {
      day++;
      if (isOpenDay(cal, day)) {
        counted++;
        closedDays = 0;
      } else if (++closedDays > MAX_CLOSED_DAYS) {
        throw new BusinessCalendarError(
          `the business calendar has no working day in ${MAX_CLOSED_DAYS} days`,
        );
      }
    }
    return walk(cal, toInstant(cal.timeZone, day * DAY_MS + timeOfDay), 0);
  }
  const amount = delay.value * (delay.unit === 'hours' ? 60 : 1) * MINUTE_MS;
  return cal.aroundTheClock ? from + amount : walk(cal, from, amount);
}

function toDate(instant: number): Date {
  if (!Number.isFinite(instant)) throw new BusinessCalendarError('not a valid moment');
  return new Date(instant);
}

/**
 * When a task is due that becomes active at `from` with `delay`:
 * minutes/hours count open time; days count working days and keep the local time of
 * day, then roll forward into the next open moment; 0 rolls forward only.
 */
export function dueDate(from: Date, delay: Delay, calendar: BusinessCalendar): Date {
  checkDelay(delay);
  return toDate(dueInstant(prepare(calendar), toDate(from.getTime()).getTime(), delay));
}

/** `at` when it is inside an open window, else the start of the next one. */
export function nextOpenMoment(at: Date, calendar: BusinessCalendar): Date {
  const cal = prepare(calendar);
  const instant = toDate(at.getTime()).getTime();
  return toDate(cal.aroundTheClock ? instant : walk(cal, instant, 0));
}

/**
 * Due dates of a sequence's steps if each were completed exactly when due: each step's
 * delay counts from the previous step's due date, the first one's from `from`.
 */
export function previewDueDates(
  from: Date,
  steps: ReadonlyArray<Delay | StepDelay>,
  calendar: BusinessCalendar,
): Date[] {
  const cal = prepare(calendar);
  let at = toDate(from.getTime()).getTime();
  return steps.map((step) => {
    const delay: Delay = 'unit' in step ? step : { value: step.delay_value, unit: step.delay_unit };
    checkDelay(delay);
    at = dueInstant(cal, at, delay);
    return toDate(at);
  });
}

/** Whether `at` is inside an open window. */
export function isOpenAt(at: Date, calendar: BusinessCalendar): boolean {
  return nextOpenMoment(at, calendar).getTime() === at.getTime();
}
