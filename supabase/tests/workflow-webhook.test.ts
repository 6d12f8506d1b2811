// Webhook triggers (issue 14 §3; docs/automation/webhooks.md; migration
// 20261122009500_webhook_triggers.sql): POST /functions/v1/workflow-webhook/<trigger id>,
// signed as a sender would sign with node:crypto, through the gateway with no JWT. The
// triggers are written as the database owner (the save RPC is the triggers' own tests'), the
// secret rotated through rotate_webhook_secret as a member would call it.
import { createHmac, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { createWorkflowOrganisation, tokenOf, type Job } from './support/workflows.ts';

type Org = Awaited<ReturnType<typeof createWorkflowOrganisation>>;
type Delivered = { job_id: string; replayed: boolean };
type Answer = {
  status: number;
  body: Delivered & { error: { code: string; message: string } };
  headers: Headers;
};

let t: Org;
let db: pg.Client;
const overrides: string[] = [];

beforeAll(async () => {
  t = await createWorkflowOrganisation('webhook');
  db = await adminDb();
});

afterAll(async () => {
  if (overrides.length)
    await db?.query(
      `delete from private.rate_limit_overrides where scope = 'webhook' and subject_id = any($1::uuid[])`,
      [overrides],
    );
  await db?.end();
  await t?.fx.cleanup();
});

/** A webhook trigger on `workflowId` with a known secret, as save_workflow_trigger leaves one. */
async function webhook(
  options: {
    organisationId?: string;
    workflowId?: string;
    runAs?: string;
    input?: object;
    enabled?: boolean;
  } = {},
): Promise<{ id: string; secret: string }> {
  const secret = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
  const { rows } = await db.query<{ id: string }>(
    `insert into public.workflow_triggers (organisation_id, workflow_id, kind, name, input, run_as, enabled, created_by)
     values ($1, $2, 'webhook', 'Orders from the shop', $3, $4, $5, $4) returning id`,
    [
      options.organisationId ?? t.organisationId,
      options.workflowId ?? t.workflow.id,
      JSON.stringify(options.input ?? { payload: 'from the trigger' }),
      options.runAs ?? t.admin.id,
      options.enabled ?? true,
    ],
  );
  const id = rows[0]!.id;
  await db.query(
    'insert into private.workflow_trigger_secrets (trigger_id, secret) values ($1, $2)',
    [id, secret],
  );
  return { id, secret };
}

const sign = (secret: string, timestamp: number, body: string) =>
  `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

const now = () => Math.floor(Date.now() / 1000);

async function deliver(
  triggerId: string,
  options: {
    secret?: string;
    body?: string;
    key?: string | null;
    signature?: string | null;
    at?: number;
  } = {},
): Promise<Answer> {
  const body = options.body ?? JSON.stringify({ order: 1042 });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature =
    options.signature !== undefined
      ? options.signature
      : sign(options.secret ?? 'no secret', options.at ?? now(), body);
  if (signature !== null) headers['Forkflow-Signature'] = signature;
  const key = options.key !== undefined ? options.key : `delivery-${randomUUID()}`;
  if (key !== null) headers['Idempotency-Key'] = key;
  const res = await fetch(`${env.url}/functions/v1/workflow-webhook/${triggerId}`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: res.status, body: parsed as Answer['body'], headers: res.headers };
}

async function counts(triggerId: string): Promise<{ jobs: number; firings: number }> {
  const { rows } = await db.query<{ jobs: number; firings: number }>(
    `select (select count(*)::int from public.jobs where trigger_id = $1) as jobs,
            (select count(*)::int from public.workflow_trigger_firings where trigger_id = $1) as firings`,
    [triggerId],
  );
  return rows[0]!;
}

async function job(id: string): Promise<Job> {
  const { rows } = await db.query<{ job: Job }>(
    'select to_jsonb(j.*) as job from public.jobs as j where id = $1',
    [id],
  );
  return rows[0]!.job;
}

describe('workflow-webhook deliveries', () => {
  it('a signed delivery starts one job with the trigger input, the trigger and the body, as run_as', async () => {
    const hook = await webhook({ input: { payload: 'from the trigger', source: 'shop' } });
    const body = JSON.stringify({ order: 1042, items: ['soup', 'bread'] });
    const res = await deliver(hook.id, { secret: hook.secret, body });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ job_id: expect.any(String), replayed: false });

    const started = await job(res.body.job_id);
    expect(started).toMatchObject({
      trigger_id: hook.id,
      workflow_id: t.workflow.id,
      organisation_id: t.organisationId,
      user_id: t.admin.id,
    });
    expect(started.input_data).toMatchObject({
      payload: 'from the trigger',
      source: 'shop',
      trigger: { id: hook.id, kind: 'webhook' },
      body: { order: 1042, items: ['soup', 'bread'] },
    });
    const { rows } = await db.query(
      'select status, dedupe_key, job_id from public.workflow_trigger_firings where trigger_id = $1',
      [hook.id],
    );
    expect(rows).toEqual([
      {
        status: 'started',
        dedupe_key: expect.stringMatching(/^delivery:/),
        job_id: res.body.job_id,
      },
    ]);
  });

  it('a body that is not an object (an array, a string) is delivered as it is', async () => {
    const hook = await webhook();
    const res = await deliver(hook.id, { secret: hook.secret, body: '[1,"two",null]' });
    expect(res.status).toBe(202);
    expect((await job(res.body.job_id)).input_data).toMatchObject({ body: [1, 'two', null] });
  });

  it('the same delivery twice starts one job and answers it again as replayed', async () => {
    const hook = await webhook();
    const key = `order-${randomUUID()}`;
    const first = await deliver(hook.id, { secret: hook.secret, key });
    const again = await deliver(hook.id, { secret: hook.secret, key });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ job_id: first.body.job_id, replayed: true });
    expect(await counts(hook.id)).toEqual({ jobs: 1, firings: 1 });
  });

  it('ten concurrent sends of one delivery start one job', async () => {
    const hook = await webhook();
    const key = `burst-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => deliver(hook.id, { secret: hook.secret, key })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(new Set(answers.map((a) => a.body.job_id)).size).toBe(1);
    expect(answers.filter((a) => !a.body.replayed).length).toBeLessThanOrEqual(1);
    expect(await counts(hook.id)).toEqual({ jobs: 1, firings: 1 });
  });

  it.each([
    ['a wrong secret', (s: string) => ({ secret: `${s}x` })],
    ['no signature header', () => ({ signature: null })],
    ['a malformed header', () => ({ signature: 'v1=abc' })],
    ['a timestamp over 5 minutes old', (s: string) => ({ secret: s, at: now() - 301 })],
    // A minute past the tolerance: a slow request only brings a future time closer.
    ['a timestamp over 5 minutes ahead', (s: string) => ({ secret: s, at: now() + 360 })],
  ])('%s is 401 invalid_signature and starts nothing', async (_, options) => {
    const hook = await webhook();
    const res = await deliver(hook.id, options(hook.secret));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('a signature of another body is 401 and starts nothing', async () => {
    const hook = await webhook();
    const at = now();
    const res = await deliver(hook.id, {
      body: '{"amount":1000}',
      signature: sign(hook.secret, at, '{"amount":10}'),
    });
    expect(res.status).toBe(401);
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('a header with several v1 signatures passes when one is made with the secret', async () => {
    const hook = await webhook();
    const at = now();
    const body = JSON.stringify({ order: 7 });
    const good = sign(hook.secret, at, body).split(',')[1]!;
    const stale = sign('the old secret', at, body).split(',')[1]!;
    const res = await deliver(hook.id, { body, signature: `t=${at},${stale},${good},v2=future` });
    expect(res.status).toBe(202);
  });

  it('a trigger whose run-as member left answers 409 not_started and records the failed firing', async () => {
    const hook = await webhook();
    await db.query('update public.workflow_triggers set run_as = null where id = $1', [hook.id]);
    const res = await deliver(hook.id, { secret: hook.secret });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_started');
    const { rows } = await db.query(
      'select status, error ->> $2 as code from public.workflow_trigger_firings where trigger_id = $1',
      [hook.id, 'code'],
    );
    expect(rows).toEqual([{ status: 'failed', code: 'no_run_as' }]);
    expect((await counts(hook.id)).jobs).toBe(0);
  });

  it('a timestamp within 5 minutes is accepted', async () => {
    const hook = await webhook();
    expect((await deliver(hook.id, { secret: hook.secret, at: now() - 240 })).status).toBe(202);
  });

  it("another organisation's trigger signed with this organisation's secret is 401 and starts nothing", async () => {
    const mine = await webhook();
    const theirs = await webhook({
      organisationId: t.otherOrganisationId,
      workflowId: t.otherWorkflow.id,
      runAs: t.outsider.id,
    });
    const res = await deliver(theirs.id, { secret: mine.secret });
    expect(res.status).toBe(401);
    expect(await counts(theirs.id)).toEqual({ jobs: 0, firings: 0 });
    expect(await counts(mine.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('an unknown, disabled or archived trigger is the same 404, and starts nothing', async () => {
    const disabled = await webhook({ enabled: false });
    const archivedWorkflow = (
      await db.query<{ id: string }>(
        `insert into public.workflows (organisation_id, key, name, definition, status, created_by)
         select organisation_id, $2, 'Archived', definition, 'archived', created_by from public.workflows where id = $1
         returning id`,
        [t.workflow.id, `archived-${randomUUID().slice(0, 8)}`],
      )
    ).rows[0]!.id;
    const archived = await webhook({ workflowId: archivedWorkflow });
    const answers = [
      await deliver(randomUUID(), { secret: disabled.secret }),
      await deliver(disabled.id, { secret: disabled.secret }),
      await deliver(archived.id, { secret: archived.secret }),
      await deliver('not-a-uuid', { secret: disabled.secret }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await counts(disabled.id)).toEqual({ jobs: 0, firings: 0 });
    expect(await counts(archived.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('a schedule trigger cannot be delivered to (404)', async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.workflow_triggers (organisation_id, workflow_id, kind, name, cron, run_as)
       values ($1, $2, 'schedule', 'Nightly', '0 3 * * *', $3) returning id`,
      [t.organisationId, t.workflow.id, t.admin.id],
    );
    await db.query(
      `insert into private.workflow_trigger_secrets (trigger_id, secret) values ($1, 'known')`,
      [rows[0]!.id],
    );
    expect((await deliver(rows[0]!.id, { secret: 'known' })).status).toBe(404);
  });

  it('the Idempotency-Key is required, 1 to 200 characters (400, nothing starts)', async () => {
    const hook = await webhook();
    const missing = await deliver(hook.id, { secret: hook.secret, key: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_input');
    expect((await deliver(hook.id, { secret: hook.secret, key: 'k'.repeat(201) })).status).toBe(
      400,
    );
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
    // The longest keys are stored hashed (the firing's key holds 200 characters with the
    // prefix) and still name one delivery: the same long key again is a replay.
    const long = await deliver(hook.id, { secret: hook.secret, key: 'k'.repeat(200) });
    expect(long.status).toBe(202);
    const longAgain = await deliver(hook.id, { secret: hook.secret, key: 'k'.repeat(200) });
    expect(longAgain.body).toEqual({ job_id: long.body.job_id, replayed: true });
    const other = await deliver(hook.id, { secret: hook.secret, key: `${'k'.repeat(199)}j` });
    expect(other.body.replayed).toBe(false);
    expect(other.body.job_id).not.toBe(long.body.job_id);
  });

  it('a body that is not JSON is 400 and starts nothing', async () => {
    const hook = await webhook();
    const res = await deliver(hook.id, { secret: hook.secret, body: '{"order":' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('a body over 1 MiB is 413 and starts nothing', async () => {
    const hook = await webhook();
    const body = JSON.stringify({ blob: 'x'.repeat(1024 * 1024) });
    const res = await deliver(hook.id, { secret: hook.secret, body });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
  });

  it('GET is 405', async () => {
    const hook = await webhook();
    const res = await fetch(`${env.url}/functions/v1/workflow-webhook/${hook.id}`);
    expect(res.status).toBe(405);
  });
});

describe('workflow-webhook rate limit', () => {
  async function limit(triggerId: string, capacity: number, refillPerSecond: number) {
    overrides.push(triggerId);
    await db.query(
      `insert into private.rate_limit_overrides (scope, subject_id, capacity, refill_per_second)
       values ('webhook', $1, $2, $3)`,
      [triggerId, capacity, refillPerSecond],
    );
  }

  it('past its limit a trigger answers 429 with Retry-After and starts nothing; a replay is still answered', async () => {
    const hook = await webhook();
    await limit(hook.id, 2, 0.01);
    const key = `first-${randomUUID()}`;
    expect((await deliver(hook.id, { secret: hook.secret, key })).status).toBe(202);
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(202);
    const refused = await deliver(hook.id, { secret: hook.secret });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 100).toBe(true);
    expect(await counts(hook.id)).toEqual({ jobs: 2, firings: 2 });
    // A sender retrying a delivery it already made is answered, bucket empty or not.
    expect((await deliver(hook.id, { secret: hook.secret, key })).body.replayed).toBe(true);
  });

  it('bad signatures do not spend the trigger’s budget', async () => {
    const hook = await webhook();
    await limit(hook.id, 1, 0.01);
    for (let i = 0; i < 3; i++)
      expect((await deliver(hook.id, { secret: 'stranger' })).status).toBe(401);
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(202);
  });

  it("one trigger's limit does not hold back another", async () => {
    const busy = await webhook();
    const quiet = await webhook();
    await limit(busy.id, 1, 0.01);
    expect((await deliver(busy.id, { secret: busy.secret })).status).toBe(202);
    expect((await deliver(busy.id, { secret: busy.secret })).status).toBe(429);
    expect((await deliver(quiet.id, { secret: quiet.secret })).status).toBe(202);
  });
});

describe('rotate_webhook_secret', () => {
  it('an admin rotates: the new secret works and the old one is 401 from then on', async () => {
    const hook = await webhook();
    const { data, error } = await t.admin.client.rpc('rotate_webhook_secret', {
      p_trigger_id: hook.id,
    });
    expect(error).toBeNull();
    const secret = (data as { secret: string }).secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(secret).not.toBe(hook.secret);
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(401);
    expect((await deliver(hook.id, { secret })).status).toBe(202);
  });

  it('the owner may rotate too', async () => {
    const hook = await webhook();
    const { error } = await t.owner.client.rpc('rotate_webhook_secret', { p_trigger_id: hook.id });
    expect(error).toBeNull();
  });

  it('a member is refused (403) and the secret stays', async () => {
    const hook = await webhook();
    const { error } = await t.member.client.rpc('rotate_webhook_secret', { p_trigger_id: hook.id });
    expect(error?.code).toBe('forbidden');
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(202);
  });

  it('an outsider gets 404 (as for an unknown id) and the secret stays', async () => {
    const hook = await webhook();
    const outsider = await t.outsider.client.rpc('rotate_webhook_secret', {
      p_trigger_id: hook.id,
    });
    const unknown = await t.outsider.client.rpc('rotate_webhook_secret', {
      p_trigger_id: randomUUID(),
    });
    expect(outsider.error?.code).toBe('P0002');
    expect(unknown.error?.code).toBe('P0002');
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(202);
  });

  it('anon cannot rotate, and no signed-in user can call the service-role functions', async () => {
    const hook = await webhook();
    const rpc = (name: string, token: string) =>
      fetch(`${env.url}/rest/v1/rpc/${name}`, {
        method: 'POST',
        headers: {
          apikey: env.anonKey,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(
          name === 'deliver_workflow_webhook'
            ? { p_trigger_id: hook.id, p_idempotency_key: 'sneaky', p_body: {} }
            : { p_trigger_id: hook.id },
        ),
      });
    expect((await rpc('rotate_webhook_secret', env.anonKey)).status).toBeGreaterThanOrEqual(400);
    const adminToken = await tokenOf(t.admin);
    for (const name of ['webhook_delivery_target', 'deliver_workflow_webhook']) {
      const res = await rpc(name, adminToken);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain(hook.secret);
    }
    expect(await counts(hook.id)).toEqual({ jobs: 0, firings: 0 });
    expect((await deliver(hook.id, { secret: hook.secret })).status).toBe(202);
  });

  it('a trigger that is not a webhook is 409 not_a_webhook', async () => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.workflow_triggers (organisation_id, workflow_id, kind, name, cron, run_as)
       values ($1, $2, 'schedule', 'Nightly', '0 3 * * *', $3) returning id`,
      [t.organisationId, t.workflow.id, t.admin.id],
    );
    const { error } = await t.admin.client.rpc('rotate_webhook_secret', {
      p_trigger_id: rows[0]!.id,
    });
    expect(error?.code).toBe('not_a_webhook');
  });
});
