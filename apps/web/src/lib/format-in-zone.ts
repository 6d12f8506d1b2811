// One date and time format for the whole app (issue 13 §5): British English, 24-hour clock,
// in the organisation's zone. Every page used to pick its own (the browser's locale and zone
// for lists, en-GB in the organisation's zone for due dates), so one task read "09:00" on
// My tasks and "9:00 AM" in a list. Callers that know the zone pass it; the others use the
// display zone the app shell sets from the organisation's business calendar.

/** The app's locale: its copy is British English, so its dates are too. */
export const APP_LOCALE = 'en-GB';

/** The browser's IANA zone, or null when it reports none or one this runtime can't use. */
export function browserTimeZone(): string | null {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return null;
    new Intl.DateTimeFormat(APP_LOCALE, { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

let displayZone: string | null = null;

/**
 * Set by the app shell, before the pages render, to the organisation's calendar zone (the
 * browser's when it has no calendar). Module state rather than context so the many list
 * cells that format a date need no hook.
 */
export function setDisplayTimeZone(zone: string | null): void {
  displayZone = zone;
}

/** The zone dates are shown in when a caller has no zone of its own. */
export function getDisplayTimeZone(): string {
  return displayZone ?? browserTimeZone() ?? 'UTC';
}

type Style = 'weekday-time' | 'date' | 'date-time' | 'time' | 'day-month';

const options: Record<Style, Intl.DateTimeFormatOptions> = {
  'weekday-time': {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  'date-time': {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  'day-month': { day: 'numeric', month: 'short' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(date: Date, style: Style, timeZone: string) {
  const key = `${style}|${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(APP_LOCALE, { ...options[style], timeZone });
    formatters.set(key, format);
  }
  // Built from parts, not format(): en-GB's punctuation differs between ICU versions
  // ("24 Nov 2026, 09:00" vs "24 Nov 2026 at 09:00"), and tests and people want one spelling.
  return Object.fromEntries(
    format.formatToParts(date).map((part) => [part.type, part.value]),
  ) as Partial<Record<Intl.DateTimeFormatPartTypes, string>>;
}

/** "Mon 24 Nov 09:00": a moment as the clock on the wall in `timeZone` shows it. */
export function formatInZone(date: Date, timeZone: string): string {
  const p = parts(date, 'weekday-time', timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}`;
}

/** "24 Nov 2026". */
export function formatDateInZone(date: Date, timeZone: string = getDisplayTimeZone()): string {
  const p = parts(date, 'date', timeZone);
  return `${p.day} ${p.month} ${p.year}`;
}

/** "24 Nov 2026, 09:00". */
export function formatDateTimeInZone(date: Date, timeZone: string = getDisplayTimeZone()): string {
  const p = parts(date, 'date-time', timeZone);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** "09:00". */
export function formatTimeInZone(date: Date, timeZone: string = getDisplayTimeZone()): string {
  const p = parts(date, 'time', timeZone);
  return `${p.hour}:${p.minute}`;
}

/** "24 Nov". */
export function formatDayMonthInZone(date: Date, timeZone: string = getDisplayTimeZone()): string {
  const p = parts(date, 'day-month', timeZone);
  return `${p.day} ${p.month}`;
}
