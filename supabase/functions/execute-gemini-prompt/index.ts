// POST /functions/v1/execute-gemini-prompt — the gemini-timestamp-transcriber's executor (seed
// 003, iteration 11), through Google's official SDK (@google/genai).
// Input { audio_url? | audio_file? | audio_base64 + mime_type, prompt?, model? } (prompt and
// model default from config, then to a transcription prompt and gemini-2.5-flash) →
// output { text, segments: [{ start, end, speaker?, text }], model }, start/end in seconds;
// usage { prompt_tokens, output_tokens, total_tokens, latency_ms }.
// Secrets: GEMINI_API_KEY (missing → non-retryable `not_configured`); GEMINI_BASE_URL points the
// SDK elsewhere (tests use a local server speaking the generateContent protocol).
// Audio URLs go through the outbound policy (_shared/executor-outbound.ts): any public host, or
// only those in GEMINI_AUDIO_ALLOWED_HOSTS when it is set; at most config.max_audio_bytes
// (default and ceiling 20 MiB, Gemini's inline-request limit).
// audio_file is a file reference (packages/domain file-ref.ts) into the workflow-files bucket:
// refused non-retryable `file_forbidden` unless its first folder is the call's organisation;
// its bytes come through a 60-second signed URL the service role creates on this project's own
// Storage (SUPABASE_URL, listed exactly for that fetch); a missing object is `audio_not_found`.
// Failures: 429, 408, 5xx and network errors are retryable; other 4xx from Gemini, and a
// prompt Gemini blocks, are not.
// Output that is not the schema's JSON is asked for once more in the same call (sampling
// differs between calls); a second miss is a non-retryable `malformed_model_output`, so a
// model that cannot follow the schema does not burn the job's whole retry budget.
import { ApiError, GoogleGenAI, Type } from 'npm:@google/genai@^3.1.0';
import { z } from 'npm:zod@^4.1.0';
import {
  ExecutorError,
  executor,
  invalidInput,
  isRecord,
  retryableStatus,
} from '../_shared/executor.ts';
import { createServiceClient } from '../_shared/clients.ts';
import { dnsResolver, fetchOutbound, parseHostPolicy } from '../_shared/executor-outbound.ts';
import {
  fileRefOrgId,
  isFileRef,
  WORKFLOW_FILES_BUCKET,
  type FileRef,
} from '../_shared/domain/file-ref.ts';

const DEFAULT_MODEL = 'gemini-2.5-flash';
const DEFAULT_PROMPT =
  'Transcribe this audio. Return the full transcript as `text` and the transcript split into ' +
  'segments with start and end times in seconds from the beginning of the audio and, where ' +
  'you can tell speakers apart, a speaker label.';
const MAX_AUDIO_BYTES = 20 * 1024 * 1024;
const MODEL_NAME = /^(?:(?:models|tunedModels)\/)?[a-z0-9][a-z0-9._-]{0,99}$/i;
const AUDIO_MIME = /^audio\/[a-z0-9.+-]+$/i;

const resolver = dnsResolver((host, type) => Deno.resolveDns(host, type));

/** What the model is asked for, in the SDK's schema dialect (an OpenAPI subset). */
const responseSchema = {
  type: Type.OBJECT,
  properties: {
    text: { type: Type.STRING },
    segments: {
      type: Type.ARRAY,
      items: {
        type: Type.OBJECT,
        properties: {
          start: { type: Type.NUMBER, description: 'seconds from the start of the audio' },
          end: { type: Type.NUMBER, description: 'seconds from the start of the audio' },
          speaker: { type: Type.STRING },
          text: { type: Type.STRING },
        },
        required: ['start', 'end', 'text'],
        propertyOrdering: ['start', 'end', 'speaker', 'text'],
      },
    },
  },
  required: ['text', 'segments'],
  propertyOrdering: ['text', 'segments'],
};

/** The same shape, enforced: the schema guides the model, it does not guarantee the answer. */
const transcriptSchema = z.object({
  text: z.string(),
  segments: z.array(
    z
      .object({
        start: z.number().nonnegative(),
        end: z.number().nonnegative(),
        speaker: z.string().optional(),
        text: z.string(),
      })
      .refine((s) => s.end >= s.start, { message: 'a segment ends before it starts' }),
  ),
});
export type Transcript = z.infer<typeof transcriptSchema>;

const optionalString = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !value.trim()) throw invalidInput(`${name} must be a string`);
  return value;
};

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** How long the signed URL for an audio_file lives: one fetch, right away. */
const SIGNED_URL_SECONDS = 60;

/**
 * The bytes of a workflow file, for the call's organisation only. The reference comes from a
 * job's input, which its starter wrote: without the organisation check any member could name
 * another organisation's path and have the service role read it for them.
 */
