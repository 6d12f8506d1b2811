import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type AuthHttpError } from './errors.ts';
import type { ClientInfo } from './sessions-store.ts';

export type JsonObject = Record<string, unknown>;

const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw badRequest('bad_json', 'Request body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The JSON object a GoTrue endpoint reads its parameters from. GoTrue rejects a missing or
 * malformed body with 400 `bad_json` even where every parameter is optional.
 */
export async function readJsonBody(req: IncomingMessage): Promise<JsonObject> {
  const text = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = text.trim() === '' ? 'unexpected end of JSON input' : (err as Error).message;
    throw badRequest('bad_json', `Could not parse request body as JSON: ${reason}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected a JSON object');
  }
  return parsed as JsonObject;
}

/** For DELETE, where GoTrue only parses a body that is there. */
export async function readOptionalJsonBody(req: IncomingMessage): Promise<JsonObject> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as JsonObject;
  } catch {
    // fall through to the same error as a non-object
  }
  throw badRequest('bad_json', 'Could not parse request body as JSON');
}

function typeError(name: string, expected: string, value: unknown): AuthHttpError {
  const got = Array.isArray(value) ? 'array' : typeof value;
  return badRequest(
    'bad_json',
    `Could not parse request body as JSON: json: cannot unmarshal ${got} into field ${name} of type ${expected}`,
  );
}

/** A string parameter as Go decodes it into a `string` field: absent or null is ''. */
export function stringParam(body: JsonObject, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(name, 'string', value);
  return value;
}

/** A `*string` field: absent or null is "not given", which differs from ''. */
export function optionalStringParam(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(name, 'string', value);
  return value;
}

export function objectParam(body: JsonObject, name: string): JsonObject | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(name, 'object', value);
  return value as JsonObject;
}

export function boolParam(body: JsonObject, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw typeError(name, 'bool', value);
  return value;
}

/** The token in `Authorization: Bearer <token>`, matched as GoTrue does (`^(?:B|b)earer (\S+$)`). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^(?:B|b)earer (\S+)$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** The caller's user agent and address, which GoTrue records on the session. */
export function clientInfo(req: IncomingMessage): ClientInfo {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const address = first || req.socket.remoteAddress || '';
  return {
    userAgent: req.headers['user-agent'] || null,
    // Stored in an inet column: only pass on something that looks like an address.
    ip: /^[0-9a-fA-F:.]+$/.test(address) ? address : null,
  };
}
