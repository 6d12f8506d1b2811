// The executor protocol (docs/workflows-contract.md, "Executor protocol"), shared by every
// `execute-*` function. The orchestrator POSTs { job_id, step_id, attempt, input, config } with
// the service key; the executor answers 200 { output, usage? } or a non-2xx
// { error: { code, message, retryable } }. The orchestrator is the only writer of job state:
// an executor computes, it never touches the jobs tables.
import { bearerClaims } from './claims.ts';
import { corsHeaders, json } from './http.ts';

export interface ExecutorCall {
  job_id: string;
  step_id: string;
  attempt: number;
  /** The step's input, mapped by the orchestrator from the context document. */
  input: unknown;
  /** The transformer's config with the step's config merged over it. */
  config: Record<string, unknown>;
}

export type Usage = Record<string, number>;

export interface ExecutorResult {
  output: unknown;
  usage?: Usage;
}

/**
 * A failure the executor reports on purpose. `retryable` tells the orchestrator whether
 * another attempt can succeed (a rate limit, an outage) or never will (bad input, a refusal).
 */
export class ExecutorError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly usage?: Usage;

  constructor(
    readonly code: string,
    message: string,
    options: { retryable: boolean; status?: number; usage?: Usage },
  ) {
    super(message);
    this.retryable = options.retryable;
    // A status that agrees with `retryable` for callers that read only the status
    // (contract: 408/429/5xx retryable, other 4xx not).
    this.status = options.status ?? (options.retryable ? 503 : 422);
    this.usage = options.usage;
  }
}

/** Bad input from the step: the same input will fail the same way, so never retried. */
export function invalidInput(message: string): ExecutorError {
  return new ExecutorError('invalid_input', message, { retryable: false, status: 400 });
}

/** The contract's default when an executor gives no `retryable`: 408, 429 and 5xx are. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseCall(body: unknown): ExecutorCall | string {
  if (!isRecord(body)) return 'The body must be a JSON object';
  const { job_id, step_id, attempt, input, config } = body;
  if (typeof job_id !== 'string' || !job_id) return 'job_id must be a non-empty string';
  if (typeof step_id !== 'string' || !step_id) return 'step_id must be a non-empty string';
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1)
    return 'attempt must be a positive integer';
  if (!('input' in body)) return 'input is required';
  if (config !== undefined && config !== null && !isRecord(config))
    return 'config must be an object';
  return { job_id, step_id, attempt, input, config: isRecord(config) ? config : {} };
}

const failure = (status: number, code: string, message: string, retryable: boolean) =>
  json(status, { error: { code, message, retryable } });

/**
 * Wraps an executor as a `Deno.serve` handler: service role only, the request parsed, the
 * result or the failure in the protocol's shape, and one structured log line per call.
 */
export function executor(
  name: string,
  run: (call: ExecutorCall) => Promise<ExecutorResult>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    const started = performance.now();
    let call: ExecutorCall | undefined;
    const log = (
      level: 'info' | 'warn' | 'error',
      outcome: string,
      extra: Record<string, unknown> = {},
    ) =>
      console.log(
        JSON.stringify({
          level,
          msg: 'executor call',
          function: name,
          job_id: call?.job_id ?? null,
          step_id: call?.step_id ?? null,
          attempt: call?.attempt ?? null,
          duration_ms: Math.round(performance.now() - started),
          outcome,
          ...extra,
        }),
      );

    const claims = bearerClaims(req);
    if (claims === undefined) {
      log('warn', 'rejected', { status: 401 });
      return failure(401, 'unauthorized', 'A service-role bearer token is required', false);
    }
    if (claims.role !== 'service_role') {
      log('warn', 'rejected', { status: 403, role: claims.role ?? '' });
      return failure(403, 'forbidden', 'Executors accept only the service role', false);
    }
    if (req.method !== 'POST') {
      log('warn', 'rejected', { status: 405 });
      return failure(405, 'method_not_allowed', 'Use POST', false);
    }
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      log('warn', 'rejected', { status: 400 });
      return failure(400, 'invalid_request', 'The body must be JSON', false);
    }
    const parsed = parseCall(body);
    if (typeof parsed === 'string') {
      log('warn', 'rejected', { status: 400 });
      return failure(
        400,
        'invalid_request',
        `${parsed}: expected { job_id, step_id, attempt, input, config }`,
        false,
      );
    }
    call = parsed;

    try {
      const result = await run(call);
      log('info', 'succeeded', { status: 200, usage: result.usage });
      return json(200, result.usage ? { output: result.output, usage: result.usage } : result);
    } catch (err) {
      if (err instanceof ExecutorError) {
        log('warn', 'failed', {
          status: err.status,
          error_code: err.code,
          retryable: err.retryable,
          error: err.message,
          usage: err.usage,
        });
        return json(err.status, {
          error: { code: err.code, message: err.message, retryable: err.retryable },
          ...(err.usage ? { usage: err.usage } : {}),
        });
      }
      // A bug or an unforeseen runtime failure: retryable, since it may be transient, and the
      // job's retry budget bounds the cost if it is not.
      log('error', 'failed', { status: 500, error_code: 'internal_error', error: String(err) });
      return failure(500, 'internal_error', 'The executor failed unexpectedly', true);
    }
  };
}

export { isRecord };
