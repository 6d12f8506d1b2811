import { describe, expect, it } from 'vitest';
import {
  fromLocalInputValue,
  instantAtWallTime,
  snoozePresets,
  toLocalInputValue,
} from '../snooze-presets';

const at = (now: string, timeZone: string) =>
  Object.fromEntries(
    snoozePresets(new Date(now), timeZone).map((p) => [p.key, p.at.toISOString()]),
  );

describe('snoozePresets', () => {
  it.each([
    // Friday 10:30 in London (GMT): tomorrow is Saturday 9:00, next Monday the 30th.
    [
      '2026-11-27T10:30:00Z',
      'Europe/London',
      '2026-11-28T09:00:00.000Z',
      '2026-11-30T09:00:00.000Z',
    ],
    // Friday 23:30 UTC is already Saturday 08:30 in Tokyo: "tomorrow" is Sunday there.
    ['2026-11-27T23:30:00Z', 'Asia/Tokyo', '2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    // A Monday's next Monday is a week on (New York, EST = UTC-5).
    [
      '2026-11-30T15:00:00Z',
      'America/New_York',
      '2026-12-01T14:00:00.000Z',
      '2026-12-07T14:00:00.000Z',
    ],
    // Across the spring change in Berlin (29 Mar 2026): 9:00 is CEST (UTC+2) on the Monday.
    [
      '2026-03-28T12:00:00Z',
      'Europe/Berlin',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ],
  ])('from %s in %s: tomorrow %s, next Monday %s', (now, zone, tomorrow, monday) => {
    const presets = at(now, zone);
    expect(presets.tomorrow).toBe(tomorrow);
    expect(presets.monday).toBe(monday);
    expect(presets.hour).toBe(new Date(Date.parse(now) + 3_600_000).toISOString());
  });
});

describe('wall time in a zone', () => {
  it('reads and writes datetime-local values on the zone\u2019s wall clock', () => {
    const instant = fromLocalInputValue('2026-07-01T09:15', 'America/Los_Angeles');
    expect(instant?.toISOString()).toBe('2026-07-01T16:15:00.000Z');
    expect(toLocalInputValue(instant!, 'America/Los_Angeles')).toBe('2026-07-01T09:15');
    expect(fromLocalInputValue('not a date', 'UTC')).toBeNull();
  });

  it('a time skipped by the spring change still gives a real time an hour off', () => {
    // 02:30 does not exist in Berlin on 29 Mar 2026 (02:00 -> 03:00).
    const instant = instantAtWallTime(
      { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
      'Europe/Berlin',
    );
    expect(toLocalInputValue(instant, 'Europe/Berlin')).toMatch(/^2026-03-29T0[13]:30$/);
  });
});
