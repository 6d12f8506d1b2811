import { describe, expect, it } from 'vitest';
import type { AssertionResult } from './assertions.ts';
import {
  decideAction,
  decideAfterFlow,
  inputProblemsError,
  nextFlowId,
  outputError,
  type ActionDecision,
  type FlowDecision,
  type FlowEnd,
  type RunAction,
  type RunState,
} from './run-state.ts';
import type { RunMode } from './schemas.ts';

const flowIds = ['flow1', 'flow1_5', 'flow2'];

const assertion = (passed: boolean, message: string): AssertionResult => ({
  path: '$.status',
  operator: 'equals',
  expected: 'ok',
  actual: passed ? 'ok' : 'failed',
  passed,
  message,
});

const completed = (output: unknown, assertions: AssertionResult[] = []): FlowEnd => ({
  job_status: 'completed',
  output,
  assertions,
});

describe('decideAfterFlow', () => {
  const passed = (next: FlowDecision['next']): FlowDecision => ({
    flow_status: 'passed',
    error: null,
    next,
  });
  const failed = (code: string, message: string, next: FlowDecision['next']): FlowDecision =>
    ({ flow_status: 'failed', error: { code, message }, next }) as FlowDecision;

  it.each<[string, RunMode, string, FlowEnd, FlowDecision]>([
    [
      'normal, first flow passes',
      'normal',
      'flow1',
      completed({ status: 'ok' }),
      passed({ kind: 'start_next', flow_id: 'flow1_5' }),
    ],
    [
      'normal, middle flow passes',
      'normal',
      'flow1_5',
      completed({}),
      passed({ kind: 'start_next', flow_id: 'flow2' }),
    ],
    ['normal, last flow passes', 'normal', 'flow2', completed(null), passed({ kind: 'complete' })],
    ['debug, a flow passes', 'debug', 'flow1', completed({}), passed({ kind: 'pause' })],
    ['debug, the last flow passes', 'debug', 'flow2', completed({}), passed({ kind: 'pause' })],
    [
      'normal, passing assertions',
      'normal',
      'flow1',
      completed({}, [assertion(true, 'ok')]),
      passed({ kind: 'start_next', flow_id: 'flow1_5' }),
    ],
    [
      'normal, job failed',
      'normal',
      'flow1',
      {
        job_status: 'failed',
        output: null,
        job_error: { code: 'http_error', message: 'HTTP 500' },
        assertions: [],
      },
      failed('job_failed', 'http_error: HTTP 500', { kind: 'fail' }),
    ],
    [
      'normal, job failed without error',
      'normal',
      'flow2',
      { job_status: 'failed', output: null, assertions: [] },
      failed('job_failed', 'The job failed', { kind: 'fail' }),
    ],
    [
      'debug, job failed',
      'debug',
      'flow1',
      { job_status: 'failed', output: null, job_error: { message: 'boom' }, assertions: [] },
      failed('job_failed', 'boom', { kind: 'pause' }),
    ],
    [
      'normal, job cancelled',
      'normal',
      'flow1_5',
      { job_status: 'cancelled', output: null, job_error: null, assertions: [] },
      failed('job_cancelled', 'The job was cancelled', { kind: 'fail' }),
    ],
    [
      'normal, __error string',
      'normal',
      'flow1',
      completed({ __error: 'no such user' }),
      failed('output_error', 'The output holds __error: no such user', { kind: 'fail' }),
    ],
    [
      'debug, __error object',
      'debug',
      'flow1',
      completed({ __error: { message: 'quota' } }),
      failed('output_error', 'The output holds __error: quota', { kind: 'pause' }),
    ],
    [
      'normal, __error null',
      'normal',
      'flow2',
      completed({ __error: null }),
      failed('output_error', 'The output holds __error: null', { kind: 'fail' }),
    ],
    [
      'normal, nested __error is not an error',
      'normal',
      'flow2',
      completed({ data: { __error: 'x' } }),
      passed({ kind: 'complete' }),
    ],
    [
      'normal, __error wins over a failing assertion',
      'normal',
      'flow1',
      completed({ __error: 'x' }, [assertion(false, 'a')]),
      failed('output_error', 'The output holds __error: x', { kind: 'fail' }),
    ],
    [
      'normal, an assertion fails',
      'normal',
      'flow1',
      completed({}, [
        assertion(true, 'fine'),
        assertion(false, "$.status is 'failed', expected 'ok'"),
      ]),
      failed('assertion_failed', "$.status is 'failed', expected 'ok'", { kind: 'fail' }),
    ],
    [
      'debug, assertions fail',
      'debug',
      'flow2',
      completed({}, [assertion(false, 'a'), assertion(false, 'b'), assertion(false, 'c')]),
      failed('assertion_failed', 'a (and 2 more failed assertions)', { kind: 'pause' }),
    ],
    [
      'normal, two assertions fail',
      'normal',
      'flow2',
      completed({}, [assertion(false, 'a'), assertion(false, 'b')]),
      failed('assertion_failed', 'a (and 1 more failed assertion)', { kind: 'fail' }),
    ],
  ])('%s', (_title, mode, flowId, end, decision) => {
    expect(decideAfterFlow({ mode, flowIds }, flowId, end)).toEqual(decision);
  });

  it('throws for a flow that is not in the run', () => {
    expect(() => decideAfterFlow({ mode: 'normal', flowIds }, 'flow9', completed({}))).toThrow(
      /not a flow of this run/,
    );
  });
});

