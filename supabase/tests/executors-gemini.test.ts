// execute-gemini-prompt over HTTP through the gateway, running the official @google/genai SDK
// against the fake Gemini server `pnpm test` starts (packages/local-stack/src/fakes). The
// scenario is a marker in the prompt or the audio; each test tags its requests with a fresh
// id and reads back what the fake received. Skipped where no fake is configured.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { fakeGemini, needs } from './support/needs.ts';

const fakeUrl = process.env.FAKE_GEMINI_URL;

interface Recorded {
  model: string;
  apiKey: string;
  prompt: string;
  audio: { mimeType: string; bytes: number; text: string }[];
  generationConfig: { responseMimeType?: string; responseSchema?: unknown };
}

async function gemini(input: unknown, config: Record<string, unknown> = {}) {
  const res = await fetch(`${env.url}/functions/v1/execute-gemini-prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${env.serviceRoleKey}` },
    body: JSON.stringify({
      job_id: randomUUID(),
      step_id: 'transcribe',
      attempt: 1,
      input,
      config,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
}

async function received(tag: string): Promise<Recorded[]> {
  const res = await fetch(`${fakeUrl}/__fake/requests?contains=${encodeURIComponent(tag)}`);
  return (await res.json()) as Recorded[];
}

/** Inline audio whose bytes carry the tag, so the fake's record can be found. */
const audioFor = (tag: string) => ({
  audio_base64: Buffer.from(`RIFF fake wave ${tag}`).toString('base64'),
  mime_type: 'audio/wav',
});

describe('execute-gemini-prompt through the real SDK', needs(fakeGemini), () => {
  let audioServer: Server;
  let audioBase = '';

  beforeAll(async () => {
    audioServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.writeHead(200, { 'content-type': url.searchParams.get('type') ?? 'audio/mpeg' });
      res.end(`ID3 fake mp3 ${url.searchParams.get('tag') ?? ''}`);
    });
    await new Promise<void>((resolve) => audioServer.listen(0, '127.0.0.1', resolve));
    audioBase = `http://127.0.0.1:${(audioServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    audioServer.closeAllConnections();
    await new Promise<void>((resolve) => audioServer.close(() => resolve()));
  });

  it('transcribes inline audio into text and timed segments, with usage', async () => {
    const tag = randomUUID();
    const { status, body } = await gemini({
      ...audioFor(tag),
      prompt: `Transcribe. scenario:ok`,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      output: {
        text: expect.any(String),
        model: 'gemini-2.5-flash',
        segments: [
          { start: 0, end: 1.8, speaker: 'A', text: expect.any(String) },
          { start: 1.8, end: 3.2, text: expect.any(String) },
        ],
      },
      usage: {
        prompt_tokens: expect.any(Number),
        output_tokens: 42,
        total_tokens: expect.any(Number),
        latency_ms: expect.any(Number),
      },
    });
    const [request, ...more] = await received(tag);
    expect(more).toHaveLength(0);
    expect(request).toMatchObject({
      model: 'gemini-2.5-flash',
      apiKey: 'fake-gemini-key',
      prompt: 'Transcribe. scenario:ok',
      audio: [{ mimeType: 'audio/wav', text: `RIFF fake wave ${tag}` }],
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'OBJECT',
          required: ['text', 'segments'],
          properties: { segments: { type: 'ARRAY', items: { type: 'OBJECT' } } },
        },
      },
    });
  });

  it('uses the model from the config, and the input over the config', async () => {
    const tag = randomUUID();
    expect(
      (await gemini(audioFor(tag), { model: 'gemini-2.5-pro', prompt: 'from config' })).body,
    ).toMatchObject({ output: { model: 'gemini-2.5-pro' } });
    expect(
      (await gemini({ ...audioFor(tag), model: 'gemini-2.0-flash' }, { model: 'gemini-2.5-pro' }))
        .body,
    ).toMatchObject({ output: { model: 'gemini-2.0-flash' } });
    const requests = await received(tag);
    expect(requests.map((r) => [r.model, r.prompt])).toEqual([
      ['gemini-2.5-pro', 'from config'],
      ['gemini-2.0-flash', expect.stringContaining('Transcribe this audio')],
    ]);
  });

  it('fetches audio by URL and sends it inline with its MIME type', async () => {
    const tag = randomUUID();
    const { status } = await gemini({ audio_url: `${audioBase}/call.mp3?tag=${tag}` });
    expect(status).toBe(200);
    const [request] = await received(tag);
    expect(request?.audio).toEqual([
      { mimeType: 'audio/mpeg', bytes: `ID3 fake mp3 ${tag}`.length, text: `ID3 fake mp3 ${tag}` },
    ]);
  });

  it('an audio URL on a host that is not allowed is refused before any model call', async () => {
    const { status, body } = await gemini({ audio_url: 'http://169.254.169.254/latest/meta-data' });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'host_not_allowed', retryable: false });
  });

  it('an audio URL that is not audio is a 400', async () => {
    const { status, body } = await gemini({ audio_url: `${audioBase}/x?type=text/html` });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', retryable: false });
  });

  it('malformed model output is asked for once more, then fails non-retryable', async () => {
    const tag = randomUUID();
    const { status, body } = await gemini({ ...audioFor(tag), prompt: 'scenario:malformed' });
    expect(status).toBe(502);
    expect(body).toMatchObject({
      error: { code: 'malformed_model_output', retryable: false },
      usage: { output_tokens: 84 },
    });
    expect(await received(tag)).toHaveLength(2);
  });

  it('JSON that is not a transcript is malformed output too', async () => {
    const { body } = await gemini({ ...audioFor(randomUUID()), prompt: 'scenario:wrong-shape' });
    expect(body.error).toMatchObject({ code: 'malformed_model_output', retryable: false });
  });

  it('a prompt Gemini blocks fails non-retryable, without asking again', async () => {
    const tag = randomUUID();
    const { status, body } = await gemini({ ...audioFor(tag), prompt: 'scenario:blocked' });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'model_refused', retryable: false });
    expect(await received(tag)).toHaveLength(1);
  });

  it('a 429 from Gemini is a retryable rate-limit failure', async () => {
    const { status, body } = await gemini({ ...audioFor(randomUUID()), prompt: 'scenario:429' });
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('a 500 from Gemini is a retryable failure', async () => {
    const { status, body } = await gemini({ ...audioFor(randomUUID()), prompt: 'scenario:500' });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'model_unavailable', retryable: true });
  });

  it('a 400 or 403 from Gemini is not retryable', async () => {
    for (const [scenario, code] of [
      ['400', 'model_rejected_request'],
      ['403', 'model_auth_failed'],
    ]) {
      const { body } = await gemini({ ...audioFor(randomUUID()), prompt: `scenario:${scenario}` });
      expect(body.error).toMatchObject({ code, retryable: false });
    }
  });

  it('an outage that passes succeeds on the next attempt', async () => {
    const input = { ...audioFor(randomUUID()), prompt: `scenario:fail-once:${randomUUID()}` };
    expect((await gemini(input)).body).toMatchObject({ error: { retryable: true } });
    expect((await gemini(input)).status).toBe(200);
  });

  it('missing audio is a non-retryable 400', async () => {
    for (const input of [
      { prompt: 'no audio' },
      { audio_base64: 'AAAA' },
      { audio_base64: 'not base64!', mime_type: 'audio/wav' },
      { audio_base64: 'AAAA', mime_type: 'text/plain' },
      'just a string',
    ]) {
      const { status, body } = await gemini(input);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid_input', retryable: false });
    }
  });
});
