// The executors inside real jobs: workflows started through start-workflow, run by the
// orchestrator, calling execute-gemini-prompt (the official SDK against the fake Gemini
// server) and execute-http-request. Shows a retryable executor failure becoming a retry and a
// non-retryable one failing the job at once. Skipped without the orchestrator or the fake.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINAL_STATUSES,
  saveWorkflow,
  startJob,
  waitForJob,
  type JobEvent,
} from './support/workflows.ts';
import { allowHosts } from './support/connections.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import { fakeGemini, loopbackHttp, needs, orchestrator } from './support/needs.ts';

const TRANSCRIBE = {
  start_step: 'transcribe',
  steps: {
    transcribe: {
      transformer_id: 'gemini-timestamp-transcriber',
      input_map: {
        audio_base64: '$.job_input.audio',
        mime_type: '$.job_input.mime_type',
        prompt: '$.job_input.prompt',
      },
      next_step: null,
    },
  },
  output_map: {
    transcript: '$.transcribe.output.text',
    segments: '$.transcribe.output.segments',
  },
};

const FAST_RETRIES = { max_retries: 2, base_ms: 100, cap_ms: 200 };

describe('executors in workflows', needs(orchestrator, fakeGemini), () => {
  const fx = createFixtures('executors-wf');
  let admin: TestUser;
  let organisationId = '';
  let transcribe = '';

  beforeAll(async () => {
    admin = await fx.user('admin');
    organisationId = await fx.organisation(admin);
    await allowHosts(fx.service, organisationId); // the webhook target listens on 127.0.0.1
    transcribe = (
      await saveWorkflow(admin, {
        organisation_id: organisationId,
        definition: TRANSCRIBE,
        retry_policy: FAST_RETRIES,
      })
    ).id;
  });

  afterAll(() => fx.cleanup());

  const audioJob = (prompt: string) => ({
    audio: Buffer.from(`RIFF fake wave ${randomUUID()}`).toString('base64'),
    mime_type: 'audio/wav',
    prompt,
  });

  async function events(jobId: string): Promise<JobEvent[]> {
    const { data, error } = await fx.service
      .from('job_events')
      .select('*')
      .eq('job_id', jobId)
      .order('id');
    if (error) throw error;
    return data;
  }

  it('a transcription job completes with the transcript and the step usage recorded', async () => {
    const started = await startJob(admin, transcribe, audioJob('scenario:ok'));
    const job = await waitForJob(fx.service, started.job_id, (j) =>
      FINAL_STATUSES.includes(j.status),
    );
    expect(job.status).toBe('completed');
    expect(job.final_result).toMatchObject({
      transcript: expect.any(String),
      segments: [
        { start: 0, end: 1.8 },
        { start: 1.8, end: 3.2 },
      ],
    });
    const succeeded = (await events(job.id)).find((e) => e.event_type === 'step_succeeded');
    expect(succeeded?.data).toMatchObject({
      usage: {
        prompt_tokens: expect.any(Number),
        output_tokens: 42,
        latency_ms: expect.any(Number),
      },
    });
  });

  it('a Gemini outage is retried and the job then completes', async () => {
    const started = await startJob(
      admin,
      transcribe,
      audioJob(`scenario:fail-once:${randomUUID()}`),
    );
    const job = await waitForJob(fx.service, started.job_id, (j) =>
      FINAL_STATUSES.includes(j.status),
    );
    expect(job).toMatchObject({ status: 'completed', retry_count: 1 });
    const types = (await events(job.id)).map((e) => e.event_type);
    expect(types).toContain('step_failed');
    expect(types).toContain('retry_scheduled');
  });

  it('a 429 that persists fails the job once its retries are spent', async () => {
    const started = await startJob(admin, transcribe, audioJob('scenario:429'));
    const job = await waitForJob(fx.service, started.job_id, (j) =>
      FINAL_STATUSES.includes(j.status),
    );
    expect(job).toMatchObject({ status: 'failed', error_code: 'rate_limited' });
    expect((await events(job.id)).filter((e) => e.event_type === 'step_failed')).toHaveLength(3);
  });

  it('malformed model output fails the job at once, without retries', async () => {
    const started = await startJob(admin, transcribe, audioJob('scenario:malformed'));
    const job = await waitForJob(fx.service, started.job_id, (j) =>
      FINAL_STATUSES.includes(j.status),
    );
    expect(job).toMatchObject({
      status: 'failed',
      error_code: 'malformed_model_output',
      retry_count: 0,
    });
  });

  describe('http-request', needs(loopbackHttp), () => {
    let server: Server;
    let url = '';

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ received: JSON.parse(body || 'null') as unknown }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('a webhook step posts the job input and maps the response into the result', async () => {
      const workflow = await saveWorkflow(admin, {
        organisation_id: organisationId,
        definition: {
          start_step: 'notify',
          steps: {
            notify: {
              transformer_id: 'http-request',
              input_map: {
                method: '$.job_input.method',
                url: '$.job_input.url',
                body: '$.job_input.order',
              },
              next_step: null,
            },
          },
          output_map: { status: '$.notify.output.status', echoed: '$.notify.output.body.received' },
        },
      });
      const started = await startJob(admin, workflow.id, {
        method: 'POST',
        url,
        order: { id: 7, total: 12.5 },
      });
      const job = await waitForJob(fx.service, started.job_id, (j) =>
        FINAL_STATUSES.includes(j.status),
      );
      expect(job).toMatchObject({
        status: 'completed',
        final_result: { status: 200, echoed: { id: 7, total: 12.5 } },
      });
    });
  });
});
