// The executor side of the executor protocol (_shared/executor-protocol.ts; the contract's
// "Executor protocol"), shared by every `execute-*` function. The orchestrator POSTs one call
// { job_id, step_id, attempt, input, config } or a batch { calls: [...] } with the service key;
// the executor answers one call with 200 { output, usage? } or a non-2xx
// { error: { code, message, retryable } }, and a batch with 200 { results: [...] }, each call
// answered on its own. The orchestrator is the only writer of job state: an executor
// computes, it never touches the jobs tables.
import { verifiedClaims } from './claims.ts';
import {
  isRecord,
  MAX_BATCH_CALLS,
  parseCall,
  type ExecutorAnswer,
  type ExecutorCall,
  type ExecutorResult,
  type Usage,
} from './executor-protocol.ts';
import { handle, HttpError, json } from './http.ts';
import { readCapped } from './read-capped.ts';
import { annotate } from './request-log.ts';

export { isRecord, retryableStatus } from './executor-protocol.ts';
export type { ExecutorCall, ExecutorResult, Usage } from './executor-protocol.ts';

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

type Level = 'info' | 'warn' | 'error';

/**
 * The largest request an executor reads. One call's input is mapped from a job's input_data
 * (at most 4 MiB) and earlier steps' outputs (an http-request's response, a transcript),
 * which may be larger; the orchestrator puts at most 1 MiB of calls in a batch, and a larger
 * call alone. Only the service role gets here, but a body is never read unbounded.
 */
export const MAX_EXECUTOR_BODY_BYTES = 40 * 1024 * 1024;

/**
 * Wraps an executor as a `Deno.serve` handler (on `handle`): service role only, the request
 * parsed, each call's result or failure in the protocol's shape, and one structured log line
 * per call (per refused request).
 */
export function executor(
  name: string,
  run: (call: ExecutorCall) => Promise<ExecutorResult>,
): (req: Request) => Promise<Response> {
  const log = (
    level: Level,
    started: number,
    call: ExecutorCall | undefined,
    outcome: string,
    extra: Record<string, unknown>,
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

  /** Runs one call; never throws. `status` is what a single call answers with. */
  const answer = async (
    call: ExecutorCall,
    extra: Record<string, unknown>,
  ): Promise<{ status: number; body: ExecutorAnswer }> => {
    const started = performance.now();
    try {
      const result = await run(call);
      log('info', started, call, 'succeeded', { status: 200, usage: result.usage, ...extra });
      return {
        status: 200,
        body: result.usage
          ? { output: result.output, usage: result.usage }
          : { output: result.output },
      };
    } catch (err) {
      if (err instanceof ExecutorError) {
        log('warn', started, call, 'failed', {
          status: err.status,
          error_code: err.code,
          retryable: err.retryable,
          error: err.message,
          usage: err.usage,
          ...extra,
        });
        return {
          status: err.status,
          body: {
            error: { code: err.code, message: err.message, retryable: err.retryable },
            ...(err.usage ? { usage: err.usage } : {}),
          },
        };
      }
      // A bug or an unforeseen runtime failure: retryable, since it may be transient, and the
      // job's retry budget bounds the cost if it is not.
      log('error', started, call, 'failed', {
        status: 500,
        error_code: 'internal_error',
        error: String(err),
        ...extra,
      });
      return {
        status: 500,
        body: {
          error: {
            code: 'internal_error',
            message: 'The executor failed unexpectedly',
            retryable: true,
          },
        },
      };
    }
  };

  return handle(async (req) => {
    const started = performance.now();
    const refuse = (status: number, code: string, message: string, extra = {}) => {
      log('warn', started, undefined, 'rejected', { status, ...extra });
      return new HttpError(status, code, message, { retryable: false });
    };
    const claims = await verifiedClaims(req);
    if (claims === undefined)
      throw refuse(401, 'unauthorized', 'A service-role bearer token is required');
    if (claims.role !== 'service_role')
      throw refuse(403, 'forbidden', 'Executors accept only the service role', {
        role: claims.role ?? '',
      });
    if (req.method !== 'POST') throw refuse(405, 'method_not_allowed', 'Use POST');
    const bytes = await readCapped(req, MAX_EXECUTOR_BODY_BYTES, () =>
      refuse(413, 'payload_too_large', `The body must be at most ${MAX_EXECUTOR_BODY_BYTES} bytes`),
    );
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw refuse(400, 'invalid_request', 'The body must be JSON');
    }

    if (isRecord(body) && 'calls' in body) {
      const calls = body.calls;
      if (!Array.isArray(calls) || calls.length < 1 || calls.length > MAX_BATCH_CALLS)
        throw refuse(
          400,
          'invalid_request',
          `calls must be a list of 1 to ${MAX_BATCH_CALLS} calls`,
        );
      // Every call at once, each answered on its own: one failing does not touch the others.
      const results = await Promise.all(
        calls.map(async (entry): Promise<ExecutorAnswer> => {
          const call = parseCall(entry);
          if (typeof call === 'string') {
            log('warn', started, undefined, 'rejected', { status: 400, batch: calls.length });
            return {
              error: {
                code: 'invalid_request',
                message: `${call}: expected { job_id, step_id, attempt, input, config }`,
                retryable: false,
              },
            };
          }
          return (await answer(call, { batch: calls.length })).body;
        }),
      );
      annotate(req, { calls: calls.length });
      return json(200, { results });
    }

    const call = parseCall(body);
    if (typeof call === 'string')
      throw refuse(
        400,
        'invalid_request',
        `${call}: expected { job_id, step_id, attempt, input, config } or { calls: [...] }`,
      );
    annotate(req, { job_id: call.job_id });
    const { status, body: answered } = await answer(call, {});
    return json(status, answered);
  });
}
