import type { RunJobEvent } from '../api/queries';

// What each step of a flow's job sent and got, from the job's events (the orchestrator
// records `{ input, output }` with step_succeeded and `{ input, error }` with step_failed,
// secrets already masked). For an http-request step the input is { method, url, headers,
// body } and the output { status, headers, body } (execute-http-request).

export type HttpExchange = {
  method: string | null;
  url: string | null;
  requestHeaders: Record<string, unknown> | null;
  requestBody: unknown;
  status: number | null;
  responseHeaders: Record<string, unknown> | null;
  responseBody: unknown;
};

export type RunStep = {
  stepId: string;
  transformerId: string | null;
  status: 'succeeded' | 'failed' | 'running';
  attempts: number;
  input: unknown;
  output: unknown;
  error: unknown;
  durationMs: number | null;
  http: HttpExchange | null;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (data: unknown, key: string): unknown => (isRecord(data) ? data[key] : undefined);

function httpExchange(input: unknown, output: unknown): HttpExchange {
  const method = field(input, 'method');
  const url = field(input, 'url');
  const status = field(output, 'status');
  const requestHeaders = field(input, 'headers');
  const responseHeaders = field(output, 'headers');
  return {
    method: typeof method === 'string' ? method.toUpperCase() : null,
    url: typeof url === 'string' ? url : null,
    requestHeaders: isRecord(requestHeaders) ? requestHeaders : null,
    requestBody: field(input, 'body'),
    status: typeof status === 'number' ? status : null,
    responseHeaders: isRecord(responseHeaders) ? responseHeaders : null,
    responseBody: field(output, 'body'),
  };
}

/** The steps of one job, in the order they first ran, each with its last attempt's data. */
export function stepsOfJob(events: readonly RunJobEvent[], jobId: string): RunStep[] {
  const steps = new Map<string, RunStep>();
  for (const event of events) {
    if (event.job_id !== jobId || !event.step_id) continue;
    let step = steps.get(event.step_id);
    if (!step) {
      step = {
        stepId: event.step_id,
        transformerId: event.transformer_id,
        status: 'running',
        attempts: 0,
        input: undefined,
        output: undefined,
        error: undefined,
        durationMs: null,
        http: null,
      };
      steps.set(event.step_id, step);
    }
    step.transformerId ??= event.transformer_id;
    if (event.event_type === 'claimed') {
      step.attempts += 1;
      step.status = 'running';
    } else if (event.event_type === 'step_succeeded' || event.event_type === 'step_failed') {
      step.status = event.event_type === 'step_succeeded' ? 'succeeded' : 'failed';
      step.input = field(event.data, 'input');
      step.output = event.event_type === 'step_succeeded' ? field(event.data, 'output') : undefined;
      step.error =
        event.event_type === 'step_failed'
          ? (field(event.data, 'error') ?? event.message)
          : undefined;
      step.durationMs = event.duration_ms;
    }
    step.http =
      step.transformerId === 'http-request' && step.input !== undefined
        ? httpExchange(step.input, step.output)
        : null;
  }
  return [...steps.values()];
}

/**
 * A run flow's recorded steps (flow_sequence_run_flows.steps, written when its job ended) as
 * the events stepsOfJob reads. job_events are visible only to the job's starter and admins;
 * the run flow's copy is visible to every member, so a teammate sees the same debug session.
 */
export function eventsFromRecordedSteps(jobId: string, recorded: unknown): RunJobEvent[] {
  if (!Array.isArray(recorded)) return [];
  return recorded.filter(isRecord).map((step, index) => {
    const ok = step.outcome === 'succeeded';
    return {
      id: -(index + 1),
      job_id: jobId,
      organisation_id: '',
      user_id: null,
      event_type: ok ? 'step_succeeded' : 'step_failed',
      step_id: typeof step.step_id === 'string' ? step.step_id : null,
      transformer_id: typeof step.transformer_id === 'string' ? step.transformer_id : null,
      attempt: typeof step.attempt === 'number' ? step.attempt : null,
      from_status: 'running',
      to_status: 'running',
      duration_ms: typeof step.duration_ms === 'number' ? step.duration_ms : null,
      message: null,
      data: ok
        ? { input: step.input, output: step.output }
        : { input: step.input, error: step.error },
      created_at: typeof step.at === 'string' ? step.at : '',
    } as unknown as RunJobEvent;
  });
}
