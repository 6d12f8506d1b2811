// execute-gemini-prompt's `model` comes from the step's input (so from a job's input): the
// SDK puts it in the request path, so only model names may pass, never path segments that
// lead to another endpoint of the API with the functions' key. Needs the fake Gemini server.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { fakeGemini, needs } from './support/needs.ts';

const fakeUrl = process.env.FAKE_GEMINI_URL;

async function gemini(input: Record<string, unknown>) {
  const res = await fetch(`${env.url}/functions/v1/execute-gemini-prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${env.serviceRoleKey}` },
    body: JSON.stringify({ job_id: randomUUID(), step_id: 's', attempt: 1, input }),
  });
  return { status: res.status, body: (await res.json()) as { error?: unknown } };
}

const audioFor = (tag: string) => ({
  audio_base64: Buffer.from(`RIFF fake wave ${tag}`).toString('base64'),
  mime_type: 'audio/wav',
});

describe('execute-gemini-prompt model names', needs(fakeGemini), () => {
  it.each([
    '%2e%2e/%2e%2e/v1beta/files',
    '%2E%2E/cachedContents',
    'models/../tunedModels/x',
    'gemini-2.5-flash:streamGenerateContent#',
    'gemini 2.5',
  ])('model %s is a non-retryable 400 and nothing reaches Gemini', async (model) => {
    const tag = randomUUID();
    const { status, body } = await gemini({ ...audioFor(tag), model });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', retryable: false });
    const seen = await fetch(`${fakeUrl}/__fake/requests?contains=${encodeURIComponent(tag)}`);
    expect(await seen.json()).toEqual([]);
  });

  it.each(['gemini-2.5-flash', 'models/gemini-2.5-flash', 'gemini-2.0-flash-001'])(
    'model %s is a model name and is used',
    async (model) => {
      const { status } = await gemini({ ...audioFor(randomUUID()), model });
      expect(status).toBe(200);
    },
  );
});
