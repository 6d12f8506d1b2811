// A secret used by a run is never readable back (issue 11, "Secrets" and "Done when"): after a
// debug run whose flows used an environment secret as a sequence parameter, a flow input and an
// HTTP header (and a run whose flow put it in its output's __error), this file reads, as the
// organisation's owner, every new table, the jobs and job_events of the runs' jobs and every
// API answer the runs produced (run-flow-sequence, flow-run-action, get-job, list-jobs) as JSON
// text, and finds the secret in none of them, and `••••` where it was used. The test server
// proves the real secret did reach the request, so "nowhere" is not vacuous.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import {
  createFlowProject,
  param,
  PRODUCTION_SECRET,
  readRunFlows,
  rpc,
  runAction,
  runSequence,
  STAGING_SECRET,
  startCrm,
  waitForRun,
} from './support/flow-runs.ts';
import { loopbackHttp, needs, orchestrator } from './support/needs.ts';
import { callFunction, tokenOf } from './support/workflows.ts';

const MASK = '••••';

describe('secrets in flow runs', needs(orchestrator, loopbackHttp), () => {
  let crm: Awaited<ReturnType<typeof startCrm>>;
  let p: Awaited<ReturnType<typeof createFlowProject>>;
  /** Every API answer the runs produced, as the caller received it. */
  const answers: { what: string; text: string }[] = [];
  let debugRunId: string;
  let errorRunId: string;

  const record = (what: string, body: unknown) =>
    answers.push({ what, text: JSON.stringify(body) });

  beforeAll(async () => {
    crm = await startCrm({ staging: STAGING_SECRET, production: PRODUCTION_SECRET });
    p = await createFlowProject('flow-secrets', crm.base);
    const main = await p.sequence(p.mainFlows());

    // A debug run stepped through to the end, re-running the flow that sends the secret.
    const started = await runSequence(p.owner, { sequence_id: main.id, mode: 'debug' });
    expect(started.status).toBe(201);
    record('run-flow-sequence', started.body);
    debugRunId = started.body.run_id as string;
    const step = async (
      action: Record<string, unknown>,
      then: { status: string; at: string },
    ): Promise<void> => {
      const res = await runAction(p.owner, { run_id: debugRunId, ...action });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      record(`flow-run-action ${String(action.action)}`, res.body);
      await waitForRun(p.service, debugRunId, [then.status], (r) => r.current_flow_id === then.at);
    };
    await waitForRun(p.service, debugRunId, ['paused'], (r) => r.current_flow_id === 'flow1');
    await step({ action: 'continue', flow_id: 'flow1' }, { status: 'paused', at: 'flow2' });
    await step({ action: 'rerun', flow_id: 'flow2' }, { status: 'paused', at: 'flow2' });
    // The page shows the secret input as the mask; sending it back means "unchanged".
    await step(
      { action: 'rerun', flow_id: 'flow2', inputs: { customer: 'globex', api_key: MASK } },
      { status: 'paused', at: 'flow2' },
    );
    await step({ action: 'continue', flow_id: 'flow2' }, { status: 'paused', at: 'flow3' });
    await step({ action: 'continue', flow_id: 'flow3' }, { status: 'completed', at: 'flow3' });

    // A flow whose output carries the secret in __error: the run's error message is built
    // from it.
    const leaky = await p.sequence([
      { id: 'flow1', workflow_id: p.workflows.erroring, mappings: { customer: param('key') } },
    ]);
    const errored = await runSequence(p.owner, { sequence_id: leaky.id });
    expect(errored.status).toBe(201);
    record('run-flow-sequence (error run)', errored.body);
    errorRunId = errored.body.run_id as string;
    await waitForRun(p.service, errorRunId, ['failed', 'completed']);
  }, 120_000);

  afterAll(async () => {
    await p?.fx.cleanup();
    await crm?.close();
  });

  /** A REST read as the owner, as JSON text. */
  async function asOwner(path: string): Promise<string> {
    const res = await fetch(`${env.url}/rest/v1/${path}`, {
      headers: { apikey: env.anonKey, authorization: `Bearer ${await tokenOf(p.owner)}` },
    });
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(200);
    return text;
  }

  async function runJobIds(): Promise<string[]> {
    const flows = [
      ...(await readRunFlows(p.service, debugRunId)),
      ...(await readRunFlows(p.service, errorRunId)),
    ];
    return flows.map((f) => f.job_id).filter((id): id is string => id !== null);
  }

  it('the secret did reach the HTTP request, as a header, on every attempt', () => {
    // One call per attempt of flow 2 (three), more only if a call was retried.
    const keys = crm.seen.map((s) => s.headers.api_key);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys)).toEqual(new Set([STAGING_SECRET]));
  });

  it('the run records the secret as •••• where it was used', async () => {
    const run = JSON.parse(
      await asOwner(`flow_sequence_runs?id=eq.${debugRunId}&select=*`),
    ) as Record<string, never>[];
    expect(run[0]).toMatchObject({
      status: 'completed',
      parameters: { key: { value: MASK, secret: true } },
      variables: { api_key: { value: MASK, secret: true } },
    });
    const flows = JSON.parse(
      await asOwner(
        `flow_sequence_run_flows?run_id=eq.${debugRunId}&flow_id=eq.flow2&select=*&order=attempt`,
      ),
    ) as { attempt: number; inputs: unknown; output: unknown }[];
    expect(flows).toHaveLength(3);
    for (const flow of flows) {
      expect(flow.inputs).toMatchObject({ api_key: { value: MASK, secret: true } });
      expect(flow.output).toMatchObject({ key: MASK, key_check: 'matched' });
    }

    const errored = JSON.parse(
      await asOwner(`flow_sequence_runs?id=eq.${errorRunId}&select=*`),
    ) as { status: string; error: { code: string; message: string } }[];
    expect(errored[0]).toMatchObject({ status: 'failed', error: { code: 'output_error' } });
    expect(errored[0]?.error.message).toContain(MASK);
  });

  it("the runs' jobs and their events hold •••• and never the secret", async () => {
    const ids = await runJobIds();
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const jobs = await asOwner(`jobs?id=in.(${ids.join(',')})&select=*`);
    const events = await asOwner(`job_events?job_id=in.(${ids.join(',')})&select=*`);
    expect(jobs).toContain(MASK);
    expect(events).toContain(MASK);
    expect(jobs).not.toContain(STAGING_SECRET);
    expect(events).not.toContain(STAGING_SECRET);
  });

  it('no table the owner can read holds the secret', async () => {
    const o = `organisation_id=eq.${p.organisationId}`;
    const reads = {
      environments: await asOwner(`environments?${o}&select=*`),
      projects: await asOwner(`projects?${o}&select=*`),
      flow_sequences: await asOwner(`flow_sequences?${o}&select=*`),
      flow_sequence_runs: await asOwner(`flow_sequence_runs?${o}&select=*`),
      flow_sequence_run_flows: await asOwner(`flow_sequence_run_flows?${o}&select=*`),
      jobs: await asOwner(`jobs?${o}&select=*`),
      job_events: await asOwner(`job_events?${o}&select=*`),
    };
    // Each read returned rows (an empty answer would prove nothing).
    for (const [table, text] of Object.entries(reads)) {
      expect((JSON.parse(text) as unknown[]).length, table).toBeGreaterThan(0);
      expect(text, table).not.toContain(STAGING_SECRET);
      expect(text, table).not.toContain(PRODUCTION_SECRET);
    }
    // The environment says a secret is stored, without it.
    expect(JSON.parse(reads.environments)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'staging',
          variables: expect.arrayContaining([
            { name: 'crm_key', secret: true, value: null, has_value: true },
          ]),
        }),
      ]),
    );
  });

  it('a 400 about a secret that does not fit its variable names it without its value', async () => {
    // A project reading the secret as a number: resolution fails on it, and says so.
    const project = await rpc<{ id: string }>(p.service, 'save_project', {
      p_user_id: p.admin.id,
      p_organisation_id: p.organisationId,
      p_project_id: null,
      p_slug: `numeric-${Date.now().toString(36)}`,
      p_name: 'Secret as a number',
      p_description: null,
      p_status: 'active',
      p_environment_id: p.staging.id,
      p_api_hosts: {},
      p_variables: [
        {
          name: 'api_key',
          type: 'number',
          required: true,
          source: 'environment',
          environment_variable: 'crm_key',
        },
      ],
      p_workflow_ids: [],
    });
    const sequence = await rpc<{ id: string }>(p.service, 'save_flow_sequence', {
      p_user_id: p.admin.id,
      p_project_id: project.id,
      p_sequence_id: null,
      p_name: 'numeric secret',
      p_description: null,
      p_parameters: [],
      p_flows: [{ id: 'flow1', workflow_id: p.workflows.plain, mappings: {}, assertions: [] }],
      p_expected_updated_at: null,
    });
    const res = await runSequence(p.owner, { sequence_id: sequence.id });
    record('run-flow-sequence (unresolved)', res.body);
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'unresolved_parameters',
          details: [
            expect.objectContaining({ path: ['variables', 'api_key'], code: 'type_mismatch' }),
          ],
        },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(STAGING_SECRET);
  });

  it('no API answer holds the secret: the runs’ own, get-job and list-jobs', async () => {
    for (const id of await runJobIds()) {
      const res = await callFunction(`get-job/${id}`, { as: p.owner });
      expect(res.status).toBe(200);
      record(`get-job ${id}`, res.body);
    }
    const list = await callFunction(
      `list-jobs?scope=organisation&organisation_id=${p.organisationId}&limit=100`,
      { as: p.owner },
    );
    expect(list.status).toBe(200);
    record('list-jobs', list.body);

    expect(answers.length).toBeGreaterThanOrEqual(10);
    for (const answer of answers) {
      expect(answer.text, answer.what).not.toContain(STAGING_SECRET);
    }
    // The mask is there where the secret was used (the job answers of flow 2).
    expect(
      answers.filter((a) => a.what.startsWith('get-job')).some((a) => a.text.includes(MASK)),
    ).toBe(true);
  });
});
