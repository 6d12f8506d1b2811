// Cron expressions for schedule triggers (issue 14 §3; docs/automation/triggers.md). Five
// fields — minute hour day-of-month month day-of-week — each a comma list of `*`, a number or
// a range (`1-5`), optionally stepped (`*/15`, `8-18/2`, `5/10` = from 5 to the end by 10).
// Day-of-week 0–7, Sunday being 0 and 7. Names (MON, JAN) are not accepted: the SQL shape check
// that save_workflow_trigger runs (private.cron_problem, 20261122009400) has the same rules,
// and the two must not disagree.
//
// Days follow Vixie cron: when both day fields are restricted (neither starts with `*`), a
// day matches either one ("the 1st and every Monday"); else both.
//
// Times are wall-clock times in a time zone. Around DST changes each matching local time
// fires once:
// - a local time that does not exist (the spring-forward gap: 01:30 in Europe/London on the
//   last Sunday of March) fires when the gap ends (02:00 summer time = 01:00 UTC), once even
//   if several gap times match (`*/15`);
// - a local time that happens twice (fall back: 01:30 on the last Sunday of October) fires at
//   its first occurrence (01:30 summer time), not again an hour later.
// (Unlike business-calendar.ts, which resolves times as Postgres does: a daily schedule must
// neither skip the day nor run twice.) Pure: no I/O; zones through Intl.DateTimeFormat.

import { isKnownTimeZone, zoneOffsetAt } from './zone-offset.ts';

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface CronSchedule {
  /** Normalised source: single spaces. */
  source: string;
  minutes: readonly number[];
  hours: readonly number[];
  /** 1–31. */
  days: ReadonlySet<number>;
  /** 1–12. */
  months: ReadonlySet<number>;
  /** 0–6, Sunday 0. */
  weekdays: ReadonlySet<number>;
  /** Whether the day-of-month / day-of-week field starts with `*` (Vixie's unrestricted). */
  anyDay: boolean;
  anyWeekday: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

const PART = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/;

function parseField(text: string, index: number): number[] {
  const { name, min, max } = FIELDS[index]!;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (!match) {
      throw new CronError(`${name}: "${part}" is not *, a number, a range (1-5) or a step (*/15)`);
    }
    let lo: number = min;
    let hi: number = max;
    if (match[2] !== undefined) {
      lo = Number(match[2]);
      // `5/10` runs from 5 to the end; a lone `5` is just 5.
      hi = match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : lo;
      const top = match[3] !== undefined ? hi : lo;
      if (lo < min || top > max) {
        throw new CronError(`${name}: ${part} is out of range (${min}-${max})`);
      }
      if (hi < lo) throw new CronError(`${name}: the range ${part} goes backwards`);
    }
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (step === 0) throw new CronError(`${name}: the step in ${part} must be at least 1`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Parses a five-field expression; throws CronError saying what is wrong, in words. */
export function parseCron(expression: string): CronSchedule {
  const source = expression.trim().replace(/\s+/g, ' ');
  if (source === '') {
    throw new CronError(
      'cron is empty: five fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5',
    );
  }
  const fields = source.split(' ');
  if (fields.length !== 5) {
    throw new CronError(
      `cron needs five fields (minute hour day-of-month month day-of-week), not ${fields.length}`,
    );
  }
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) => parseField(f, i));
  return {
    source,
    minutes: minutes!,
    hours: hours!,
    days: new Set(days),
    months: new Set(months),
    weekdays: new Set(weekdays!.map((d) => d % 7)),
    anyDay: fields[2]!.startsWith('*'),
    anyWeekday: fields[4]!.startsWith('*'),
  };
}

/** What is wrong with an expression, in words, or null when it is valid. */
export function validateCron(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// Time zones. "Local" times are milliseconds of the wall clock read as if it were UTC.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Local minus UTC, in ms, at an instant. */
function offsetAt(timeZone: string, instant: number): number {
  if (!isKnownTimeZone(timeZone)) {
    throw new CronError(`unknown time zone "${timeZone}": use an IANA name such as Europe/London`);
  }
  return zoneOffsetAt(timeZone, instant);
}

/**
 * The instant a local time names: the earlier of two (fall back), or the end of the gap it
 * falls in (spring forward). Assumes at most one offset change within a day of it.
 */
function resolveLocal(timeZone: string, local: number): number {
  if (timeZone === 'UTC') return local;
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  const valid = [local - before, local - after].filter(
    (candidate) => offsetAt(timeZone, candidate) === local - candidate,
  );
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the change happened between local - after and local - before. Find the first
  // instant (whole minutes: changes happen on them) with the later offset.
  let lo = Math.floor((local - after) / MINUTE_MS);
  let hi = Math.ceil((local - before) / MINUTE_MS);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid * MINUTE_MS) === after) hi = mid;
    else lo = mid + 1;
  }
  return lo * MINUTE_MS;
}

