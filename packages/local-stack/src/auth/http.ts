import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type AuthHttpError } from './errors.ts';
import type { ClientInfo } from './sessions-store.ts';

export type JsonObject = Record<string, unknown>;

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How deeply a request body may nest. Metadata a few levels deep is normal; Postgres's jsonb
 * input recurses per level and JSON.stringify overflows the stack near 10,000 levels, so
 * 5,000 levels of `data` answered 500. 64 leaves room for any real metadata.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses what Postgres cannot store and what would overflow the stack, before any handler
 * sees it: NUL characters (text and jsonb reject U+0000) anywhere in the body, keys included,
 * and nesting deeper than MAX_JSON_DEPTH. Iterative, so the check itself cannot overflow.
 */
function checkJsonValue(root: unknown): void {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        throw badRequest('validation_failed', 'Request body must not contain NUL characters');
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw badRequest(
        'bad_json',
        `Could not parse request body as JSON: nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
    } else {
      for (const [key, item] of Object.entries(value)) stack.push([key, depth], [item, depth + 1]);
    }
  }
}

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
  // A declared length over the limit is refused before a byte is read.
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    throw badRequest('bad_json', 'Request body is too large');
  }
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
  checkJsonValue(parsed);
  return parsed as JsonObject;
}

/** For DELETE, where GoTrue only parses a body that is there. */
export async function readOptionalJsonBody(req: IncomingMessage): Promise<JsonObject> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // the same error as a non-object, below
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON');
  }
  checkJsonValue(parsed);
  return parsed as JsonObject;
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
