import { describe, expect, it } from 'vitest';
import { bucketJobs, percentile, type JobTimes } from '../stats';

const at = (minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 22, 9, minute, second)).toISOString();
const from = Date.UTC(2026, 10, 22, 9, 0);
const to = Date.UTC(2026, 10, 22, 9, 15);
const fiveMinutes = 5 * 60_000;

const job = (overrides: Partial<JobTimes>): JobTimes => ({
  status: 'completed',
  created_at: at(1),
  started_at: at(1),
  completed_at: at(1, 2),
  last_updated_at: at(1, 2),
  ...overrides,
});

describe('percentile', () => {
  it.each([
    [[], 0.95, null],
    [[5], 0.95, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95, 19],
    [[10, 20, 30], 0.5, 20],
  ])('%j at %d → %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('bucketJobs', () => {
  it('counts finishes per bucket, their failure rate, durations and the queue at each end', () => {
    const stats = bucketJobs(
      [
        job({}), // 2 s, bucket 0
        job({ started_at: at(2), completed_at: at(2, 4) }), // 4 s, bucket 0
        job({ status: 'failed', completed_at: at(3) }), // bucket 0
        job({
          created_at: at(6),
          started_at: at(6),
          completed_at: at(11),
          last_updated_at: at(11),
        }), // 5 min, bucket 2; queued at the end of bucket 1
        job({ status: 'pending', created_at: at(12), started_at: null, completed_at: null }), // queued at the end
        job({
          status: 'cancelled',
          created_at: at(7),
          started_at: null,
          completed_at: null,
          last_updated_at: at(8),
        }),
      ],
      from,
      to,
      fiveMinutes,
    );
    expect(stats.buckets.map((b) => [b.completed, b.failed])).toEqual([
      [2, 1],
      [0, 0],
      [1, 0],
    ]);
    expect(stats.buckets.map((b) => b.failureRate)).toEqual([1 / 3, null, 0]);
    expect(stats.buckets[0]).toMatchObject({ avgMs: 3000, p95Ms: 4000 });
    expect(stats.buckets[2]).toMatchObject({ avgMs: 300_000, p95Ms: 300_000 });
    expect(stats.buckets.map((b) => b.queueDepth)).toEqual([0, 1, 1]);
    expect(stats.totals).toMatchObject({
      completed: 3,
      failed: 1,
      failureRate: 0.25,
      avgMs: (2000 + 4000 + 300_000) / 3,
      p95Ms: 300_000,
      queueDepth: 1,
    });
  });

  it('ignores finishes outside the range', () => {
    const stats = bucketJobs([job({ completed_at: at(20) })], from, to, fiveMinutes);
    expect(stats.totals.completed).toBe(0);
  });
});
