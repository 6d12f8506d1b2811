// start-workflow's rate limits per user and per organisation (issue 10 §2; migration
// 20261122005200_rate_limits.sql): token buckets in Postgres, so every function isolate
// shares them. The test stack raises the default limits out of reach (`testing` in
// local-stack's stack.ts); each test sets its own for one user or organisation.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import {
  callFunction,
  createWorkflowOrganisation,
  type ApiError,
  type Started,
} from './support/workflows.ts';
import type { TestUser } from './support/users.ts';

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;
let db: pg.Client;
const subjects: string[] = [];

beforeAll(async () => {
  t = await createWorkflowOrganisation('rate-limit');
  db = await adminDb();
});

afterAll(async () => {
  if (subjects.length)
    await db?.query('delete from private.rate_limit_overrides where subject_id = any($1::uuid[])', [
      subjects,
    ]);
  await db?.end();
  await t?.fx.cleanup();
});

async function limit(
  scope: 'user' | 'organisation',
  subjectId: string,
  capacity: number,
  refillPerSecond: number,
): Promise<void> {
  subjects.push(subjectId);
  await db.query(
    `insert into private.rate_limit_overrides (scope, subject_id, capacity, refill_per_second)
     values ($1, $2, $3, $4)
     on conflict (scope, subject_id) do update
       set capacity = excluded.capacity, refill_per_second = excluded.refill_per_second`,
    [scope, subjectId, capacity, refillPerSecond],
  );
  // A bucket left from earlier starts begins full at the new capacity.
  await db.query(
    'update private.rate_limit_buckets set tokens = $3, refilled_at = now() where scope = $1 and subject_id = $2',
    [scope, subjectId, capacity],
  );
}

const start = (as: TestUser, workflowId = t.workflow.id, headers: Record<string, string> = {}) =>
  callFunction<Started & ApiError>('start-workflow', {
    as,
    body: { workflow_id: workflowId, input_data: { payload: 'rate' } },
    headers,
  });

describe('start-workflow rate limits', () => {
  it('a user past their limit gets 429 rate_limited with Retry-After; a colleague is still served', async () => {
    await limit('user', t.member.id, 3, 0.01);
    for (let i = 0; i < 3; i++) expect((await start(t.member)).status).toBe(201);

    const refused = await start(t.member);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect(refused.body.error.message).toMatch(/user/);
    // One token every 100 s: the wait is whole seconds, at least 1.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(100);

    expect((await start(t.colleague)).status).toBe(201);
  });

  it('a refused start creates no job', async () => {
    await limit('user', t.admin.id, 1, 0.01);
    expect((await start(t.admin)).status).toBe(201);
    const { rows: before } = await db.query<{ n: number }>(
      'select count(*)::int as n from public.jobs where user_id = $1',
      [t.admin.id],
    );
    expect((await start(t.admin)).status).toBe(429);
    const { rows: after } = await db.query<{ n: number }>(
      'select count(*)::int as n from public.jobs where user_id = $1',
      [t.admin.id],
    );
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('an idempotent replay is answered even when the bucket is empty', async () => {
    await limit('user', t.colleague.id, 1, 0.01);
    const key = { 'Idempotency-Key': `rate-${crypto.randomUUID()}` };
    expect((await start(t.colleague, t.workflow.id, key)).status).toBe(201);
    const replay = await start(t.colleague, t.workflow.id, key);
    expect(replay.status).toBe(200);
    expect((await start(t.colleague)).status).toBe(429);
  });

  it('the bucket refills at its rate', async () => {
    const user = t.outsider;
    await limit('user', user.id, 1, 50);
    expect((await start(user, t.otherWorkflow.id)).status).toBe(201);
    // 50 tokens a second: one is back well within 300 ms, however slow the machine.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await start(user, t.otherWorkflow.id)).status).toBe(201);
    await db.query('delete from private.rate_limit_overrides where subject_id = $1', [user.id]);
  });

  it('an organisation past its limit refuses every member; another organisation is served', async () => {
    await limit('organisation', t.organisationId, 2, 0.01);
    const answers = [await start(t.owner), await start(t.owner), await start(t.owner)];
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(answers[2]?.body.error.message).toMatch(/organisation/);
    expect((await start(t.colleague)).status).toBe(429);
    expect((await start(t.outsider, t.otherWorkflow.id)).status).toBe(201);
  });
});
