// Running flow sequences over HTTP (issue 11, "Runs" and "Done when"): run-flow-sequence and
// flow-run-action as real users, driving real jobs (echo, and http-request to a server this file
// starts on 127.0.0.1) through the stack's orchestrator. Each run's records are read back as the
// service role and checked value by value: what each flow was given (and where each value came
// from), what it returned, and where and why a run stopped.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFlowProject,
  output,
  param,
  PRODUCTION_SECRET,
  readRun,
  readRunFlows,
  runAction,
  runSequence,
  STAGING_SECRET,
  startCrm,
  startRun,
  waitForRun,
  type Flow,
  type RunFlowRow,
} from './support/flow-runs.ts';
import { loopbackHttp, needs, orchestrator } from './support/needs.ts';
import { env } from './support/env.ts';
import { signed } from './support/jwt.ts';
import { callFunction } from './support/workflows.ts';

const MASK = '••••';

describe('flow sequence runs', needs(orchestrator, loopbackHttp), () => {
  let crm: Awaited<ReturnType<typeof startCrm>>;
  let p: Awaited<ReturnType<typeof createFlowProject>>;
  let mainSequence: string;

  beforeAll(async () => {
    crm = await startCrm({ staging: STAGING_SECRET, production: PRODUCTION_SECRET });
    p = await createFlowProject('flow-runs', crm.base);
    mainSequence = (await p.sequence(p.mainFlows())).id;
  }, 60_000);

  afterAll(async () => {
    await p?.fx.cleanup();
    await crm?.close();
  });

  const latest = (flows: RunFlowRow[], flowId: string) =>
    flows.filter((f) => f.flow_id === flowId).sort((a, b) => b.attempt - a.attempt)[0];

  /** Saves a sequence of `flows`, runs it in normal mode as the member, waits for its end. */
  async function runToEnd(flows: Flow[]) {
    const sequenceId = (await p.sequence(flows)).id;
    const runId = await startRun(p.member, sequenceId);
    const run = await waitForRun(p.service, runId, ['completed', 'failed', 'stopped']);
    return { runId, run, flows: await readRunFlows(p.service, runId) };
  }

  describe('a normal run', () => {
    it('runs three flows to completed, each later flow reading earlier outputs', async () => {
      const seenBefore = crm.seen.length;
      const started = await runSequence(p.member, { sequence_id: mainSequence });
      expect(started).toMatchObject({ status: 201, body: { status: 'running' } });
      const runId = started.body.run_id as string;

      const run = await waitForRun(p.service, runId, ['completed', 'failed', 'stopped']);
      expect(run).toMatchObject({
        status: 'completed',
        mode: 'normal',
        error: null,
        environment_name: 'staging',
        // Who ran it, for the runs list.
        created_by: p.member.id,
      });
      expect(run.finished_at).not.toBeNull();
      // Where each value came from; the secret masked.
      expect(run.variables.region).toMatchObject({ value: 'eu-west', secret: false });
      expect(run.variables.api_key).toMatchObject({ value: MASK, secret: true });
      expect(run.variables.crm_api).toMatchObject({ value: `${crm.base}/crm/staging` });
      expect(run.parameters.customer).toMatchObject({
        value: 'acme',
        source: { kind: 'project_variable', variable: 'customer' },
      });
      expect(run.parameters.key).toMatchObject({ value: MASK, secret: true });

      const flows = await readRunFlows(p.service, runId);
      expect(flows.map((f) => [f.flow_id, f.attempt, f.status])).toEqual([
        ['flow1', 1, 'passed'],
        ['flow2', 1, 'passed'],
        ['flow3', 1, 'passed'],
      ]);
      const [flow1, flow2, flow3] = flows as [RunFlowRow, RunFlowRow, RunFlowRow];

      expect(flow1.inputs).toMatchObject({
        customer: { value: 'acme', source: { kind: 'sequence_parameter', parameter: 'customer' } },
        greeting: { value: 'hello', source: { kind: 'sequence_parameter', parameter: 'greeting' } },
      });
      // $.variables.region reached the job.
      expect(flow1.output).toEqual({ customer: 'acme', message: 'hello', region: 'eu-west' });

      expect(flow2.inputs).toMatchObject({
        customer: {
          value: 'acme',
          source: { kind: 'flow_output', flow_id: 'flow1', path: ['customer'] },
        },
        api_key: { value: MASK, secret: true },
      });
      // The job called $.variables.crm_api with the real secret in a header; what it recorded
      // of the answer has it masked.
      expect(flow2.output).toEqual({
        status: 200,
        customer: 'acme',
        key_check: 'matched',
        key: MASK,
        environment: 'staging',
      });
      expect(flow2.assertions).toEqual([expect.objectContaining({ passed: true })]);
      const calls = crm.seen.slice(seenBefore);
      // One call (more only if the step was retried), to the staging host, with the secret.
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls[0]).toMatchObject({
        path: '/crm/staging',
        headers: { customer: 'acme', api_key: STAGING_SECRET },
      });

      expect(flow3.inputs).toMatchObject({
        customer: { value: 'acme', source: { kind: 'flow_output', flow_id: 'flow2' } },
        status: { value: 200, source: { kind: 'flow_output', flow_id: 'flow2', path: ['status'] } },
        message: { value: 'hello', source: { kind: 'flow_output', flow_id: 'flow1' } },
      });
      expect(flow3.output).toEqual({
        summary: { customer: 'acme', status: 200, message: 'hello' },
      });

      // Each flow ran as one job of its workflow, pointing back at its run flow.
      const { data: jobs } = await p.service
        .from('jobs')
        .select('id, workflow_id, status, flow_run_flow_id, user_id')
        .in(
          'id',
          flows.map((f) => f.job_id),
        );
      expect(jobs).toHaveLength(3);
      for (const flow of flows) {
        const job = (jobs ?? []).find((j: { id: string }) => j.id === flow.job_id);
        expect(job).toMatchObject({
          status: 'completed',
          flow_run_flow_id: flow.id,
          user_id: p.member.id,
        });
      }
    }, 60_000);

    it('a flow whose job fails stops the run there with job_failed', async () => {
      const { run, flows } = await runToEnd([
        p.mainFlows()[0]!,
        {
          id: 'flow2',
          workflow_id: p.workflows.failing,
          mappings: { customer: output('flow1', 'customer') },
        },
        { id: 'flow3', workflow_id: p.workflows.plain },
      ]);
      expect(run).toMatchObject({
        status: 'failed',
        current_flow_id: 'flow2',
        error: { flow_id: 'flow2', code: 'job_failed' },
      });
      expect(run.error?.message).toMatch(/fail/i);
      expect(flows.map((f) => [f.flow_id, f.status])).toEqual([
        ['flow1', 'passed'],
        ['flow2', 'failed'],
      ]);
      expect(flows[1]?.error).toMatchObject({ code: 'job_failed' });
    }, 60_000);

    it('a failed assertion stops the run at that flow with assertion_failed', async () => {
      const { run, flows } = await runToEnd([
        {
          ...p.mainFlows()[0]!,
          assertions: [{ path: '$.message', operator: 'equals', expected: 'goodbye' }],
        },
        { id: 'flow2', workflow_id: p.workflows.plain },
      ]);
      expect(run).toMatchObject({
        status: 'failed',
        current_flow_id: 'flow1',
        error: { flow_id: 'flow1', code: 'assertion_failed' },
      });
      expect(flows).toHaveLength(1);
      expect(flows[0]).toMatchObject({
        status: 'failed',
        error: { code: 'assertion_failed' },
        output: { message: 'hello' },
      });
      expect(flows[0]?.assertions).toEqual([
        expect.objectContaining({ passed: false, actual: 'hello', expected: 'goodbye' }),
      ]);
    }, 60_000);

    it('an output holding __error stops the run at that flow with output_error', async () => {
      const { run, flows } = await runToEnd([
        {
          id: 'flow1',
          workflow_id: p.workflows.erroring,
          mappings: { customer: param('customer') },
        },
        { id: 'flow2', workflow_id: p.workflows.plain },
      ]);
      expect(run).toMatchObject({
        status: 'failed',
        error: { flow_id: 'flow1', code: 'output_error' },
      });
      expect(run.error?.message).toContain('acme');
      expect(flows.map((f) => [f.flow_id, f.status])).toEqual([['flow1', 'failed']]);
    }, 60_000);
  });

  describe('a debug run', () => {
    let runId: string;

    it('pauses after the first flow, which passed', async () => {
      runId = await startRun(p.admin, mainSequence, 'debug');
      const run = await waitForRun(p.service, runId, ['paused', 'failed', 'completed']);
      expect(run).toMatchObject({ status: 'paused', mode: 'debug', current_flow_id: 'flow1' });
      const flows = await readRunFlows(p.service, runId);
      expect(flows.map((f) => [f.flow_id, f.status])).toEqual([['flow1', 'passed']]);
    }, 60_000);

    it('a rerun or continue naming another flow than the current one is 409 run_changed', async () => {
      const res = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow2',
      });
      expect(res).toMatchObject({ status: 409, body: { error: { code: 'run_changed' } } });
    });

    it('continue starts the next flow, and the run pauses after it', async () => {
      const res = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow1',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: runId, status: 'running', current_flow_id: 'flow2' });
      const run = await waitForRun(
        p.service,
        runId,
        ['paused'],
        (r) => r.current_flow_id === 'flow2',
      );
      expect(run.status).toBe('paused');
      const flows = await readRunFlows(p.service, runId);
      expect(flows.map((f) => [f.flow_id, f.attempt, f.status])).toEqual([
        ['flow1', 1, 'passed'],
        ['flow2', 1, 'passed'],
      ]);
    }, 60_000);

    it('rerun with the same inputs makes attempt 2 of that flow, secret included', async () => {
      const seenBefore = crm.seen.length;
      const res = await runAction(p.member, { run_id: runId, action: 'rerun', flow_id: 'flow2' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'running', current_flow_id: 'flow2' });
      const attempt2 = await waitForAttempt(runId, 'flow2', 2);
      expect(attempt2).toMatchObject({
        status: 'passed',
        inputs: {
          customer: { value: 'acme', source: { kind: 'flow_output', flow_id: 'flow1' } },
          api_key: { value: MASK, secret: true },
        },
        output: { customer: 'acme', key_check: 'matched', key: MASK },
      });
      expect(crm.seen.slice(seenBefore)[0]?.headers.api_key).toBe(STAGING_SECRET);
    }, 60_000);

    it('rerun with edited inputs that do not fit the workflow is 400 naming each, and changes nothing', async () => {
      const res = await runAction(p.member, {
        run_id: runId,
        action: 'rerun',
        flow_id: 'flow2',
        inputs: { customer: 42 },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_input' } });
      const details = (res.body.error as { details: { path: unknown[] }[] }).details;
      expect(details.map((d) => d.path.at(-1))).toContain('customer');
      const flows = await readRunFlows(p.service, runId);
      expect(flows.filter((f) => f.flow_id === 'flow2')).toHaveLength(2);
      expect((await readRun(p.service, runId)).status).toBe('paused');
    });

    it('rerun with edited inputs records them as edited and keeps the secret it was not given', async () => {
      const res = await runAction(p.member, {
        run_id: runId,
        action: 'rerun',
        flow_id: 'flow2',
        inputs: { customer: 'globex' },
      });
      expect(res.status).toBe(200);
      const attempt3 = await waitForAttempt(runId, 'flow2', 3);
      expect(attempt3).toMatchObject({
        status: 'passed',
        inputs: {
          customer: { value: 'globex', source: { kind: 'edited' } },
          api_key: { value: MASK, secret: true },
        },
        output: { customer: 'globex', key_check: 'matched' },
      });
      await waitForRun(p.service, runId, ['paused']);
    }, 60_000);

    it('ten concurrent continues advance the run once; the others are 409 run_changed', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          runAction(p.member, { run_id: runId, action: 'continue', flow_id: 'flow2' }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body).toMatchObject({ error: { code: 'run_changed' } });
      }
      await waitForRun(p.service, runId, ['paused'], (r) => r.current_flow_id === 'flow3');
      const flows = await readRunFlows(p.service, runId);
      expect(flows.filter((f) => f.flow_id === 'flow3')).toHaveLength(1);
      // flow3 read the latest passed attempt of flow2 (the edited one).
      expect(latest(flows, 'flow3')).toMatchObject({
        status: 'passed',
        output: { summary: { customer: 'globex', status: 200, message: 'hello' } },
      });
    }, 60_000);

    it('stop stops a paused run; nothing more can be done with it', async () => {
      const res = await runAction(p.member, { run_id: runId, action: 'stop' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: runId, status: 'stopped' });
      expect((await readRun(p.service, runId)).status).toBe('stopped');
      const again = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow3',
      });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'run_changed' } } });
      const stopAgain = await runAction(p.member, { run_id: runId, action: 'stop' });
      expect(stopAgain).toMatchObject({ status: 409, body: { error: { code: 'run_changed' } } });
    });

    it('stop on a run whose flow is still running cancels its job', async () => {
      const sequenceId = (
        await p.sequence([
          { id: 'flow1', workflow_id: p.workflows.slow, mappings: { customer: param('customer') } },
        ])
      ).id;
      const slowRun = await startRun(p.member, sequenceId, 'debug');
      const res = await runAction(p.member, { run_id: slowRun, action: 'stop' });
      expect(res).toMatchObject({ status: 200, body: { status: 'stopped' } });
      const [flow] = await readRunFlows(p.service, slowRun);
      expect(flow).toMatchObject({ status: 'stopped' });
      const { data: job } = await p.service
        .from('jobs')
        .select('status')
        .eq('id', flow?.job_id)
        .single();
      expect(job).toMatchObject({ status: 'cancelled' });
      expect((await readRun(p.service, slowRun)).status).toBe('stopped');
    }, 60_000);

    async function waitForAttempt(run: string, flowId: string, attempt: number) {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const flows = await readRunFlows(p.service, run);
        const found = flows.find((f) => f.flow_id === flowId && f.attempt === attempt);
        if (found && !['running', 'evaluating'].includes(found.status)) return found;
        if (Date.now() > deadline)
          throw new Error(`${flowId} attempt ${attempt} not done: ${JSON.stringify(found)}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  });

  describe('a flow that fails, and a next flow whose inputs do not resolve', () => {
    /** flow1 asserts a message it does not get; flow2 passes it on. */
    const assertingFlows = () => [
      {
        ...p.mainFlows()[0]!,
        assertions: [{ path: '$.message', operator: 'equals', expected: 'goodbye' }],
      },
      {
        id: 'flow2',
        workflow_id: p.workflows.plain,
        mappings: { value: output('flow1', 'message') },
      },
    ];
    /** flow2's `status` (a number) is mapped from flow1's customer (a string). */
    const mismatchedFlows = () => [
      p.mainFlows()[0]!,
      {
        id: 'flow2',
        workflow_id: p.workflows.summarise,
        mappings: { customer: output('flow1', 'customer'), status: output('flow1', 'customer') },
      },
    ];

    it('in debug mode a failed flow pauses the run; continue is refused, a rerun with edited inputs passes', async () => {
      const sequenceId = (await p.sequence(assertingFlows())).id;
      const runId = await startRun(p.member, sequenceId, 'debug');
      const paused = await waitForRun(p.service, runId, ['paused', 'failed', 'completed']);
      expect(paused).toMatchObject({ status: 'paused', current_flow_id: 'flow1' });
      expect((await readRunFlows(p.service, runId))[0]).toMatchObject({
        status: 'failed',
        error: { code: 'assertion_failed' },
      });

      const refused = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow1',
      });
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'not_allowed' } } });

      const rerun = await runAction(p.member, {
        run_id: runId,
        action: 'rerun',
        flow_id: 'flow1',
        inputs: { greeting: 'goodbye' },
      });
      expect(rerun).toMatchObject({ status: 200, body: { status: 'running' } });
      await waitForRun(p.service, runId, ['paused'], (r) => r.current_flow_id === 'flow1');
      const attempts = await readRunFlows(p.service, runId);
      expect(attempts.map((f) => [f.flow_id, f.attempt, f.status])).toEqual([
        ['flow1', 1, 'failed'],
        ['flow1', 2, 'passed'],
      ]);
      expect(attempts[1]?.inputs).toMatchObject({
        customer: { value: 'acme', source: { kind: 'sequence_parameter' } },
        greeting: { value: 'goodbye', source: { kind: 'edited' } },
      });

      // The next flow reads the passed attempt's output.
      const next = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow1',
      });
      expect(next.status).toBe(200);
      await waitForRun(p.service, runId, ['paused'], (r) => r.current_flow_id === 'flow2');
      const flow2 = latest(await readRunFlows(p.service, runId), 'flow2');
      expect(flow2).toMatchObject({
        status: 'passed',
        inputs: { value: { value: 'goodbye', source: { kind: 'flow_output', flow_id: 'flow1' } } },
        output: { value: 'goodbye' },
      });
      const done = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow2',
      });
      expect(done).toMatchObject({ status: 200, body: { status: 'completed' } });
    }, 60_000);

    it('in normal mode the run fails naming the next flow and its input', async () => {
      const sequenceId = (await p.sequence(mismatchedFlows())).id;
      const runId = await startRun(p.member, sequenceId);
      const run = await waitForRun(p.service, runId, ['failed', 'completed']);
      expect(run).toMatchObject({
        status: 'failed',
        error: { flow_id: 'flow2', code: 'type_mismatch' },
      });
      expect(run.error?.message).toContain('status');
      const flows = await readRunFlows(p.service, runId);
      expect(flows.map((f) => [f.flow_id, f.status])).toEqual([['flow1', 'passed']]);
    }, 60_000);

    it('in debug mode continue answers 400 naming the input, and the run stays paused', async () => {
      const sequenceId = (await p.sequence(mismatchedFlows())).id;
      const runId = await startRun(p.member, sequenceId, 'debug');
      await waitForRun(p.service, runId, ['paused'], (r) => r.current_flow_id === 'flow1');
      const res = await runAction(p.member, {
        run_id: runId,
        action: 'continue',
        flow_id: 'flow1',
      });
      expect(res).toMatchObject({
        status: 400,
        body: { error: { code: 'unresolved_parameters' } },
      });
      const details = (res.body.error as { details: { path: unknown[]; code: string }[] }).details;
      expect(details).toEqual([
        expect.objectContaining({
          path: ['flows', 'flow2', 'inputs', 'status'],
          code: 'type_mismatch',
        }),
      ]);
      expect(await readRun(p.service, runId)).toMatchObject({
        status: 'paused',
        current_flow_id: 'flow1',
      });
      expect(await readRunFlows(p.service, runId)).toHaveLength(1);
    }, 60_000);
  });

  it("switching the project's environment changes what the next run resolves", async () => {
    const projectId = (await p.newProject(p.staging.id)).id;
    const sequenceId = (await p.sequence(p.mainFlows(), projectId)).id;

    const first = await waitForRun(p.service, await startRun(p.member, sequenceId), [
      'completed',
      'failed',
    ]);
    expect(first).toMatchObject({ status: 'completed', environment_name: 'staging' });

    // One click in the UI: an owner's RPC.
    const { error } = await p.owner.client.rpc('set_project_environment', {
      p_project_id: projectId,
      p_environment_id: p.production.id,
    });
    expect(error).toBeNull();

    const seenBefore = crm.seen.length;
    const second = await waitForRun(p.service, await startRun(p.member, sequenceId), [
      'completed',
      'failed',
    ]);
    expect(second).toMatchObject({
      status: 'completed',
      environment_name: 'production',
      variables: { region: { value: 'us-east' }, crm_api: { value: `${crm.base}/crm/production` } },
    });
    const flows = await readRunFlows(p.service, second.id);
    expect(latest(flows, 'flow1')?.output).toMatchObject({ region: 'us-east' });
    expect(latest(flows, 'flow2')?.output).toMatchObject({
      environment: 'production',
      key_check: 'matched',
    });
    expect(crm.seen.slice(seenBefore)[0]?.headers.api_key).toBe(PRODUCTION_SECRET);
  }, 90_000);

  describe('refused runs (nothing is created)', () => {
    const runsOf = async (sequenceId: string) => {
      const { data } = await p.service
        .from('flow_sequence_runs')
        .select('id')
        .eq('sequence_id', sequenceId);
      return data ?? [];
    };

    it('a project without an environment: 400 unresolved_parameters naming each missing value', async () => {
      const projectId = (await p.newProject(null)).id;
      const sequenceId = (await p.sequence(p.mainFlows(), projectId)).id;
      const res = await runSequence(p.member, { sequence_id: sequenceId });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'unresolved_parameters' } });
      const details = (res.body.error as { details: { path: string[]; code: string }[] }).details;
      const named = details.map((d) => d.path.join('.'));
      expect(named).toEqual(expect.arrayContaining(['variables.region', 'variables.api_key']));
      expect(details.every((d) => typeof d.code === 'string')).toBe(true);
      expect(await runsOf(sequenceId)).toEqual([]);
    });

    it('an empty sequence: 400', async () => {
      const sequenceId = (await p.sequence([])).id;
      const res = await runSequence(p.member, { sequence_id: sequenceId });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'empty_sequence' } });
      expect(await runsOf(sequenceId)).toEqual([]);
    });

    it('a sequence of an archived project: 409 project_archived', async () => {
      const projectId = (await p.newProject(null)).id;
      const sequenceId = (await p.sequence(p.mainFlows(), projectId)).id;
      const { error } = await p.service
        .from('projects')
        .update({ status: 'archived' })
        .eq('id', projectId);
      expect(error).toBeNull();
      const res = await runSequence(p.member, { sequence_id: sequenceId });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: { code: 'project_archived' } });
      expect(await runsOf(sequenceId)).toEqual([]);
    });

    it('a sequence whose workflow was archived since it was saved: 400 invalid_sequence', async () => {
      const sequenceId = (
        await p.sequence([
          {
            id: 'flow1',
            workflow_id: p.workflows.archived,
            mappings: { value: param('customer') },
          },
        ])
      ).id;
      const { error } = await p.service
        .from('workflows')
        .update({ status: 'archived' })
        .eq('id', p.workflows.archived);
      expect(error).toBeNull();
      const res = await runSequence(p.member, { sequence_id: sequenceId });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_sequence' } });
      expect(await runsOf(sequenceId)).toEqual([]);
    });
  });

  describe('HTTP edge cases', () => {
    it('run-flow-sequence: 401 without a token, or with the anon key', async () => {
      expect((await runSequence(null, { sequence_id: mainSequence })).status).toBe(401);
      expect((await runSequence(env.anonKey, { sequence_id: mainSequence })).status).toBe(401);
    });

    // The functions verify the token themselves (claims.ts): the functions' own port does not
    // sit behind the gateway. A forged member token (alg=none, or signed with another secret)
    // naming a real member must not run their sequence or act on their run.
    it.each([
      ['through the gateway', () => `${env.url}/functions/v1`],
      ['on the functions port', () => process.env.FUNCTIONS_DIRECT_URL ?? ''],
    ])(
      'forged member tokens are refused with 401 %s',
      async (_where, baseOf) => {
        const base = baseOf();
        if (!base) return;
        const claims = { sub: p.member.id, role: 'authenticated', exp: Date.now() / 1000 + 600 };
        const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const tokens = [
          `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
          signed(claims, 'not-the-project-secret-but-32-chars-long'),
        ];
        const runId = await startRun(p.member, mainSequence, 'debug');
        for (const token of tokens) {
          for (const [fn, body] of [
            ['run-flow-sequence', { sequence_id: mainSequence }],
            ['flow-run-action', { run_id: runId, action: 'stop' }],
          ] as const) {
            const res = await fetch(`${base}/${fn}`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            expect(res.status, `${fn}`).toBe(401);
          }
        }
        const { data: runs } = await p.service
          .from('flow_sequence_runs')
          .select('id, status')
          .eq('sequence_id', mainSequence)
          .eq('id', runId);
        expect(runs?.[0]?.status).not.toBe('stopped');
        expect((await runAction(p.member, { run_id: runId, action: 'stop' })).status).toBe(200);
      },
      60_000,
    );

    it.each([
      ['no sequence_id', {}],
      ['a sequence_id that is not a UUID', { sequence_id: 'flow1' }],
      ['an unknown mode', { sequence_id: randomUUID(), mode: 'turbo' }],
      ['an unknown field', { sequence_id: randomUUID(), extra: 1 }],
      ['not JSON', '{"sequence_id":'],
    ])('run-flow-sequence: 400 invalid_input for %s', async (_what, body) => {
      const res = await runSequence(p.member, body);
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    });

    // Refused before the body is read, an oversized upload leaves its connection unusable for
    // the next request: `connection: close` keeps it out of the pool.
    it('run-flow-sequence: 413 for a body over its limit', async () => {
      const res = await callFunction('run-flow-sequence', {
        as: p.member,
        body: { sequence_id: mainSequence, padding: 'x'.repeat(32 * 1024) },
        headers: { connection: 'close' },
      });
      expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    });

    it("run-flow-sequence: 404 for another organisation's sequence and for an unknown one", async () => {
      const theirs = await runSequence(p.outsider, { sequence_id: mainSequence });
      expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      const unknown = await runSequence(p.member, { sequence_id: randomUUID() });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    });

    it("flow-run-action: 401 without a token, 400 for a bad body, 404 for another organisation's run", async () => {
      const runId = await startRun(p.member, mainSequence, 'debug');
      expect((await runAction(null, { run_id: runId, action: 'stop' })).status).toBe(401);
      for (const body of [
        { run_id: runId },
        { run_id: runId, action: 'skip' },
        { run_id: runId, action: 'continue' },
        { run_id: 'nope', action: 'stop' },
        { run_id: runId, action: 'stop', flow_id: 'flow1' },
      ]) {
        const res = await runAction(p.member, body);
        expect(res, JSON.stringify(body)).toMatchObject({
          status: 400,
          body: { error: { code: 'invalid_input' } },
        });
      }
      for (const action of [
        { action: 'stop' },
        { action: 'continue', flow_id: 'flow1' },
        { action: 'rerun', flow_id: 'flow1' },
      ]) {
        const res = await runAction(p.outsider, { run_id: runId, ...action });
        expect(res, action.action).toMatchObject({
          status: 404,
          body: { error: { code: 'run_not_found' } },
        });
      }
      const big = await callFunction('flow-run-action', {
        as: p.member,
        body: {
          run_id: runId,
          action: 'rerun',
          flow_id: 'flow1',
          inputs: { customer: 'x'.repeat(1024 * 1024 + 1) },
        },
        headers: { connection: 'close' },
      });
      expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
      // None of the refused calls touched the run.
      expect((await readRun(p.service, runId)).status).not.toBe('stopped');
      expect((await runAction(p.member, { run_id: runId, action: 'stop' })).status).toBe(200);
    }, 60_000);
  });
});
