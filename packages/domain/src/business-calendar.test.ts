import { describe, expect, it } from 'vitest';
import vectors from '../test-vectors/business-calendar.json' with { type: 'json' };
import {
  OPEN_AROUND_THE_CLOCK,
  businessCalendarSchema,
  dueDate,
  isOpenAt,
  isValidTimeZone,
  nextOpenMoment,
  previewDueDates,
  type BusinessCalendar,
  type Delay,
  type StepDelay,
} from './business-calendar.ts';

// The shared vectors (also run against SQL by supabase/tests/business-calendar.test.ts),
// then what only the TypeScript side has: the settings form's schema.

const calendars = vectors.calendars as Record<string, BusinessCalendar>;
const calendar = (name: string): BusinessCalendar => {
  const found = calendars[name];
  if (!found) throw new Error(`no calendar "${name}" in the vectors`);
  return found;
};

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

describe('dueDate (shared vectors)', () => {
  const cases = vectors.due_dates.map((c) => [c.name, c] as const);

  it.each(cases)('%s', (_name, c) => {
    const run = () => dueDate(new Date(c.from), c.delay as Delay, calendar(c.calendar));
    if ('error' in c && c.error) {
      expect(run).toThrow(c.error);
    } else {
      expect(iso(run())).toBe((c as { expected: string }).expected);
    }
  });
});

describe('previewDueDates (shared vectors)', () => {
  const cases = vectors.previews.map((c) => [c.name, c] as const);

  it.each(cases)('%s', (_name, c) => {
    const due = previewDueDates(new Date(c.from), c.steps as StepDelay[], calendar(c.calendar));
    expect(due.map(iso)).toEqual(c.expected);
  });

  it('accepts { value, unit } steps too', () => {
    const due = previewDueDates(
      new Date('2026-11-23T10:00:00Z'),
      [
        { value: 1, unit: 'days' },
        { value: 2, unit: 'hours' },
      ],
      OPEN_AROUND_THE_CLOCK,
    );
    expect(due.map(iso)).toEqual(['2026-11-24T10:00:00Z', '2026-11-24T12:00:00Z']);
  });
});

describe('the around-the-clock shortcut', () => {
  // A holiday decades away forces the day-by-day walk; both must agree.
  const walked = (c: BusinessCalendar): BusinessCalendar => ({ ...c, holidays: ['2099-01-01'] });
  const inputs = vectors.due_dates.filter(
    (c) => c.calendar.startsWith('around_the_clock') && 'expected' in c,
  );

  it.each(inputs.map((c) => [c.name, c] as const))('walking agrees: %s', (_name, c) => {
    const cal = calendar(c.calendar);
    const from = new Date(c.from);
    expect(iso(dueDate(from, c.delay as Delay, walked(cal)))).toBe(
      iso(dueDate(from, c.delay as Delay, cal)),
    );
  });

  it('walking agrees hour by hour over both 2026 London clock changes', () => {
    const london = calendar('around_the_clock_london');
    for (const start of ['2026-03-27T00:00:00Z', '2026-10-23T00:00:00Z']) {
      for (let h = 0; h < 72; h++) {
        const from = new Date(Date.parse(start) + h * 3_600_000 + 30 * 60_000);
        for (const delay of [
          { value: 1, unit: 'days' },
          { value: 2, unit: 'days' },
          { value: 25, unit: 'hours' },
          { value: 61, unit: 'minutes' },
        ] as Delay[]) {
          expect(iso(dueDate(from, delay, walked(london)))).toBe(iso(dueDate(from, delay, london)));
        }
      }
    }
  });
});

describe('nextOpenMoment', () => {
  const office = calendar('london_office');

  it('is the moment itself inside a window', () => {
    const at = new Date('2026-11-24T10:00:00Z');
    expect(nextOpenMoment(at, office)).toEqual(at);
    expect(isOpenAt(at, office)).toBe(true);
  });

  it('is the start of the next window outside one', () => {
    expect(iso(nextOpenMoment(new Date('2026-11-24T17:30:00Z'), office))).toBe(
      '2026-11-25T09:00:00Z',
    );
    expect(isOpenAt(new Date('2026-11-24T17:30:00Z'), office)).toBe(false);
  });

  it('fails clearly for a calendar that is never open', () => {
    expect(() => nextOpenMoment(new Date(), calendar('never_open'))).toThrow(/no open time/);
  });

  it('fails clearly when every day for a year is a holiday', () => {
    const holidays = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 20 + i)).toISOString().slice(0, 10),
    );
    expect(() =>
      dueDate(
        new Date('2026-11-23T10:00:00Z'),
        { value: 1, unit: 'days' },
        { ...office, holidays },
      ),
    ).toThrow(/no working day/);
  });
});

