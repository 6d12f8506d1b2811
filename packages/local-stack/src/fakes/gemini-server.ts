// A local server speaking the part of Gemini's REST protocol execute-gemini-prompt uses:
// `POST /v1/models/{model}:generateContent` (the SDK's default version since 3.x; v1beta too)
// with `x-goog-api-key`, answering
// `candidates[0].content.parts[0].text` and `usageMetadata`, errors as Google's
// `{ error: { code, message, status } }`. `pnpm test` starts it and points the functions at it
// (GEMINI_BASE_URL), so the official SDK is exercised end to end without the network.
//
// The scenario is chosen by the request itself, so tests share no state: the first
// `scenario:<name>` found in the prompt text or in the (decoded) audio bytes.
//   ok (default)       a two-segment transcript
//   malformed          text that is not JSON
//   wrong-shape        JSON that is not a transcript
//   blocked            no candidates, the prompt blocked for safety
//   429 | 500 | 503 | 400 | 403   that error
//   fail-once:<key>    503 the first time a key is seen, then ok
//   demo-call          the seed's demo recording (issue 14 §4, `pnpm dev` and its test): a
//                      demo call's transcript, or its summary when the prompt asks to summarise
// `GET /__fake/requests` lists the requests received (newest last) so tests can check what the
// SDK sent; `?contains=<text>` keeps those whose prompt or audio contains the text.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_GEMINI_API_KEY = 'fake-gemini-key';

export interface RecordedRequest {
  at: string;
  apiVersion: string;
  model: string;
  apiKey: string | null;
  scenario: string;
  /** The prompt text parts, joined. */
  prompt: string;
  /** The inline audio parts: MIME type, size and the decoded bytes as latin1 text. */
  audio: { mimeType: string; bytes: number; text: string }[];
  generationConfig: Record<string, unknown>;
}

export interface FakeGemini {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface Part {
  text?: string;
  inlineData?: { mimeType?: string; data?: string };
}

interface GenerateContentRequest {
  contents?: { parts?: Part[] }[];
  generationConfig?: Record<string, unknown>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const TRANSCRIPT = {
  text: 'Hello, this is Forkflow. Thanks for calling.',
  segments: [
    { start: 0, end: 1.8, speaker: 'A', text: 'Hello, this is Forkflow.' },
    { start: 1.8, end: 3.2, speaker: 'A', text: 'Thanks for calling.' },
  ],
};

/** The seed's "Call notes" demo: a short demo call at a restaurant, as Gemini might hear it. */
const DEMO_CALL_TRANSCRIPT = {
  text:
    'Thanks for showing us the ordering page. The table QR codes are exactly what we need for ' +
    'the terrace. What does it cost for two sites? Two sites are on one account, so one ' +
    'subscription. Send me the proposal and I will take it to the owner on Friday.',
  segments: [
    { start: 0, end: 4.2, speaker: 'Customer', text: 'Thanks for showing us the ordering page.' },
    {
      start: 4.2,
      end: 8.9,
      speaker: 'Customer',
      text: 'The table QR codes are exactly what we need for the terrace.',
    },
    { start: 8.9, end: 11.5, speaker: 'Customer', text: 'What does it cost for two sites?' },
    {
      start: 11.5,
      end: 15.8,
      speaker: 'Rep',
      text: 'Two sites are on one account, so one subscription.',
    },
    {
      start: 15.8,
      end: 20.4,
      speaker: 'Customer',
      text: 'Send me the proposal and I will take it to the owner on Friday.',
    },
  ],
};

const DEMO_CALL_SUMMARY = {
  text:
    'Demo call summary: liked the online ordering page and wants table QR codes for the ' +
    'terrace. Asked about pricing for two sites (one account, one subscription). Next step: ' +
    'send the proposal; they take it to the owner on Friday.',
  segments: [],
};

/** What the demo call answers: its summary when asked to summarise, else its transcript. */
const demoCallAnswer = (prompt: string) =>
  /summar/i.test(prompt) ? DEMO_CALL_SUMMARY : DEMO_CALL_TRANSCRIPT;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeGemini(port = 0): Promise<FakeGemini> {
  const requests: RecordedRequest[] = [];
  const seenKeys = new Set<string>();

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const fail = (code: number, message: string): void =>
      send(code, { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } });

    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/__fake/requests') {
        const contains = url.searchParams.get('contains');
        send(
          200,
          contains
            ? requests.filter(
                (r) =>
                  r.prompt.includes(contains) || r.audio.some((a) => a.text.includes(contains)),
              )
            : requests,
        );
        return;
      }
      const match = url.pathname.match(/^\/(v1|v1beta)\/models\/([^/:]+):generateContent$/);
      if (req.method !== 'POST' || !match) {
        fail(404, `The fake Gemini server has no ${req.method} ${url.pathname}`);
        return;
      }
      let body: GenerateContentRequest;
      try {
        body = JSON.parse(await readBody(req)) as GenerateContentRequest;
      } catch {
        fail(400, 'Invalid JSON payload received.');
        return;
      }
      const parts = (body.contents ?? []).flatMap((c) => c.parts ?? []);
      const prompt = parts.flatMap((p) => (p.text ? [p.text] : [])).join('\n');
      const audio = parts.flatMap((p) => {
        if (!p.inlineData?.data) return [];
        const bytes = Buffer.from(p.inlineData.data, 'base64');
        return [
          {
            mimeType: p.inlineData.mimeType ?? '',
            bytes: bytes.length,
            text: bytes.toString('latin1'),
          },
        ];
      });
      const scenario =
        [prompt, ...audio.map((a) => a.text)]
          .map((text) => text.match(/scenario:([a-z0-9-]+(?::[A-Za-z0-9_-]+)?)/)?.[1])
          .find(Boolean) ?? 'ok';
      const apiKey = (req.headers['x-goog-api-key'] as string | undefined) ?? null;
      requests.push({
        at: new Date().toISOString(),
        apiVersion: match[1]!,
        model: decodeURIComponent(match[2]!),
        apiKey,
        scenario,
        prompt,
        audio,
        generationConfig: body.generationConfig ?? {},
      });

      if (apiKey !== FAKE_GEMINI_API_KEY) {
        fail(400, 'API key not valid. Please pass a valid API key.');
        return;
      }
      const status = Number(scenario);
      if (STATUS_NAMES[status]) {
        fail(status, `Scenario ${scenario}`);
        return;
      }
      if (scenario.startsWith('fail-once:') && !seenKeys.has(scenario)) {
        seenKeys.add(scenario);
        fail(503, 'The model is overloaded. Please try again later.');
        return;
      }
      if (scenario === 'blocked') {
        send(200, {
          promptFeedback: { blockReason: 'SAFETY' },
          usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 },
        });
        return;
      }
      const text =
        scenario === 'malformed'
          ? '{"text": "Hello, this is Forkf'
          : scenario === 'wrong-shape'
            ? JSON.stringify({ transcript: 'Hello', segments: 'none' })
            : JSON.stringify(scenario === 'demo-call' ? demoCallAnswer(prompt) : TRANSCRIPT);
      send(200, {
        candidates: [
          { content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: 120 + prompt.length,
          candidatesTokenCount: 42,
          totalTokenCount: 162 + prompt.length,
        },
        modelVersion: decodeURIComponent(match[2]!),
        responseId: `fake-${requests.length}`,
      });
    })().catch((err: unknown) => fail(500, String(err)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