/** Days searched before giving up: 8 years covers 29 February on a given weekday. */
const MAX_DAYS = 366 * 8 + 2;

function dayMatches(schedule: CronSchedule, epochDay: number): boolean {
  const date = new Date(epochDay * DAY_MS);
  if (!schedule.months.has(date.getUTCMonth() + 1)) return false;
  const day = schedule.days.has(date.getUTCDate());
  const weekday = schedule.weekdays.has(date.getUTCDay());
  if (!schedule.anyDay && !schedule.anyWeekday) return day || weekday;
  return day && weekday;
}

/**
 * The first time the schedule fires strictly after `after`, in `timeZone` (IANA; default
 * UTC); null when it never does (`0 0 30 2 *`). Throws CronError for a bad expression or zone.
 */
export function nextCronTime(
  expression: string | CronSchedule,
  after: Date,
  timeZone = 'UTC',
): Date | null {
  const schedule = typeof expression === 'string' ? parseCron(expression) : expression;
  const afterMs = after.getTime();
  if (!Number.isFinite(afterMs)) throw new CronError('the start time is not a valid date');
  const startLocal = afterMs + offsetAt(timeZone, afterMs);
  const firstDay = Math.floor(startLocal / DAY_MS);
  for (let epochDay = firstDay; epochDay < firstDay + MAX_DAYS; epochDay++) {
    if (!dayMatches(schedule, epochDay)) continue;
    for (const hour of schedule.hours) {
      const hourStart = epochDay * DAY_MS + hour * HOUR_MS;
      // An hour that ended more than three hours before `after` on the local clock cannot
      // hold a later instant (no zone's offset moves by more within a day).
      if (hourStart + HOUR_MS + 3 * HOUR_MS <= startLocal) continue;
      for (const minute of schedule.minutes) {
        const instant = resolveLocal(timeZone, hourStart + minute * MINUTE_MS);
        if (instant > afterMs) return new Date(instant);
      }
    }
  }
  return null;
}

/** Times the schedule fires after `after`, up to `count` (a preview). */
export function nextCronTimes(
  expression: string | CronSchedule,
  after: Date,
  timeZone = 'UTC',
  count = 5,
): Date[] {
  const schedule = typeof expression === 'string' ? parseCron(expression) : expression;
  const out: Date[] = [];
  let at = after;
  while (out.length < count) {
    const next = nextCronTime(schedule, at, timeZone);
    if (!next) break;
    out.push(next);
    at = next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// In words (the trigger list and editor).

const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number): string => String(n).padStart(2, '0');

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Consecutive runs as "Monday to Friday". */
function runs(values: number[], name: (v: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${name(values[i]!)} to ${name(values[j]!)}` : name(values[i]!));
    if (j - i === 1) parts.push(name(values[j]!));
    i = j + 1;
  }
  return list(parts);
}

/** "Every 15 minutes", "At 09:00 on Monday to Friday", … (English, 24-hour). */
export function describeCron(expression: string): string {
  const s = parseCron(expression);
  const [minuteField, hourField] = s.source.split(' ');
  let time: string;
  if (minuteField === '*' && hourField === '*') time = 'Every minute';
  else if (/^\*\/\d+$/.test(minuteField!) && hourField === '*')
    time = `Every ${minuteField!.slice(2)} minutes`;
  else if (hourField === '*') time = `At minute ${list(s.minutes.map(String))} of every hour`;
  else if (s.hours.length * s.minutes.length <= 6)
    time = `At ${list(s.hours.flatMap((h) => s.minutes.map((m) => `${pad(h)}:${pad(m)}`)))}`;
  else time = `At minute ${list(s.minutes.map(String))} of hours ${runs([...s.hours], String)}`;
  const parts = [time];
  const weekdays = [...s.weekdays].sort((a, b) => a - b);
  const days = [...s.days].sort((a, b) => a - b);
  if (!s.anyDay) parts.push(`on day ${runs(days, String)} of the month`);
  if (!s.anyWeekday) {
    // Monday first reads better: Sunday (0) goes last.
    const mondayFirst = [...weekdays.filter((d) => d !== 0), ...(weekdays.includes(0) ? [7] : [])];
    parts.push(`${s.anyDay ? 'on' : 'or on'} ${runs(mondayFirst, (d) => WEEKDAY_NAMES[d % 7]!)}`);
  }
  if (s.months.size < 12)
    parts.push(
      `in ${runs(
        [...s.months].sort((a, b) => a - b),
        (m) => MONTH_NAMES[m - 1]!,
      )}`,
    );
  return parts.join(' ');
}
