import { describe, expect, it } from 'vitest';
import {
  CronError,
  describeCron,
  nextCronTime,
  nextCronTimes,
  parseCron,
  validateCron,
} from './cron.ts';

const at = (iso: string) => new Date(iso);
const next = (cron: string, after: string, zone?: string) =>
  nextCronTime(cron, at(after), zone)?.toISOString() ?? null;

describe('parseCron / validateCron', () => {
  it('reads lists, ranges, steps and *', () => {
    const s = parseCron('0,30 8-18/2 */10 1-3,12 1-5');
    expect(s.minutes).toEqual([0, 30]);
    expect(s.hours).toEqual([8, 10, 12, 14, 16, 18]);
    expect([...s.days]).toEqual([1, 11, 21, 31]);
    expect([...s.months]).toEqual([1, 2, 3, 12]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
    expect([...parseCron('* * * * 7').weekdays]).toEqual([0]);
    expect(parseCron('  0   9 * *   1 ').source).toBe('0 9 * * 1');
  });

  it('says what is wrong, in words', () => {
    expect(validateCron('0 9 * * 1-5')).toBeNull();
    expect(validateCron('')).toMatch(/empty/);
    expect(validateCron('* * *')).toBe(
      'cron needs five fields (minute hour day-of-month month day-of-week), not 3',
    );
    expect(validateCron('61 * * * *')).toBe('minute: 61 is out of range (0-59)');
    expect(validateCron('* 24 * * *')).toBe('hour: 24 is out of range (0-23)');
    expect(validateCron('* * 0 * *')).toBe('day-of-month: 0 is out of range (1-31)');
    expect(validateCron('* * * 13 *')).toBe('month: 13 is out of range (1-12)');
    expect(validateCron('* * * * 8')).toBe('day-of-week: 8 is out of range (0-7)');
    expect(validateCron('5-1 * * * *')).toBe('minute: the range 5-1 goes backwards');
    expect(validateCron('*/0 * * * *')).toBe('minute: the step in */0 must be at least 1');
    expect(validateCron('* * * * MON')).toBe(
      'day-of-week: "MON" is not *, a number, a range (1-5) or a step (*/15)',
    );
    expect(validateCron('1,,2 * * * *')).toMatch(/^minute: "" is not/);
    expect(() => parseCron('x')).toThrow(CronError);
  });
});

describe('nextCronTime in UTC', () => {
  it('is strictly after the given time', () => {
    expect(next('* * * * *', '2026-12-04T11:00:00.000Z')).toBe('2026-12-04T11:01:00.000Z');
    expect(next('* * * * *', '2026-12-04T11:00:30.000Z')).toBe('2026-12-04T11:01:00.000Z');
    expect(next('*/15 * * * *', '2026-12-04T11:15:00.000Z')).toBe('2026-12-04T11:30:00.000Z');
  });

  it('rolls over hours, days, months and years', () => {
    expect(next('0 9 * * *', '2026-12-04T09:00:00.000Z')).toBe('2026-12-05T09:00:00.000Z');
    expect(next('0 0 1 * *', '2026-12-04T00:00:00.000Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('30 6 31 * *', '2026-04-01T00:00:00.000Z')).toBe('2026-05-31T06:30:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00.000Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('ranges and steps of weekdays (2026-12-04 is a Friday)', () => {
    expect(next('0 9 * * 1-5', '2026-12-04T10:00:00.000Z')).toBe('2026-12-07T09:00:00.000Z');
    expect(next('0 9 * * 0,6', '2026-12-04T10:00:00.000Z')).toBe('2026-12-05T09:00:00.000Z');
    expect(next('0 9 * * 7', '2026-12-04T10:00:00.000Z')).toBe('2026-12-06T09:00:00.000Z');
    expect(next('0 8-18/5 * * *', '2026-12-04T13:00:00.000Z')).toBe('2026-12-04T18:00:00.000Z');
  });

  it('both day fields restricted: either matches (Vixie); one starred: both must', () => {
    // The 15th, or any Monday: Monday 7 December comes first.
    expect(next('0 0 15 * 1', '2026-12-04T00:00:00.000Z')).toBe('2026-12-07T00:00:00.000Z');
    // Every 2nd day of the month that is also a Monday (*/2 counts as starred).
    expect(next('0 0 */2 * 1', '2026-12-04T00:00:00.000Z')).toBe('2026-12-07T00:00:00.000Z');
    expect(next('0 0 */2 * 2', '2026-12-04T00:00:00.000Z')).toBe('2026-12-15T00:00:00.000Z');
  });

  it('never: null', () => {
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(next('0 0 31 4 *', '2026-01-01T00:00:00.000Z')).toBeNull();
  });
});

describe('nextCronTime in a time zone, across DST (Europe/London)', () => {
  const London = 'Europe/London';

  it('fires at local wall-clock time in winter and in summer', () => {
    // 09:00 GMT = 09:00 UTC; 09:00 BST = 08:00 UTC.
    expect(next('0 9 * * *', '2026-01-10T12:00:00.000Z', London)).toBe('2026-01-11T09:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-10T12:00:00.000Z', London)).toBe('2026-07-11T08:00:00.000Z');
    // Friday 27 March (GMT) → Monday 30 March (BST, after the change on Sunday 29).
    expect(next('0 9 * * 1-5', '2026-03-27T10:00:00.000Z', London)).toBe(
      '2026-03-30T08:00:00.000Z',
    );
  });

  it('spring forward: a time in the gap fires once, when the gap ends', () => {
    // 29 March 2026: 01:00 GMT jumps to 02:00 BST (01:00 UTC); 01:30 does not exist.
    expect(next('30 1 * * *', '2026-03-28T12:00:00.000Z', London)).toBe('2026-03-29T01:00:00.000Z');
    expect(next('30 1 * * *', '2026-03-29T01:00:00.000Z', London)).toBe('2026-03-30T00:30:00.000Z');
    // Every 15 minutes: 00:45 GMT, then the gap's times all at 01:00 UTC (once), then 02:15 BST.
    expect(
      nextCronTimes('*/15 * * * *', at('2026-03-29T00:40:00.000Z'), London, 3).map((d) =>
        d.toISOString(),
      ),
    ).toEqual(['2026-03-29T00:45:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z']);
  });

  it('fall back: a time that happens twice fires at its first occurrence only', () => {
    // 25 October 2026: 02:00 BST goes back to 01:00 GMT; 01:30 happens at 00:30 and 01:30 UTC.
    expect(next('30 1 * * *', '2026-10-24T12:00:00.000Z', London)).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 1 * * *', '2026-10-25T00:30:00.000Z', London)).toBe('2026-10-26T01:30:00.000Z');
    // 09:00 the day after is GMT again.
    expect(next('0 9 * * *', '2026-10-25T10:00:00.000Z', London)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('another zone, and unknown zones', () => {
    expect(next('0 9 * * *', '2026-12-04T00:00:00.000Z', 'America/New_York')).toBe(
      '2026-12-04T14:00:00.000Z',
    );
    expect(() => nextCronTime('* * * * *', at('2026-12-04T00:00:00Z'), 'Mars/Base')).toThrow(
      /unknown time zone "Mars\/Base"/,
    );
  });
});

describe('describeCron', () => {
  it('reads common schedules', () => {
    expect(describeCron('* * * * *')).toBe('Every minute');
    expect(describeCron('*/15 * * * *')).toBe('Every 15 minutes');
    expect(describeCron('0 9 * * 1-5')).toBe('At 09:00 on Monday to Friday');
    expect(describeCron('30 8,17 * * *')).toBe('At 08:30 and 17:30');
    expect(describeCron('0 0 1 1 *')).toBe('At 00:00 on day 1 of the month in January');
    expect(describeCron('0 9 * * 0,6')).toBe('At 09:00 on Saturday and Sunday');
  });
});
