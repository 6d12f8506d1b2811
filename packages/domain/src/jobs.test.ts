import { describe, expect, it } from 'vitest';
import {
  ACTIVE_JOB_STATUSES,
  afterJobCursor,
  decodeJobCursor,
  encodeJobCursor,
  isActiveJobStatus,
  isJobStatus,
  JOB_STATUSES,
  postgresReadsTimestamp,
  type JobCursor,
  type KeysetFilterable,
} from './jobs.ts';

describe('job statuses', () => {
  it.each([
    ['pending', true],
    ['running', true],
    ['awaiting_retry', true],
    ['completed', false],
    ['failed', false],
    ['cancelled', false],
  ])('%s is active: %s', (status, active) => {
    expect(isJobStatus(status)).toBe(true);
    expect(isActiveJobStatus(status)).toBe(active);
  });

  it('the active statuses are a subset of all statuses', () => {
    expect(JOB_STATUSES).toEqual(expect.arrayContaining([...ACTIVE_JOB_STATUSES]));
  });

  it.each(['', 'Pending', 'done', 'pending '])('%j is not a status', (value) => {
    expect(isJobStatus(value)).toBe(false);
    expect(isActiveJobStatus(value)).toBe(false);
  });
});

describe('job cursor encoding', () => {
  const cursor: JobCursor = {
    created_at: '2026-11-30T12:34:56.123456+00:00',
    id: '0b8f6c2e-9d1a-4c3b-8e7f-112233445566',
  };

  it('round-trips and is URL-safe', () => {
    const encoded = encodeJobCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeJobCursor(encoded)).toEqual(cursor);
  });

  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  it.each([
    ['not base64', '%%%'],
    ['not JSON', btoa('nope')],
    ['an object', encode(cursor)],
    ['a third element', encode([cursor.created_at, cursor.id, 'x'])],
    ['an id that is not a UUID', encode([cursor.created_at, '42'])],
    ['a filter smuggled into the id', encode([cursor.created_at, `${cursor.id}),id.gt.(0`])],
    ['a date without a time', encode(['2026-11-30', cursor.id])],
    ['a day Postgres rejects', encode(['2026-02-30T00:00:00+00:00', cursor.id])],
    ['an offset past 15 hours', encode(['2026-11-30T00:00:00+16:00', cursor.id])],
    ['a quote in the timestamp', encode(['2026-11-30T00:00:00"+00:00', cursor.id])],
  ])('rejects %s', (_name, value) => {
    expect(decodeJobCursor(value)).toBeNull();
  });
});

describe('postgresReadsTimestamp', () => {
  it.each([
    ['2026-11-30', true],
    ['2026-11-30T24:00:00Z', true],
    ['2024-02-29T10:00:00+01:00', true],
    ['2025-02-29', false],
    ['0000-01-01', false],
    ['2026-13-01', false],
    ['2026-11-30T24:00:01Z', false],
    ['2026-11-30T10:60:00Z', false],
    ['2026-11-30T10:00:00+15:60', false],
    ['30/11/2026', false],
  ])('%s: %s', (value, readable) => {
    expect(postgresReadsTimestamp(value)).toBe(readable);
  });
});

describe('afterJobCursor', () => {
  // Records the filters a PostgREST builder would receive.
  class Recorder implements KeysetFilterable<Recorder> {
    calls: string[] = [];
    lte(column: 'created_at', value: string) {
      this.calls.push(`lte ${column} ${value}`);
      return this;
    }
    or(filters: string) {
      this.calls.push(`or ${filters}`);
      return this;
    }
  }

  it('bounds created_at for the index and breaks ties by id', () => {
    const query = afterJobCursor(new Recorder(), {
      created_at: '2026-11-30T12:00:00+00:00',
      id: '0b8f6c2e-9d1a-4c3b-8e7f-112233445566',
    });
    expect(query.calls).toEqual([
      'lte created_at 2026-11-30T12:00:00+00:00',
      'or created_at.lt."2026-11-30T12:00:00+00:00",and(created_at.eq."2026-11-30T12:00:00+00:00",id.lt.0b8f6c2e-9d1a-4c3b-8e7f-112233445566)',
    ]);
  });
});
