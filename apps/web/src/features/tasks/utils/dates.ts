import {
  browserTimeZone as browserZone,
  formatInZone,
  formatTimeInZone,
} from '@/lib/format-in-zone';

// Dates as a rep reads them, in the organisation's time zone (or the browser's when the
// organisation has no business calendar).

const dayKeyFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  store: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
) {
  let format = store.get(timeZone);
  if (!format) {
    format = make();
    store.set(timeZone, format);
  }
  return format;
}

export function browserTimeZone(): string {
  return browserZone() ?? 'UTC';
}

/** "2026-11-27": the calendar day an instant falls on in a time zone. */
export function dayKey(instant: Date | string | number, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  const format = cached(
    dayKeyFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
  );
  return format.format(new Date(instant));
}

/** "Thu 27 Nov 10:00", in the given time zone (the app's one date format for due dates). */
export function formatDue(instant: Date | string, timeZone: string): string {
  return formatInZone(new Date(instant), timeZone);
}

/** "10:00", in the given time zone. */
export function formatTime(instant: Date | string, timeZone: string): string {
  return formatTimeInZone(new Date(instant), timeZone);
}
