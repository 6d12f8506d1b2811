import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { env, serviceClient } from './support/env.ts';
import { ownerDb } from './support/orchestrator.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// API response times (seed 003 iteration 12): every function's `handle` sends its durations
// to public.record_function_durations; workflow-metrics renders them as a Prometheus
// histogram and public.function_latency_stats gives p50/p95 per function to the Monitoring
// page (migration …_function_latency.sql).

const fx = createFixtures('latency');
let user: TestUser;

beforeAll(async () => {
  user = await fx.user('user');
});

afterAll(async () => {
  await fx.cleanup();
});

interface Histogram {
  buckets: [le: string, count: number][];
  sum: number;
  count: number;
}

/** forkflow_function_duration_seconds for one function, or undefined while it has none. */
async function scrape(fn: string): Promise<{ text: string; histogram?: Histogram }> {
  const res = await fetch(`${env.url}/functions/v1/workflow-metrics`, {
    headers: { Authorization: `Bearer ${env.serviceRoleKey}` },
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  const name = 'forkflow_function_duration_seconds';
  const buckets: [string, number][] = [];
  let sum: number | undefined;
  let count: number | undefined;
  for (const line of text.split('\n')) {
    const bucket = new RegExp(`^${name}_bucket\\{function="${fn}",le="([^"]+)"\\} (\\S+)$`).exec(
      line,
    );
    if (bucket) buckets.push([bucket[1]!, Number(bucket[2])]);
    if (line.startsWith(`${name}_sum{function="${fn}"} `)) sum = Number(line.split(' ')[1]);
    if (line.startsWith(`${name}_count{function="${fn}"} `)) count = Number(line.split(' ')[1]);
  }
  if (count === undefined) return { text };
  return { text, histogram: { buckets, sum: sum!, count } };
}

const callMe = async (client = user.client) => {
  const { data } = await client.auth.getSession();
  const res = await fetch(`${env.url}/functions/v1/me`, {
    headers: { Authorization: `Bearer ${data.session!.access_token}` },
  });
  expect(res.status).toBe(200);
  await res.body?.cancel();
};

describe('forkflow_function_duration_seconds', () => {
  it('is a histogram per function whose counts go up after calls', async () => {
    const before = (await scrape('me')).histogram?.count ?? 0;
    for (let i = 0; i < 3; i++) await callMe();

    // Durations are sent about a second after the response (latency.ts): poll.
    let after: Histogram | undefined;
    for (let attempt = 0; attempt < 40; attempt++) {
      after = (await scrape('me')).histogram;
      if ((after?.count ?? 0) >= before + 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(after?.count).toBeGreaterThanOrEqual(before + 3);

    // Cumulative `le` buckets in ascending order, the last +Inf and equal to the count.
    const { buckets, count, sum } = after!;
    expect(buckets.length).toBeGreaterThan(2);
    expect(buckets.at(-1)).toEqual(['+Inf', count]);
    const bounds = buckets.slice(0, -1).map(([le]) => Number(le));
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(sum).toBeGreaterThan(0);
  });

  it('declares the family as a histogram before its samples', async () => {
    await callMe();
    let text = '';
    for (let attempt = 0; attempt < 40 && !text.includes('_bucket{'); attempt++) {
      ({ text } = await scrape('me'));
      if (!text.includes('_bucket{')) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const lines = text.split('\n');
    const type = lines.indexOf('# TYPE forkflow_function_duration_seconds histogram');
    expect(type).toBeGreaterThan(0);
    expect(lines[type - 1]).toMatch(/^# HELP forkflow_function_duration_seconds /);
    const first = lines.findIndex((l) => l.startsWith('forkflow_function_duration_seconds_'));
    expect(first).toBeGreaterThan(type);
  });
});

describe('function_latency_stats', () => {
  it('gives a signed-in user p50 and p95 per function, interpolated in the buckets', async () => {
    const fn = `latency-probe-${randomUUID().slice(0, 8)}`;
    // Nine calls of 1 ms (bucket le 2) and one of 40 ms (le 50).
    const { error } = await serviceClient().rpc('record_function_durations', {
      p_samples: { [fn]: [1, 1, 1, 1, 1, 1, 1, 1, 1, 40] },
    });
    expect(error).toBeNull();

    const { data, error: readError } = await user.client.rpc('function_latency_stats', {
      p_since: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(readError).toBeNull();
    const row = data!.find((r) => r.function_name === fn);
    // p50: rank 5 of 10, in (0, 2] holding 9 → 2 × 5/9; p95: rank 9.5, half-way into (25, 50].
    expect(row?.p50_ms).toBeCloseTo(10 / 9, 6);
    expect(row?.p95_ms).toBeCloseTo(37.5, 6);
    expect(Object.keys(row!).sort()).toEqual(['function_name', 'p50_ms', 'p95_ms']);
  });

  it('refuses a visitor who has not signed in', async () => {
    const { error } = await anonClient().rpc('function_latency_stats', {});
    expect(error).not.toBeNull();
  });
});

describe('who can write and read the latency figures', () => {
  it('a user or a visitor cannot record durations or read the totals', async () => {
    for (const client of [user.client, anonClient()]) {
      const write = await client.rpc('record_function_durations', { p_samples: { me: [1] } });
      expect(write.error?.code).toBe('42501');
      const totals = await client.rpc('function_latency_metrics');
      expect(totals.error?.code).toBe('42501');
    }
  });

  it('the tables are private: not exposed over the API, and closed to the API roles', async () => {
    const exposed = await user.client
      .schema('private' as never)
      .from('function_latency_minutes')
      .select('*');
    expect(exposed.error).not.toBeNull();

    const db = await ownerDb();
    try {
      for (const role of ['authenticated', 'anon', 'service_role']) {
        for (const table of ['function_latency_minutes', 'function_latency_totals']) {
          await db.query('begin');
          await db.query(`set local role ${role}`);
          await expect(db.query(`select * from private.${table}`)).rejects.toThrow(
            /permission denied/,
          );
          await db.query('rollback');
          await db.query('begin');
          await db.query(`set local role ${role}`);
          await expect(
            db.query(
              `insert into private.${table} (function_name, bucket_counts, sum_ms, count${
                table.endsWith('minutes') ? ', minute' : ''
              }) values ('me', '{1}', 1, 1${table.endsWith('minutes') ? ', now()' : ''})`,
            ),
          ).rejects.toThrow(/permission denied/);
          await db.query('rollback');
        }
      }
    } finally {
      await db.end();
    }
  });

  it('refuses malformed samples with 400 invalid_input', async () => {
    const service = serviceClient();
    for (const p_samples of [
      [1, 2],
      { 'Not A Slug': [1] },
      { me: [-1] },
      { me: ['fast'] },
      { me: 5 },
    ]) {
      const { error } = await service.rpc('record_function_durations', {
        p_samples: p_samples as never,
      });
      expect(error?.code, JSON.stringify(p_samples)).toBe('invalid_input');
    }
  });
});
