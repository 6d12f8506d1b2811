// A time zone's offset from UTC at an instant, through Intl.DateTimeFormat (pure, no tz
// database of our own). The one home for the business calendar and cron schedules, which
// each resolve local times their own way on top of it (see their headers).

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Intl knows the zone (an IANA name such as Europe/London). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws RangeError for an unknown zone; formatters are cached per zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local minus UTC, in ms, at an instant. Throws RangeError for an unknown zone. */
export function zoneOffsetAt(timeZone: string, instant: number): number {
  if (timeZone === 'UTC') return 0;
  const seconds = Math.floor(instant / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(seconds)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    fields.year!,
    fields.month! - 1,
    fields.day!,
    fields.hour === 24 ? 0 : fields.hour!,
    fields.minute!,
    fields.second!,
  );
  return local - seconds;
}
