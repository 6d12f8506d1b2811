// What execute-crm reads from a call, and how the database's answers become step errors. No
// Deno or npm imports (vitest loads it): the PostgREST calls are index.ts's.
import { ExecutorError, invalidInput } from '../_shared/executor.ts';
import { isRecord } from '../_shared/executor-protocol.ts';
import { isUuid } from '../_shared/domain/ids.ts';

export const CRM_ACTIONS = [
  'create_task',
  'update_restaurant',
  'start_sequence',
  'complete_task',
] as const;
export type CrmAction = (typeof CRM_ACTIONS)[number];

/** Task types a workflow may create: an `automated` task belongs to a sequence step. */
export const CREATABLE_TASK_TYPES = [
  'email',
  'call',
  'text',
  'social_message',
  'internal_activity',
] as const;

/**
 * A field of the step: its input first, then the step's (or transformer's) config, so a
 * workflow can fix a value (move to `demo_done`) without a JSONPath for it.
 */
export function field(
  input: Record<string, unknown>,
  config: Record<string, unknown>,
  name: string,
): unknown {
  const value = input[name];
  return value === undefined || value === null ? config[name] : value;
}

export function optionalText(value: unknown, name: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInput(`${name} must be a string`);
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > max) throw invalidInput(`${name} can be at most ${max} characters`);
  return trimmed;
}

export function requiredText(value: unknown, name: string, max: number): string {
  const text = optionalText(value, name, max);
  if (text === undefined) throw invalidInput(`${name} is required`);
  return text;
}

export function optionalUuid(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !isUuid(value)) throw invalidInput(`${name} must be a uuid`);
  return value.toLowerCase();
}

export function requiredUuid(value: unknown, name: string): string {
  const id = optionalUuid(value, name);
  if (id === undefined) throw invalidInput(`${name} is required`);
  return id;
}

export function optionalChoice<T extends string>(
  value: unknown,
  name: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw invalidInput(`${name} must be one of ${choices.join(', ')}`);
  return value as T;
}

/** An ISO 8601 date-time (or date) → ISO string; anything else is bad input. */
export function optionalInstant(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalidInput(`${name} must be an ISO 8601 date-time`);
  return new Date(ms).toISOString();
}

export function inputObject(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) throw invalidInput('input must be an object');
  return input;
}

export function actionOf(config: Record<string, unknown>): CrmAction {
  const action = config.action;
  if (typeof action !== 'string' || !(CRM_ACTIONS as readonly string[]).includes(action))
    throw invalidInput(`config.action must be one of ${CRM_ACTIONS.join(', ')}`);
  return action as CrmAction;
}

export const notFound = (what: string): ExecutorError =>
  new ExecutorError('not_found', `${what} was not found in this job's organisation`, {
    retryable: false,
    status: 404,
  });

interface PostgrestLikeError {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

/**
 * The database's refusal as a step error. The user's own request decided it (RLS, a check, an
 * RPC's rule), so the same call will be refused again: never retryable, except when PostgREST
 * itself could not answer (5xx, no status), which another attempt may get past.
 */
export function stepErrorFromPostgrest(
  error: PostgrestLikeError,
  status: number | undefined,
  what: string,
): ExecutorError {
  const message = error.hint ? `${error.message} (${error.hint})` : error.message;
  const code = error.code ?? '';
  const refuse = (stepCode: string, httpStatus: number) =>
    new ExecutorError(stepCode, message, { retryable: false, status: httpStatus });
  // PostgREST not knowing a function or table (its schema cache, a migration not applied) is
  // the deployment's problem, not the row's: another attempt may find it.
  if (/^PGRST2\d\d$/.test(code))
    return new ExecutorError('crm_unavailable', `The API cannot serve this yet: ${message}`, {
      retryable: true,
      status: 502,
    });
  if (code === 'P0002' || code === 'PGRST116' || status === 404 || status === 406)
    return notFound(what);
  if (code === '42501' || status === 401 || status === 403) return refuse('forbidden', 403);
  // A foreign key: an assignee who is not a member, a row gone meanwhile.
  if (code === '23503') return refuse('invalid_input', 400);
  if (code === '23505' || status === 409) return refuse('conflict', 409);
  if (status !== undefined && status >= 400 && status < 500) return refuse('invalid_input', 400);
  return new ExecutorError('crm_unavailable', `The database did not answer: ${message}`, {
    retryable: true,
    status: 502,
  });
}

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** How long the token execute-crm signs for a call lives: one call's few requests. */
export const USER_TOKEN_SECONDS = 60;

/**
 * An HS256 access token for `userId` with role authenticated, as Auth would issue it, valid
 * for USER_TOKEN_SECONDS: PostgREST then runs the requests as that user, under RLS.
 */
export async function signUserToken(
  userId: string,
  secret: string,
  now = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  const encode = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: userId,
    role: 'authenticated',
    aud: 'authenticated',
    iat,
    exp: iat + USER_TOKEN_SECONDS,
  })}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)),
  );
  return `${body}.${b64url(signature)}`;
}
