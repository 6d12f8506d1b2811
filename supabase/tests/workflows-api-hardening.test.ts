// Client mistakes the workflow API once answered with a 500 or accepted without limit, and a
// step output that once sank the orchestrator's whole batch (docs/workflows-contract.md,
// "HTTP API" and "Orchestrator"). Each is a 4xx that changes nothing, or a job that finishes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnstorable, jsonDepthExceeds, storableJson } from '../functions/_shared/jsonb-text.ts';
import { allowHosts } from './support/connections.ts';
import { env } from './support/env.ts';
import { loopbackHttp, needs, orchestrator } from './support/needs.ts';
import {
  callFunction,
  createWorkflowOrganisation,
  FINAL_STATUSES,
  saveWorkflow,
  startJob,
  tokenOf,
  waitForJob,
  type ApiError,
} from './support/workflows.ts';

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;

beforeAll(async () => {
  t = await createWorkflowOrganisation('wf-hardening');
});

afterAll(async () => {
  await t?.fx.cleanup();
});

async function jobCount(): Promise<number> {
  const { count, error } = await t.service
    .from('jobs')
    .select('id', { count: 'exact', head: true })
    .eq('organisation_id', t.organisationId);
  if (error) throw error;
  return count ?? 0;
}

describe('strings Postgres cannot store', () => {
  it.each([
    ['U+0000 in input_data', '{"workflow_id":"%KEY%","input_data":{"a":"x\\u0000y"}}'],
    ['a lone surrogate in input_data', '{"workflow_id":"%KEY%","input_data":{"a":"\\ud800"}}'],
    ['U+0000 in a key of input_data', '{"workflow_id":"%KEY%","input_data":{"\\u0000":1}}'],
    ['U+0000 in workflow_id', '{"workflow_id":"%KEY%\\u0000","input_data":{}}'],
  ])('start-workflow with %s is a 400 and starts nothing', async (_what, body) => {
    const before = await jobCount();
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.member,
      body: body.replace('%KEY%', t.workflow.key),
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('cannot be stored'),
    });
    expect(await jobCount()).toBe(before);
  });

  it('a surrogate pair (an emoji) is fine', async () => {
    const res = await callFunction('start-workflow', {
      as: t.member,
      body: `{"workflow_id":"${t.workflow.key}","input_data":{"a":"\\ud83d\\ude00"}}`,
    });
    expect(res.status).toBe(201);
  });

  it('save-workflow with U+0000 in the name or the definition is a 400 and saves nothing', async () => {
    for (const [name, config] of [
      ['Bad\\u0000name', '{}'],
      ['Fine', '{"x":"\\u0000"}'],
    ] as const) {
      const res = await callFunction<ApiError>('save-workflow', {
        as: t.admin,
        body: `{"organisation_id":"${t.organisationId}","key":"nul-probe","name":"${name}",
          "definition":{"start_step":"a","steps":{"a":{"transformer_id":"echo-transformer","config":${config}}}}}`,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    const { data } = await t.service.from('workflows').select('id').eq('key', 'nul-probe');
    expect(data).toEqual([]);
  });
});

describe('deeply nested bodies', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('start-workflow refuses input nested deeper than 256 levels with 400 and starts nothing', async () => {
    const before = await jobCount();
    for (const depth of [300, 5_000, 100_000]) {
      const res = await callFunction<ApiError>('start-workflow', {
        as: t.member,
        body: `{"workflow_id":"${t.workflow.key}","input_data":{"a":${nested(depth)}}}`,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('deeper than 256'),
      });
    }
    expect(await jobCount()).toBe(before);
  });

  it('start-workflow takes input nested 200 levels deep', async () => {
    const res = await callFunction('start-workflow', {
      as: t.member,
      body: `{"workflow_id":"${t.workflow.key}","input_data":{"a":${nested(200)}}}`,
    });
    expect(res.status).toBe(201);
  });

  it('save-workflow refuses a definition nested 10 000 levels deep with 400', async () => {
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: `{"organisation_id":"${t.organisationId}","key":"deep","name":"Deep",
        "definition":{"start_step":"a","steps":{"a":{"transformer_id":"echo-transformer","config":{"x":${nested(10_000)}}}}}}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it('jsonDepthExceeds counts arrays and objects, not scalars', () => {
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(jsonDepthExceeds('text', 0)).toBe(false);
    expect(jsonDepthExceeds(JSON.parse(nested(1_000_000)), 256)).toBe(true);
  });
});

describe('body size limits', () => {
  // Issue 10 §1: 32 MiB inputs let ten jobs break every claim. Audio comes by URL now.
  // Within the body limit (so the whole body is read, and the answer is never lost to a
  // connection closed mid-upload) but over the input limit the database keeps.
  it('start-workflow refuses audio as base64 over 4 MiB with 413, pointing to a URL', async () => {
    const audio = Buffer.alloc(((4 * 1024 + 4) * 1024 * 3) / 4, 7).toString('base64');
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: t.workflow.key, input_data: { audio, mime_type: 'audio/wav' } },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.body.error.message).toMatch(/by URL/);
  });

  it('start-workflow takes 3 MiB of input', async () => {
    const res = await callFunction('start-workflow', {
      as: t.member,
      body: { workflow_id: t.workflow.key, input_data: { text: 'x'.repeat(3 * 1024 * 1024) } },
    });
    expect(res.status).toBe(201);
  });

  // After the uploads that must succeed: refused early, this one leaves its connection
  // unusable for the next large upload.
  it('start-workflow refuses a body over 4 MiB with 413 and starts nothing', async () => {
    const before = await jobCount();
    const res = await callFunction<ApiError>('start-workflow', {
      as: t.member,
      body: { workflow_id: t.workflow.key, input_data: { big: 'x'.repeat(5 * 1024 * 1024) } },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await jobCount()).toBe(before);
  });

  it('start_workflow_job through PostgREST refuses input over 4 MiB with 413 too', async () => {
    const before = await jobCount();
    const { error, status } = await t.member.client.rpc('start_workflow_job', {
      p_workflow: t.workflow.key,
      p_input: { big: 'x'.repeat(4 * 1024 * 1024 + 1) },
    });
    expect(status).toBe(413);
    expect(error?.code).toBe('payload_too_large');
    expect(error?.message).toMatch(/by URL/);
    expect(await jobCount()).toBe(before);
  });

  it('save-workflow refuses a body over 1 MiB with 413', async () => {
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        key: 'too-big',
        name: 'Too big',
        definition: {
          start_step: 'a',
          steps: { a: { transformer_id: 'echo-transformer', config: { x: 'y'.repeat(1.1e6) } } },
        },
      },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('cancel-job and retry-job refuse a body over 16 KiB with 413', async () => {
    const big = JSON.stringify({ job_id: crypto.randomUUID(), pad: 'x'.repeat(20_000) });
    for (const fn of ['cancel-job', 'retry-job']) {
      const res = await callFunction<ApiError>(fn, { as: t.member, body: big });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
  });

  it('a body sent in chunks without a Content-Length is cut off at the limit too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(8 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"job_id":"'));
        if (sent++ < 4) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        }
      },
    });
    const res = await fetch(`${env.url}/functions/v1/cancel-job`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(t.member)}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiError).error.code).toBe('payload_too_large');
  });
});

describe('numbers and dates Postgres cannot read', () => {
  it('save-workflow with an expected_version past the integer range is a 400', async () => {
    const res = await callFunction<ApiError>('save-workflow', {
      as: t.admin,
      body: {
        organisation_id: t.organisationId,
        workflow_id: t.workflow.id,
        key: t.workflow.key,
        name: t.workflow.name,
        definition: t.workflow.definition,
        expected_version: 2_147_483_648,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  const cursorOf = (createdAt: string) =>
    Buffer.from(JSON.stringify([createdAt, '00000000-0000-4000-8000-000000000001'])).toString(
      'base64url',
    );

  it.each([
    'created_from=2026-02-30',
    'created_to=2026-02-29',
    'created_from=0000-01-01',
    'created_from=2026-04-31T10:00:00Z',
    'created_from=2026-01-01T10:00:00%2B16:00',
    `cursor=${cursorOf('2026-13-45T99:99:99Z')}`,
    `cursor=${cursorOf('2026-02-30T10:00:00+00:00')}`,
  ])('list-jobs?%s is a 400', async (query) => {
    const res = await callFunction<ApiError>(`list-jobs?${query}`, { as: t.member });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });

  it.each([
    'created_from=2028-02-29',
    'created_from=2026-01-01T24:00:00Z',
    'created_to=2026-01-01T10:00:00%2B15:59',
    `cursor=${cursorOf('2026-11-22T10:00:00.123456+00:00')}`,
  ])('list-jobs?%s is fine', async (query) => {
    const res = await callFunction(`list-jobs?${query}`, { as: t.member });
    expect(res.status).toBe(200);
  });
});

describe('a step output Postgres cannot store', needs(orchestrator, loopbackHttp), () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/nul') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(Buffer.from([0x61, 0x00, 0x62]));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"s":"x\\u0000y","\\ud800":"lone"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await allowHosts(t.service, t.organisationId);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is stored with U+FFFD in its place, and the job completes (with another beside it)', async () => {
    const fetchWorkflow = await saveWorkflow(t.admin, {
      organisation_id: t.organisationId,
      definition: {
        start_step: 'fetch',
        steps: { fetch: { transformer_id: 'http-request', input_map: { url: '$.job_input.url' } } },
      },
      retry_policy: { max_retries: 0 },
    });
    const [nul, json, echo] = await Promise.all([
      startJob(t.member, fetchWorkflow.id, { url: `${base}/nul` }),
      startJob(t.member, fetchWorkflow.id, { url: `${base}/json` }),
      startJob(t.member, t.workflow.id, { payload: 'beside' }),
    ]);
    const done = (id: string) =>
      waitForJob(t.service, id, (j) => FINAL_STATUSES.includes(j.status));
    const [nulJob, jsonJob, echoJob] = await Promise.all([
      done(nul.job_id),
      done(json.job_id),
      done(echo.job_id),
    ]);
    expect(nulJob).toMatchObject({ status: 'completed', final_result: { body: 'a\ufffdb' } });
    expect(jsonJob).toMatchObject({
      status: 'completed',
      final_result: { body: { s: 'x\ufffdy', '\ufffd': 'lone' } },
    });
    expect(echoJob.status).toBe('completed');
  });
});

describe('jsonb-text helpers', () => {
  it('findUnstorable names the path of U+0000 or a lone surrogate, in values and keys', () => {
    expect(findUnstorable({ a: [1, 'ok', { b: 'x\u0000' }] })).toEqual(['a', 2, 'b']);
    expect(findUnstorable({ a: { '\udc00': 1 } })).toEqual(['a', '\udc00']);
    expect(findUnstorable({ a: '\ud83d\ude00', b: 'back\\u0000slash' })).toBeNull();
  });

  it('storableJson replaces them with U+FFFD and leaves everything else as JSON.stringify does', () => {
    const clean = { a: 'back\\u0000slash', e: '\ud83d\ude00', n: [1, null, true] };
    expect(storableJson(clean)).toBe(JSON.stringify(clean));
    expect(JSON.parse(storableJson({ a: 'x\u0000y', '\ud800k': ['\udfff'] }))).toEqual({
      a: 'x\ufffdy',
      '\ufffdk': ['\ufffd'],
    });
  });
});