async function loadAudioFile(
  ref: FileRef,
  organisationId: string | undefined,
  maxBytes: number,
): Promise<{ data: string; mimeType: string }> {
  if (
    ref.bucket !== WORKFLOW_FILES_BUCKET ||
    !organisationId ||
    fileRefOrgId(ref) !== organisationId.toLowerCase()
  ) {
    throw new ExecutorError(
      'file_forbidden',
      `audio_file must be a file of this job's organisation in the ${WORKFLOW_FILES_BUCKET} bucket`,
      { retryable: false, status: 403 },
    );
  }
  if (ref.size > maxBytes) throw invalidInput(`The audio is larger than ${maxBytes} bytes`);
  const { data, error } = await createServiceClient()
    .storage.from(ref.bucket)
    .createSignedUrl(ref.path, SIGNED_URL_SECONDS);
  if (error || !data) {
    const status = Number((error as { statusCode?: string } | null)?.statusCode ?? 0);
    if (status === 404 || status === 400) {
      throw new ExecutorError('audio_not_found', `The file ${ref.name} is no longer in Storage`, {
        retryable: false,
        status: 422,
      });
    }
    throw new ExecutorError(
      'audio_unavailable',
      `Storage could not sign ${ref.name}: ${error?.message ?? 'no URL'}`,
      { retryable: true, status: 502 },
    );
  }
  // This project's own Storage, named by the deployment (never by the input), listed exactly:
  // it may sit on a loopback or private address (the local stack, a self-hosted gateway).
  const storageHost = new URL(Deno.env.get('SUPABASE_URL') ?? data.signedUrl).host;
  const response = await fetchOutbound(
    new URL(data.signedUrl),
    { method: 'GET', headers: new Headers(), timeoutMs: 60_000, maxBytes },
    parseHostPolicy(storageHost, 'SUPABASE_URL', 'none'),
    resolver,
  );
  if (response.status !== 200) {
    const retryable = retryableStatus(response.status);
    throw new ExecutorError(
      retryable ? 'audio_unavailable' : 'audio_not_found',
      `Fetching ${ref.name} from Storage answered ${response.status}`,
      { retryable, status: 502 },
    );
  }
  const declared = AUDIO_MIME.test(ref.mime_type) ? ref.mime_type : undefined;
  const mimeType = declared ?? response.headers.get('content-type')?.split(';')[0]?.trim();
  if (!mimeType || !AUDIO_MIME.test(mimeType)) {
    throw invalidInput(`audio_file ${ref.name} is ${mimeType ?? 'untyped'}, not audio/*`);
  }
  return { data: base64Of(response.body), mimeType };
}

/** The audio as base64 and its MIME type, from the input's URL, file or inline data. */
async function loadAudio(
  input: Record<string, unknown>,
  organisationId: string | undefined,
  maxBytes: number,
): Promise<{ data: string; mimeType: string }> {
  const url = optionalString(input.audio_url, 'audio_url');
  const inline = optionalString(input.audio_base64, 'audio_base64');
  const file = input.audio_file ?? undefined;
  if ([url, inline, file].filter((source) => source !== undefined).length > 1) {
    throw invalidInput('Give one of audio_url, audio_file or audio_base64');
  }
  if (file !== undefined) {
    if (!isFileRef(file)) {
      throw invalidInput(
        'audio_file must be a file reference { bucket, path, name, size, mime_type }',
      );
    }
    return loadAudioFile(file, organisationId, maxBytes);
  }
  let mimeType = optionalString(input.mime_type, 'mime_type');
  if (inline) {
    if (!mimeType) throw invalidInput('mime_type is required with audio_base64 (e.g. audio/mpeg)');
    if (!AUDIO_MIME.test(mimeType)) throw invalidInput(`mime_type ${mimeType} is not audio/*`);
    const data = inline.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)
      throw invalidInput('audio_base64 is not valid base64');
    if ((data.length / 4) * 3 > maxBytes + 2)
      throw invalidInput(`The audio is larger than ${maxBytes} bytes`);
    return { data, mimeType };
  }
  if (!url) {
    throw invalidInput(
      'The input needs audio: audio_url, audio_file, or audio_base64 and mime_type',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(`audio_url is not a valid absolute URL: ${url}`);
  }
  const response = await fetchOutbound(
    parsed,
    { method: 'GET', headers: new Headers(), timeoutMs: 60_000, maxBytes },
    parseHostPolicy(
      Deno.env.get('GEMINI_AUDIO_ALLOWED_HOSTS'),
      'GEMINI_AUDIO_ALLOWED_HOSTS',
      'public',
    ),
    resolver,
  );
  if (response.status !== 200) {
    const retryable = retryableStatus(response.status);
    throw new ExecutorError(
      retryable ? 'audio_unavailable' : 'audio_not_found',
      `Fetching the audio from ${parsed.host} answered ${response.status}`,
      { retryable, status: 502 },
    );
  }
  mimeType ??= response.headers.get('content-type')?.split(';')[0]?.trim();
  if (!mimeType || !AUDIO_MIME.test(mimeType)) {
    throw invalidInput(
      `The audio at audio_url is ${mimeType ?? 'untyped'}, not audio/*: give mime_type`,
    );
  }
  return { data: base64Of(response.body), mimeType };
}