describe('decideAction', () => {
  const state = (
    status: RunState['status'],
    current: string | null,
    flowStatus: RunState['current_flow_status'],
    mode: RunMode = 'debug',
  ): RunState => ({
    status,
    mode,
    flowIds,
    current_flow_id: current,
    current_flow_status: flowStatus,
  });
  const ok = (kind: string, flow_id?: string): ActionDecision =>
    (flow_id === undefined ? { ok: true, kind } : { ok: true, kind, flow_id }) as ActionDecision;
  const no = (code: 'run_changed' | 'not_allowed') =>
    expect.objectContaining({ ok: false, code }) as ActionDecision;

  it.each<[string, RunState, RunAction, ActionDecision]>([
    [
      'continue after a passed flow starts the next',
      state('paused', 'flow1', 'passed'),
      { action: 'continue', flow_id: 'flow1' },
      ok('start_next', 'flow1_5'),
    ],
    [
      'continue after the last flow completes',
      state('paused', 'flow2', 'passed'),
      { action: 'continue', flow_id: 'flow2' },
      ok('complete'),
    ],
    [
      'continue without flow_id',
      state('paused', 'flow1_5', 'passed'),
      { action: 'continue' },
      ok('start_next', 'flow2'),
    ],
    [
      'continue after a failed flow is refused',
      state('paused', 'flow1', 'failed'),
      { action: 'continue', flow_id: 'flow1' },
      no('not_allowed'),
    ],
    [
      'continue while the flow is evaluating is refused',
      state('paused', 'flow1', 'evaluating'),
      { action: 'continue', flow_id: 'flow1' },
      no('not_allowed'),
    ],
    [
      'continue from a stale page',
      state('paused', 'flow1_5', 'passed'),
      { action: 'continue', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'continue while running (someone acted first)',
      state('running', 'flow1', 'running'),
      { action: 'continue', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'continue on a completed run',
      state('completed', 'flow2', 'passed'),
      { action: 'continue', flow_id: 'flow2' },
      no('run_changed'),
    ],
    [
      'rerun after a failed flow',
      state('paused', 'flow1', 'failed'),
      { action: 'rerun', flow_id: 'flow1' },
      ok('rerun', 'flow1'),
    ],
    [
      'rerun after a passed flow',
      state('paused', 'flow2', 'passed'),
      { action: 'rerun', flow_id: 'flow2' },
      ok('rerun', 'flow2'),
    ],
    [
      'rerun of another flow',
      state('paused', 'flow2', 'passed'),
      { action: 'rerun', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'rerun while running',
      state('running', 'flow1', 'running'),
      { action: 'rerun', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'rerun on a failed run',
      state('failed', 'flow1', 'failed', 'normal'),
      { action: 'rerun', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'rerun on a stopped run',
      state('stopped', 'flow1', 'stopped'),
      { action: 'rerun', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'stop a running run',
      state('running', 'flow1', 'running', 'normal'),
      { action: 'stop' },
      ok('stop'),
    ],
    ['stop a paused run', state('paused', 'flow1_5', 'failed'), { action: 'stop' }, ok('stop')],
    [
      'stop with the flow seen',
      state('paused', 'flow1_5', 'passed'),
      { action: 'stop', flow_id: 'flow1_5' },
      ok('stop'),
    ],
    [
      'stop from a stale page',
      state('paused', 'flow2', 'passed'),
      { action: 'stop', flow_id: 'flow1' },
      no('run_changed'),
    ],
    [
      'stop a stopped run',
      state('stopped', 'flow1', 'stopped'),
      { action: 'stop' },
      no('not_allowed'),
    ],
    [
      'stop a completed run',
      state('completed', 'flow2', 'passed'),
      { action: 'stop' },
      no('not_allowed'),
    ],
    [
      'stop a failed run',
      state('failed', 'flow1', 'failed', 'normal'),
      { action: 'stop' },
      no('not_allowed'),
    ],
    [
      'continue paused at no flow',
      state('paused', null, null),
      { action: 'continue' },
      no('not_allowed'),
    ],
  ])('%s', (_title, runState, action, decision) => {
    const result = decideAction(runState, action);
    expect(result).toEqual(decision);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
  });
});

describe('nextFlowId', () => {
  it.each([
    ['flow1', 'flow1_5'],
    ['flow1_5', 'flow2'],
    ['flow2', null],
  ])('after %s is %s', (id, next) => {
    expect(nextFlowId(flowIds, id)).toBe(next);
  });
});

describe('outputError', () => {
  it.each<[unknown, string | null]>([
    [{ __error: 'bad' }, 'bad'],
    [{ __error: { message: 'quota', code: 429 } }, 'quota'],
    [{ __error: { code: 429 } }, '{"code":429}'],
    [{ __error: true }, 'true'],
    [{ __error: '' }, '""'],
    [{ ok: 1 }, null],
    [{ nested: { __error: 'x' } }, null],
    [[{ __error: 'x' }], null],
    ['__error', null],
    [null, null],
  ])('%j → %j', (output, message) => {
    expect(outputError(output)).toBe(message);
  });
});

describe('inputProblemsError', () => {
  it.each<[Parameters<typeof inputProblemsError>[0], ReturnType<typeof inputProblemsError>]>([
    [[], null],
    [[{ path: [], code: 'missing', message: 'a' }], { code: 'missing_input', message: 'a' }],
    [[{ path: [], code: 'type_mismatch', message: 'a' }], { code: 'type_mismatch', message: 'a' }],
    [
      [
        { path: [], code: 'type_mismatch', message: 'a' },
        { path: [], code: 'unknown_flow_output', message: 'b' },
      ],
      { code: 'missing_input', message: 'a; b' },
    ],
  ])('%j → %j', (problems, error) => {
    expect(inputProblemsError(problems)).toEqual(error);
  });
});
