// execute-gemini-prompt reading a workflow file (issue 12 §4): a member uploads audio to the
// workflow-files bucket through the stack's Storage, a job's Gemini step gets the file reference
// as `audio_file`, and the fake Gemini server receives those bytes through the real SDK. A
// reference into another organisation fails `file_forbidden` without a model call; one to a
// missing object fails `audio_not_found`. Skipped without the orchestrator or the fake.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_FILES_BUCKET, workflowFilePath, type FileRef } from '@forkflow/domain/file-ref';
import { env } from './support/env.ts';
import { FINAL_STATUSES, saveWorkflow, startJob, waitForJob } from './support/workflows.ts';
import { createFixtures, type TestUser } from './support/users.ts';
import { fakeGemini, needs, orchestrator } from './support/needs.ts';

const fakeUrl = process.env.FAKE_GEMINI_URL;

const TRANSCRIBE_FILE = {
  start_step: 'transcribe',
  steps: {
    transcribe: {
      transformer_id: 'gemini-timestamp-transcriber',
      input_map: { audio_file: '$.job_input.audio_file', prompt: '$.job_input.prompt' },
      next_step: null,
    },
  },
  output_map: { transcript: '$.transcribe.output.text' },
};

interface Recorded {
  prompt: string;
  audio: { mimeType: string; bytes: number; text: string }[];
}

async function received(tag: string): Promise<Recorded[]> {
  const res = await fetch(`${fakeUrl}/__fake/requests?contains=${encodeURIComponent(tag)}`);
  return (await res.json()) as Recorded[];
}

describe('Gemini steps reading workflow files', needs(orchestrator, fakeGemini), () => {
  const fx = createFixtures('gemini-files');
  let admin: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let organisationId = '';
  let otherOrganisationId = '';
  let workflowId = '';
  const uploaded: string[] = [];

  /** Uploads `text` as audio for `who` into `organisation` and returns its reference. */
  async function upload(who: TestUser, organisation: string, text: string): Promise<FileRef> {
    const path = workflowFilePath(organisation, randomUUID(), 'call recording.mp3');
    const bytes = Buffer.from(text);
    const { error } = await who.client.storage
      .from(WORKFLOW_FILES_BUCKET)
      .upload(path, bytes, { contentType: 'audio/mpeg' });
    if (error) throw error;
    uploaded.push(path);
    return {
      bucket: WORKFLOW_FILES_BUCKET,
      path,
      name: 'call recording.mp3',
      size: bytes.length,
      mime_type: 'audio/mpeg',
    };
  }

  async function run(ref: unknown, prompt: string) {
    const started = await startJob(member, workflowId, { audio_file: ref as never, prompt });
    return waitForJob(fx.service, started.job_id, (j) => FINAL_STATUSES.includes(j.status));
  }

  beforeAll(async () => {
    ({ admin, member, outsider } = await fx.users('admin', 'member', 'outsider'));
    organisationId = await fx.organisation(admin, { members: [member] });
    otherOrganisationId = await fx.organisation(outsider);
    workflowId = (
      await saveWorkflow(admin, {
        organisation_id: organisationId,
        definition: TRANSCRIBE_FILE,
        retry_policy: { max_retries: 2, base_ms: 100, cap_ms: 200 },
      })
    ).id;
  });

  afterAll(async () => {
    if (uploaded.length > 0) await fx.service.storage.from(WORKFLOW_FILES_BUCKET).remove(uploaded);
    await fx.cleanup();
  });

  it('sends the uploaded bytes to Gemini and completes', async () => {
    const tag = randomUUID();
    const ref = await upload(member, organisationId, `ID3 uploaded audio ${tag}`);
    const job = await run(ref, 'scenario:ok');
    expect(job.status).toBe('completed');
    expect(job.final_result).toMatchObject({ transcript: expect.any(String) });
    const [request, ...more] = await received(tag);
    expect(more).toHaveLength(0);
    expect(request?.audio).toEqual([
      { mimeType: 'audio/mpeg', bytes: ref.size, text: `ID3 uploaded audio ${tag}` },
    ]);
  });

  it('refuses a reference into another organisation with file_forbidden, calling no model', async () => {
    const tag = randomUUID();
    const theirs = await upload(outsider, otherOrganisationId, `ID3 their audio ${tag}`);
    const job = await run(theirs, `scenario:ok ${tag}`);
    expect(job).toMatchObject({ status: 'failed', error_code: 'file_forbidden', retry_count: 0 });
    expect(await received(tag)).toEqual([]);

    // The same path under another bucket name is refused too.
    const other = await run({ ...theirs, bucket: 'other-bucket' }, `scenario:ok ${tag}`);
    expect(other).toMatchObject({ status: 'failed', error_code: 'file_forbidden' });
  });

  it('fails audio_not_found when the file was deleted', async () => {
    const ref = await upload(member, organisationId, 'ID3 soon gone');
    await fx.service.storage.from(WORKFLOW_FILES_BUCKET).remove([ref.path]);
    const job = await run(ref, 'scenario:ok');
    expect(job).toMatchObject({ status: 'failed', error_code: 'audio_not_found', retry_count: 0 });
  });

  it('refuses a call that names no organisation, and a malformed reference', async () => {
    const ref = await upload(member, organisationId, 'ID3 direct');
    const call = async (input: unknown, organisation_id?: string) => {
      const res = await fetch(`${env.url}/functions/v1/execute-gemini-prompt`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          Authorization: `Bearer ${env.serviceRoleKey}`,
        },
        body: JSON.stringify({
          job_id: randomUUID(),
          step_id: 'transcribe',
          attempt: 1,
          input,
          config: {},
          ...(organisation_id ? { organisation_id } : {}),
        }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };
    expect((await call({ audio_file: ref })).body.error?.code).toBe('file_forbidden');
    expect((await call({ audio_file: ref }, otherOrganisationId)).body.error?.code).toBe(
      'file_forbidden',
    );
    const malformed = await call({ audio_file: { ...ref, path: '../x' } }, organisationId);
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    const both = await call({ audio_file: ref, audio_url: 'http://127.0.0.1/x' }, organisationId);
    expect(both.body.error?.code).toBe('invalid_input');
    const tooBig = await call({ audio_file: { ...ref, size: 21 * 1024 * 1024 } }, organisationId);
    expect(tooBig.body.error?.code).toBe('invalid_input');
  });
});
