// Reading a request, for every function that takes a body or headers: the body parsed as JSON
// under a byte limit and checked against a zod schema, and the Idempotency-Key header. A bad
// request is a 400 (413 when too large) with a message naming the field, before anything
// reaches the database. Function-specific schemas live beside their function's inputs.
import { z } from 'npm:zod@^4.1.0';
import { HttpError } from './http.ts';
import { findUnstorable, jsonDepthExceeds } from './jsonb-text.ts';
import { readCapped } from './read-capped.ts';

/** Body limits (bytes) of the POST functions. */
export const BODY_LIMITS = {
  // input_data is at most 4 MiB of JSON (private.queue_settings.input_max_bytes, checked
  // on every new job): this limit refuses more before reading it, with room for the rest of
  // the body. Audio comes by URL (execute-gemini-prompt's audio_url), not as base64.
  startWorkflow: 4 * 1024 * 1024 + 16 * 1024,
  saveWorkflow: 1024 * 1024,
  // Issue 11's saves: at most 100 variables of 10 000 characters (~1 MiB of values), 50
  // hosts; a sequence's 20 flows and 50 parameters are far smaller.
  saveEnvironment: 2 * 1024 * 1024,
  saveProject: 2 * 1024 * 1024,
  saveFlowSequence: 1024 * 1024,
  // { job_id } or { task_id }: a few dozen bytes; 16 KiB leaves room and no more.
  jobId: 16 * 1024,
  taskId: 16 * 1024,
  // { sequence_id, mode }: everything a run uses is read from the database.
  runFlowSequence: 16 * 1024,
  // { run_id, action, flow_id, inputs? }: edited inputs are a flow's input_data, which the
  // job input's cap bounds anyway; 1 MiB is plenty for what a person edits in a form.
  flowRunAction: 1024 * 1024,
  // { organisation_id, step, sample }: a sample someone pastes in the step editor; a real
  // job's input goes through start-workflow.
  testStep: 1024 * 1024,
} as const;

/** How deep a body's arrays and objects may nest (the body itself is level 1). */
export const MAX_BODY_DEPTH = 256;

export type IssueDetail = { path: (string | number)[]; code: string; message: string };

export function issueDetails(error: z.ZodError): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter(
      (part): part is string | number => typeof part === 'string' || typeof part === 'number',
    ),
    code: issue.code,
    message: issue.message,
  }));
}

/** The first problem, as one line: `input_data: must be a JSON object`. */
function summary(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes`);

/**
 * The request body parsed as JSON and checked against `schema`: 413 over `maxBytes`, 400
 * when it is not JSON, does not match, or holds a string Postgres cannot store (U+0000, a
 * lone surrogate), which would otherwise fail in the database as a 500.
 */
export async function readBody<T extends z.ZodType>(
  req: Request,
  schema: T,
  maxBytes: number,
): Promise<z.infer<T>> {
  const text = new TextDecoder().decode(await readCapped(req, maxBytes, () => tooLarge(maxBytes)));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_input', 'The body must be a JSON object');
  }
  if (jsonDepthExceeds(body, MAX_BODY_DEPTH)) {
    throw new HttpError(
      400,
      'invalid_input',
      `The body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'invalid_input', summary(parsed.error));
  const unstorable = findUnstorable(parsed.data);
  if (unstorable) {
    throw new HttpError(
      400,
      'invalid_input',
      `${unstorable.length > 0 ? `${unstorable.join('.')}: ` : ''}contains U+0000 or a lone surrogate, which cannot be stored`,
    );
  }
  return parsed.data;
}

/** The Idempotency-Key header, if any; 1 to 200 characters. */
export function idempotencyKey(req: Request): string | null {
  const key = req.headers.get('Idempotency-Key');
  if (key === null) return null;
  if (key.length < 1 || key.length > 200) {
    throw new HttpError(400, 'invalid_input', 'Idempotency-Key must be 1 to 200 characters');
  }
  return key;
}
