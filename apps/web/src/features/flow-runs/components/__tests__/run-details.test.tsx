import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { RunDetails } from '../run-details';

const runId = '50000000-0000-4000-8000-000000000001';
const jobId = '60000000-0000-4000-8000-000000000001';

const run = {
  id: runId,
  organisation_id: testOrganisation.id,
  project_id: '20000000-0000-4000-8000-000000000001',
  sequence_id: '30000000-0000-4000-8000-000000000001',
  mode: 'debug',
  status: 'paused',
  environment_id: null,
  environment_name: 'staging',
  flows: [
    { id: 'flow1', workflow_id: 'w1', workflow_name: 'Call CRM', mappings: {}, assertions: [] },
    { id: 'flow2', workflow_id: 'w2', workflow_name: 'Echo', mappings: {}, assertions: [] },
  ],
  parameters: {
    token: {
      value: '••••',
      secret: true,
      source: { kind: 'project_variable', variable: 'crm_key' },
    },
  },
  variables: {
    crm_key: {
      value: '••••',
      secret: true,
      source: { kind: 'environment', environment: 'staging', variable: 'CRM_KEY' },
    },
  },
  current_flow_id: 'flow1',
  error: null,
  created_by: null,
  created_at: '2026-12-01T10:00:00Z',
  started_at: '2026-12-01T10:00:00Z',
  finished_at: null,
  updated_at: '2026-12-01T10:00:01Z',
};

const runFlow = {
  id: '70000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  run_id: runId,
  flow_id: 'flow1',
  position: 0,
  attempt: 1,
  workflow_id: 'w1',
  job_id: jobId,
  status: 'passed',
  inputs: {
    token: {
      value: '••••',
      secret: true,
      source: { kind: 'sequence_parameter', parameter: 'token' },
    },
    lead: { value: 'L-1', secret: false, source: { kind: 'hardcoded' } },
  },
  output: { company: 'Acme' },
  assertions: [
    { path: '$.company', operator: 'exists', passed: true, message: '$.company exists' },
  ],
  error: null,
  started_at: '2026-12-01T10:00:00Z',
  finished_at: '2026-12-01T10:00:01Z',
};

const events = [
  {
    id: 1,
    job_id: jobId,
    organisation_id: testOrganisation.id,
    user_id: null,
    event_type: 'claimed',
    step_id: 'call',
    transformer_id: 'http-request',
    attempt: 1,
    message: null,
    data: {},
    duration_ms: null,
    created_at: '2026-12-01T10:00:00Z',
  },
  {
    id: 2,
    job_id: jobId,
    organisation_id: testOrganisation.id,
    user_id: null,
    event_type: 'step_succeeded',
    step_id: 'call',
    transformer_id: 'http-request',
    attempt: 1,
    message: null,
    data: {
      input: { method: 'post', url: 'https://crm.test/leads', headers: { authorization: '••••' } },
      output: {
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: { company: 'Acme' },
      },
    },
    duration_ms: 120,
    created_at: '2026-12-01T10:00:01Z',
  },
];

const fetchMock = vi.fn<typeof fetch>();
let actionCalls: unknown[];
let currentRunFlow: Record<string, unknown> = runFlow;
let actionStatus: number;
/** The job's events as the caller may read them: none for a member who did not run it. */
let visibleEvents: unknown[];

beforeEach(() => {
  actionCalls = [];
  actionStatus = 200;
  visibleEvents = events;
  currentRunFlow = runFlow;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/functions/v1/flow-run-action') {
      actionCalls.push(JSON.parse(String(init?.body)));
      return actionStatus === 200
        ? Response.json(run)
        : Response.json(
            { error: { code: 'run_changed', message: 'The run is running at flow2' } },
            { status: actionStatus },
          );
    }
    if (url.pathname === '/rest/v1/flow_sequence_runs') return postgrestResponse(run);
    if (url.pathname === '/rest/v1/flow_sequence_run_flows')
      return postgrestResponse([currentRunFlow]);
    if (url.pathname === '/rest/v1/job_events') return postgrestResponse(visibleEvents);
    if (url.pathname === '/rest/v1/flow_sequences')
      return postgrestResponse({ name: 'Lead intake' });
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const user = userEvent.setup({ delay: null });
  renderWithProviders(<RunDetails runId={runId} memberName={() => 'Olivia Owner'} />);
  return { user };
}

describe('RunDetails', () => {
  it('shows a paused flow’s inputs with their sources, secrets masked, and its http exchange', async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: /Run of Lead intake/ });
    const inputs = screen.getByRole('table', { name: 'Inputs of flow1 attempt 1' });
    const rows = within(inputs)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    expect(rows).toEqual(['leadL-1hardcoded', 'token••••sequence parameter token']);
    expect(screen.getByRole('table', { name: 'Variables' })).toHaveTextContent(
      'crm_key••••environment staging · CRM_KEY',
    );
    expect(screen.getByLabelText('Request of call of flow1')).toHaveTextContent(
      'POST https://crm.test/leads',
    );
    expect(screen.getByLabelText('Response status of call of flow1')).toHaveTextContent('201');
    expect(
      JSON.parse(screen.getByLabelText('Request headers of call of flow1').textContent ?? ''),
    ).toEqual({
      authorization: '••••',
    });
    expect(screen.getByText('$.company exists')).toBeVisible();
    expect(document.body.textContent).not.toMatch(/secret-value/);
  });

  it('shows a teammate who cannot read the job’s events the steps recorded on the run flow', async () => {
    visibleEvents = [];
    currentRunFlow = {
      ...runFlow,
      steps: [
        {
          step_id: 'call',
          transformer_id: 'http-request',
          outcome: 'succeeded',
          attempt: 1,
          duration_ms: 120,
          input: events[1]!.data.input,
          output: events[1]!.data.output,
          at: '2026-12-01T10:00:01Z',
        },
      ],
    };
    setup();
    expect(await screen.findByLabelText('Request of call of flow1')).toHaveTextContent(
      'POST https://crm.test/leads',
    );
    expect(screen.getByLabelText('Response status of call of flow1')).toHaveTextContent('201');
  });

  it('continues the paused flow, and says so when the run changed meanwhile', async () => {
    const { user } = setup();
    const cont = await screen.findByRole('button', { name: 'Continue' });
    actionStatus = 409;
    await user.click(cont);
    await waitFor(() =>
      expect(actionCalls).toEqual([{ run_id: runId, action: 'continue', flow_id: 'flow1' }]),
    );
    expect(await screen.findByText('The run changed in the meantime')).toBeVisible();
  });

  it('re-runs the flow sending only the inputs changed, a secret kept', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Re-run this flow' }));
    const dialog = await screen.findByRole('dialog', { name: 'Re-run flow1' });
    const lead = within(dialog).getByLabelText('lead');
    expect(lead).toHaveValue('L-1');
    // The secret is not shown, not even masked in the field: empty means "unchanged".
    expect(within(dialog).getByLabelText('token')).toHaveValue('');
    await user.clear(lead);
    await user.type(lead, 'L-2');
    await user.click(within(dialog).getByRole('button', { name: 'Re-run flow1' }));
    await waitFor(() =>
      expect(actionCalls).toEqual([
        { run_id: runId, action: 'rerun', flow_id: 'flow1', inputs: { lead: 'L-2' } },
      ]),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('stops the run after asking', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Stop this run?' });
    await user.click(within(confirm).getByRole('button', { name: 'Stop the run' }));
    await waitFor(() => expect(actionCalls).toEqual([{ run_id: runId, action: 'stop' }]));
  });
});