describe('businessCalendarSchema', () => {
  const valid = {
    time_zone: 'Europe/London',
    working_days: [5, 1, 2, 3, 4],
    windows: [
      { start: '09:00', end: '11:30' },
      { start: '14:30', end: '17:30' },
    ],
    holidays: ['2026-12-28', '2026-12-25', '2026-12-25'],
  };

  const issues = (input: unknown) => {
    const result = businessCalendarSchema.safeParse(input);
    return result.success
      ? []
      : result.error.issues.map((i): [string, string] => [i.path.join('.'), i.message]);
  };

  it('accepts a weekday office calendar, sorting days and de-duplicating holidays', () => {
    expect(businessCalendarSchema.parse(valid)).toEqual({
      ...valid,
      working_days: [1, 2, 3, 4, 5],
      holidays: ['2026-12-25', '2026-12-28'],
    });
  });

  it('accepts the around-the-clock defaults, with 24:00 as an end', () => {
    expect(businessCalendarSchema.parse(OPEN_AROUND_THE_CLOCK)).toEqual(OPEN_AROUND_THE_CLOCK);
  });

  it.each([
    ['Europe/Lundon', 'time_zone'],
    ['+01:00', 'time_zone'],
    ['', 'time_zone'],
  ])('rejects the time zone %j', (time_zone, path) => {
    expect(issues({ ...valid, time_zone }).map(([p]) => p)).toContain(path);
  });

  it.each([
    [[], 'Choose at least one working day'],
    [[1, 1, 2], 'Each working day only once'],
    [[0, 1], 'Too small: expected number to be >=1'],
    [[8], 'Too big: expected number to be <=7'],
  ])('rejects working days %j', (working_days, message) => {
    const found = issues({ ...valid, working_days });
    expect(found.some(([p, m]) => p.startsWith('working_days') && m === message)).toBe(true);
  });

  it.each([
    [[], 'windows', 'Add at least one opening window'],
    [[{ start: '9:00', end: '11:00' }], 'windows.0.start', 'Enter a time as HH:MM'],
    [[{ start: '09:00', end: '24:30' }], 'windows.0.end', 'Enter a time as HH:MM or 24:00'],
    [[{ start: '24:00', end: '24:00' }], 'windows.0.start', 'Enter a time as HH:MM'],
    [[{ start: '11:00', end: '09:00' }], 'windows.0.end', 'The window must end after it starts'],
    [[{ start: '11:00', end: '11:00' }], 'windows.0.end', 'The window must end after it starts'],
    [
      [
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '17:00' },
      ],
      'windows.1.start',
      'Windows must be in time order and must not overlap',
    ],
    [
      [
        { start: '14:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
      'windows.1.start',
      'Windows must be in time order and must not overlap',
    ],
  ])('rejects windows %j', (windows, path, message) => {
    expect(issues({ ...valid, windows })).toContainEqual([path, message]);
  });

  it('accepts windows that touch (one ends where the next starts)', () => {
    const windows = [
      { start: '00:00', end: '02:00' },
      { start: '02:00', end: '24:00' },
    ];
    expect(issues({ ...valid, windows })).toEqual([]);
  });

  it.each(['2026-02-30', '26-12-25', '2026-13-01', 'Christmas'])('rejects the holiday %j', (d) => {
    expect(issues({ ...valid, holidays: [d] })).toContainEqual([
      'holidays.0',
      'Enter a date (YYYY-MM-DD)',
    ]);
  });
});

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/London', 'America/New_York', 'America/Argentina/Buenos_Aires'])(
    'accepts %s',
    (zone) => expect(isValidTimeZone(zone)).toBe(true),
  );
  it.each(['', 'Mars/Olympus', '+05:00', 'Europe/London '])('rejects %j', (zone) =>
    expect(isValidTimeZone(zone)).toBe(false),
  );
});
