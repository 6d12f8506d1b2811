// Snooze presets as the rep means them: "tomorrow 9:00" is 9:00 on the organisation's wall
// clock (its business calendar's time zone), not the browser's, so a rep travelling or a
// manager in another zone snoozes to the same morning as the team.

type WallTime = { year: number; month: number; day: number; hour: number; minute: number };

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `instant`. */
export function wallTimeIn(instant: Date, timeZone: string): WallTime & { weekday: number } {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    partFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: weekdays.indexOf(String(parts.weekday)),
  };
}

/**
 * The instant the wall clock in `timeZone` shows `wall`. Guess the offset, correct once with
 * the offset at the guess (enough for every zone's DST step); a time skipped by a spring-
 * forward lands an hour before or after it.
 */
export function instantAtWallTime(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (instant: number) => {
    const seen = wallTimeIn(new Date(instant), timeZone);
    return (
      Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) -
      Math.floor(instant / 60_000) * 60_000
    );
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

/** `days` calendar days after the wall date of `now` in `timeZone`, at hh:mm there. */
function daysAheadAt(now: Date, timeZone: string, days: number, hour: number, minute = 0): Date {
  const today = wallTimeIn(now, timeZone);
  // Date.UTC normalises day overflow (31 Jan + 1 = 1 Feb) without any zone involved.
  const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return instantAtWallTime(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour,
      minute,
    },
    timeZone,
  );
}

export type SnoozePreset = { key: string; label: string; at: Date };

/** In 1 hour; tomorrow 9:00; next Monday 9:00 (a Monday's "next Monday" is a week on). */
export function snoozePresets(now: Date, timeZone: string): SnoozePreset[] {
  const weekday = wallTimeIn(now, timeZone).weekday;
  const toMonday = (8 - weekday) % 7 || 7;
  return [
    { key: 'hour', label: 'In 1 hour', at: new Date(now.getTime() + 60 * 60 * 1000) },
    { key: 'tomorrow', label: 'Tomorrow 9:00', at: daysAheadAt(now, timeZone, 1, 9) },
    { key: 'monday', label: 'Next Monday 9:00', at: daysAheadAt(now, timeZone, toMonday, 9) },
  ];
}

/** "2026-11-28T09:00": a datetime-local value for an instant, on the wall clock of `timeZone`. */
export function toLocalInputValue(instant: Date, timeZone: string): string {
  const w = wallTimeIn(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** A datetime-local value read on the wall clock of `timeZone`; null when not a date. */
export function fromLocalInputValue(value: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return instantAtWallTime({ year, month, day, hour, minute }, timeZone);
}
