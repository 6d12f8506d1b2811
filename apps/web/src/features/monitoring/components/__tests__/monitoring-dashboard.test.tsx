import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { MonitoringDashboard } from '../monitoring-dashboard';

const fetchMock = vi.fn<typeof fetch>();
let statsResponse: () => Response;
let rpcBodies: Record<string, unknown>[];

const bucket = (start: string, overrides: Record<string, unknown> = {}) => ({
  bucket_start: start,
  bucket_end: start,
  created: 0,
  started: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  retries: 0,
  failure_rate: null,
  avg_duration_ms: null,
  p95_duration_ms: null,
  queue_depth: 0,
  ...overrides,
});

const health = {
  generated_at: '2026-11-22T10:00:00Z',
  since: '2026-11-22T09:00:00Z',
  queue: {
    due: 2,
    pending: 1,
    running: 1,
    awaiting_retry: 1,
    oldest_due_age_seconds: 4.5,
    next_retry_at: null,
  },
  workflows: [
    {
      workflow_id: 'w1',
      key: 'echo-example',
      name: 'Echo example',
      finished: 4,
      completed: 3,
      failed: 1,
      cancelled: 0,
      completion_rate: 0.75,
      failure_rate: 0.25,
      avg_duration_ms: 20,
      p95_duration_ms: 40,
      in_queue: 3,
    },
  ],
  transformers: [],
};

beforeEach(() => {
  rpcBodies = [];
  statsResponse = () =>
    postgrestResponse([
      bucket('2026-11-22T09:00:00Z', {
        completed: 3,
        failed: 1,
        retries: 2,
        failure_rate: 0.25,
        avg_duration_ms: 20,
        p95_duration_ms: 40,
        queue_depth: 1,
      }),
      bucket('2026-11-22T09:05:00Z', {
        completed: 1,
        avg_duration_ms: 60,
        p95_duration_ms: 60,
        queue_depth: 3,
      }),
    ]);
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/rpc/workflow_stats') {
      rpcBodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return statsResponse();
    }
    if (url.pathname === '/rest/v1/rpc/workflow_health') return postgrestResponse(health);
    if (url.pathname === '/rest/v1/rpc/workflow_queue_wait')
      return postgrestResponse([{ workflow_id: 'w1', jobs: 4, p50_ms: 800, p95_ms: 2500 }]);
    if (url.pathname === '/rest/v1/rpc/function_latency_stats')
      return postgrestResponse([{ function_name: 'start-workflow', p50_ms: 12, p95_ms: 90 }]);
    if (url.pathname === '/rest/v1/jobs') return postgrestResponse([]);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

const tile = (label: string) => screen.getByText(label, { selector: 'dt' }).parentElement;

describe('MonitoringDashboard', () => {
  it('shows the organisation’s figures from workflow_stats and workflow_health', async () => {
    const onRangeChange = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <MonitoringDashboard range="1h" onRangeChange={onRangeChange} canSeeAllJobs={false} />,
    );
    await screen.findByText('Completed', { selector: 'dt' });
    expect(rpcBodies[0]).toMatchObject({ p_bucket: '300 seconds' });
    expect(tile('Completed')).toHaveTextContent('4');
    expect(tile('Failed')).toHaveTextContent('1');
    expect(tile('Failure rate')).toHaveTextContent('20%');
    // Weighted by completed jobs: (3 × 20 + 1 × 60) / 4.
    expect(tile('Average duration')).toHaveTextContent('30 ms');
    expect(tile('p95 duration')).toHaveTextContent('60 msHighest of any 5 min');
    expect(await screen.findByText('Oldest due for 4.5 s')).toBeInTheDocument();
    expect(tile('In the queue now')).toHaveTextContent('3');
    expect(tile('Retries scheduled')).toHaveTextContent('2');
    // Organisation-wide figures even for a member: the RPC aggregates for every member.
    expect(
      screen.getByText(/^Every job in the organisation · last hour, per 5 min/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Throughput: latest Completed 1, Failed 0/ }),
    ).toBeInTheDocument();
    const byWorkflow = screen.getByRole('table', { name: 'By workflow' });
    expect(within(byWorkflow).getByRole('row', { name: /Echo example/ })).toHaveTextContent(
      // … p95 duration, then queue wait p50 / p95 (workflow_queue_wait), then in queue.
      'Echo example4125%20 ms40 ms800 ms2.5 s3',
    );
    // Scrolls sideways on a phone: a named, focusable region so the keyboard can scroll it.
    expect(screen.getByRole('region', { name: 'By workflow' })).toHaveAttribute('tabindex', '0');
    // The API's response times, per function, below the job figures.
    const api = await screen.findByRole('table', { name: 'API response times · last hour' });
    expect(within(api).getByRole('row', { name: /start-workflow/ })).toHaveTextContent(
      'start-workflow12 ms90 ms',
    );

    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    expect(onRangeChange).toHaveBeenCalledWith('7d');
  });

  it('narrows the figures to one workflow', async () => {
    const onWorkflowChange = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <MonitoringDashboard
        range="24h"
        onRangeChange={vi.fn()}
        canSeeAllJobs
        workflows={[{ id: 'w1', name: 'Echo example' }]}
        workflowId="w1"
        onWorkflowChange={onWorkflowChange}
      />,
    );
    await screen.findByText('Completed', { selector: 'dt' });
    expect(rpcBodies[0]).toMatchObject({ p_workflow_id: 'w1', p_bucket: '3600 seconds' });
    expect(
      screen.getByText(/^Echo example: every job in the organisation · last 24 hours/),
    ).toBeInTheDocument();
    // The per-workflow and per-transformer tables are organisation-wide: not shown here.
    expect(screen.queryByRole('table', { name: 'By workflow' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'API response times' })).not.toBeInTheDocument();
    expect(tile('In the queue now')).toHaveTextContent('3');
    await user.selectOptions(screen.getByLabelText('Workflow'), 'All workflows');
    expect(onWorkflowChange).toHaveBeenCalledWith(null);
  });

  it('falls back to counting the caller’s jobs where the RPC is missing', async () => {
    statsResponse = () =>
      postgrestResponse(
        { code: 'PGRST202', message: 'Could not find the function public.workflow_stats' },
        { status: 404 },
      );
    renderWithProviders(
      <MonitoringDashboard range="24h" onRangeChange={vi.fn()} canSeeAllJobs={false} />,
    );
    expect(await screen.findByText('No jobs in this range')).toBeInTheDocument();
    expect(screen.getByText(/^Your jobs · last 24 hours, per 1 h/)).toBeInTheDocument();
    // No jobs does not hide the API's response times: they are not the organisation's jobs.
    expect(
      await screen.findByRole('table', { name: 'API response times · last 24 hours' }),
    ).toBeInTheDocument();
  });
});