/** SDK and network failures in the protocol's terms. */
function fromSdkError(err: unknown): ExecutorError {
  if (err instanceof ApiError) {
    const retryable = retryableStatus(err.status);
    const code =
      err.status === 429
        ? 'rate_limited'
        : retryable
          ? 'model_unavailable'
          : err.status === 401 || err.status === 403
            ? 'model_auth_failed'
            : 'model_rejected_request';
    return new ExecutorError(code, `Gemini answered ${err.status}: ${err.message.slice(0, 500)}`, {
      retryable,
      status: err.status === 429 ? 429 : retryable ? 502 : 422,
    });
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ExecutorError('model_timeout', 'Gemini did not answer in time', {
      retryable: true,
      status: 504,
    });
  }
  return new ExecutorError(
    'model_unreachable',
    `Could not reach Gemini: ${err instanceof Error ? err.message : String(err)}`,
    { retryable: true, status: 502 },
  );
}

function parseTranscript(text: string | undefined): Transcript | string {
  if (!text) return 'the model returned no text';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `the model returned text that is not JSON: ${text.slice(0, 200)}`;
  }
  const result = transcriptSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return `the model's JSON does not match the transcript schema: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`;
}

Deno.serve(
  executor('execute-gemini-prompt', async ({ input, config, organisation_id }) => {
    const apiKey = Deno.env.get('GEMINI_API_KEY');
    if (!apiKey) {
      throw new ExecutorError('not_configured', 'GEMINI_API_KEY is not set for the functions', {
        retryable: false,
        status: 500,
      });
    }
    if (!isRecord(input)) throw invalidInput('input must be an object: { audio_url, ... }');
    const model =
      optionalString(input.model, 'model') ??
      optionalString(config.model, 'config.model') ??
      DEFAULT_MODEL;
    // The SDK puts the name in the request path: anything but a model name could walk it
    // (`%2e%2e/`) to another endpoint of the API, with our key.
    if (!MODEL_NAME.test(model))
      throw invalidInput(`model must be a Gemini model name (e.g. ${DEFAULT_MODEL}), not ${model}`);
    const prompt =
      optionalString(input.prompt, 'prompt') ??
      optionalString(config.prompt, 'config.prompt') ??
      DEFAULT_PROMPT;
    const maxBytes =
      typeof config.max_audio_bytes === 'number' && config.max_audio_bytes > 0
        ? Math.min(config.max_audio_bytes, MAX_AUDIO_BYTES)
        : MAX_AUDIO_BYTES;
    const timeout =
      typeof config.timeout_ms === 'number' && config.timeout_ms > 0 ? config.timeout_ms : 120_000;
    const temperature = typeof config.temperature === 'number' ? config.temperature : undefined;
    const audio = await loadAudio(input, organisation_id, maxBytes);

    const baseUrl = Deno.env.get('GEMINI_BASE_URL');
    const ai = new GoogleGenAI({ apiKey, ...(baseUrl ? { httpOptions: { baseUrl } } : {}) });
    const usage = { prompt_tokens: 0, output_tokens: 0, total_tokens: 0, latency_ms: 0 };
    const started = performance.now();
    let problem = '';
    for (let ask = 1; ask <= 2; ask++) {
      let response;
      try {
        response = await ai.models.generateContent({
          model,
          contents: [{ role: 'user', parts: [{ inlineData: audio }, { text: prompt }] }],
          config: {
            responseMimeType: 'application/json',
            responseSchema,
            httpOptions: { timeout },
            ...(temperature === undefined ? {} : { temperature }),
          },
        });
      } catch (err) {
        throw fromSdkError(err);
      } finally {
        usage.latency_ms = Math.round(performance.now() - started);
      }
      const blocked = response.promptFeedback?.blockReason;
      if (blocked) {
        // The same audio and prompt will be refused again: not worth a retry.
        throw new ExecutorError('model_refused', `Gemini refused the prompt: ${blocked}`, {
          retryable: false,
          status: 422,
        });
      }
      const meta = response.usageMetadata;
      usage.prompt_tokens += meta?.promptTokenCount ?? 0;
      usage.output_tokens += meta?.candidatesTokenCount ?? 0;
      usage.total_tokens += meta?.totalTokenCount ?? 0;
      const transcript = parseTranscript(response.text);
      if (typeof transcript !== 'string') {
        return { output: { ...transcript, model: response.modelVersion ?? model }, usage };
      }
      problem = transcript;
    }
    throw new ExecutorError('malformed_model_output', `Asked twice, ${problem}`, {
      retryable: false,
      status: 502,
      usage,
    });
  }),
);
