import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDateInZone,
  formatDateTimeInZone,
  formatDayMonthInZone,
  formatInZone,
  formatTimeInZone,
  getDisplayTimeZone,
  setDisplayTimeZone,
} from '../format-in-zone';
import { formatDate, formatDateTime } from '../utils';

// 2026-11-24T08:05:00Z: 08:05 in London, 17:05 in Tokyo, 00:05 in Los Angeles.
const moment = new Date('2026-11-24T08:05:00Z');

afterEach(() => setDisplayTimeZone(null));

describe('one date and time format', () => {
  it.each([
    ['Europe/London', 'Tue 24 Nov 08:05', '24 Nov 2026', '24 Nov 2026, 08:05', '08:05', '24 Nov'],
    ['Asia/Tokyo', 'Tue 24 Nov 17:05', '24 Nov 2026', '24 Nov 2026, 17:05', '17:05', '24 Nov'],
    [
      'America/Los_Angeles',
      'Tue 24 Nov 00:05',
      '24 Nov 2026',
      '24 Nov 2026, 00:05',
      '00:05',
      '24 Nov',
    ],
    [
      'Pacific/Kiritimati',
      'Tue 24 Nov 22:05',
      '24 Nov 2026',
      '24 Nov 2026, 22:05',
      '22:05',
      '24 Nov',
    ],
  ])('in %s', (zone, weekdayTime, date, dateTime, time, dayMonth) => {
    expect(formatInZone(moment, zone)).toBe(weekdayTime);
    expect(formatDateInZone(moment, zone)).toBe(date);
    expect(formatDateTimeInZone(moment, zone)).toBe(dateTime);
    expect(formatTimeInZone(moment, zone)).toBe(time);
    expect(formatDayMonthInZone(moment, zone)).toBe(dayMonth);
  });

  it('a date crossing midnight shows the zone’s own day', () => {
    expect(formatDateInZone(new Date('2026-11-24T23:30:00Z'), 'Asia/Tokyo')).toBe('25 Nov 2026');
  });

  it('24-hour clock, never AM/PM', () => {
    expect(formatTimeInZone(new Date('2026-11-24T15:45:00Z'), 'UTC')).toBe('15:45');
  });

  it("lib/utils' list formatters follow the display zone the shell sets", () => {
    setDisplayTimeZone('Asia/Tokyo');
    expect(getDisplayTimeZone()).toBe('Asia/Tokyo');
    expect(formatDateTime(moment.toISOString())).toBe('24 Nov 2026, 17:05');
    setDisplayTimeZone('America/Los_Angeles');
    expect(formatDate('2026-11-24T07:00:00Z')).toBe('23 Nov 2026');
  });
});
