import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { Job, JobEvent } from '../../api/queries';
import { lastAttempt } from '../../utils/format';
import { JobDetails } from '../job-details';
import { refusedHost } from '../job-rerun';

// Issue 12 §9/§10 on the job page: re-run with edited input as the main action of a
// non-retryable failure, the Connections link, last-attempt durations, "Re-run of", and the
// "waiting for a worker" note.

const jobId = '60000000-0000-4000-8000-000000000001';
const sourceId = '60000000-0000-4000-8000-0000000000aa';
const workflowId = '40000000-0000-4000-8000-000000000001';
const userId = '10000000-0000-4000-8000-000000000001';

const baseJob: Job = {
  id: jobId,
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: workflowId,
  workflow_version: 1,
  user_id: userId,
  status: 'failed',
  input_data: { url: 'https://api.crm.com/hook', lead: 'Ada' },
  step_data: {},
  current_step_id: 'post',
  flow_run_flow_id: null,
  final_result: null,
  error_message:
    "api.crm.com is not one of this organisation's connections: add it in Settings → Connections",
  error_code: 'host_not_allowed',
  retry_count: 0,
  max_retries: 3,
  next_retry_at: null,
  started_at: '2026-11-22T09:00:00.000Z',
  completed_at: '2026-11-22T09:00:09.800Z',
  created_at: '2026-11-22T09:00:00.000Z',
  last_updated_at: '2026-11-22T09:00:09.800Z',
  idempotency_key: null,
  available_at: '2026-11-22T09:00:00.000Z',
  locked_by: null,
  attempt: 1,
  rerun_of: null,
  sequence_task_id: null,
  trigger_id: null,
  trigger_firing_id: null,
};

const event = (id: number, at: string, overrides: Partial<JobEvent>): JobEvent => ({
  id,
  organisation_id: baseJob.organisation_id,
  job_id: jobId,
  user_id: userId,
  event_type: 'created',
  step_id: null,
  transformer_id: null,
  attempt: null,
  from_status: null,
  to_status: null,
  duration_ms: null,
  message: null,
  data: {},
  created_at: at,
  ...overrides,
});

const at = (seconds: number) =>
  new Date(Date.parse(baseJob.created_at) + seconds * 1000).toISOString();

/** Claimed at 0 s, failed; retried at 8.6 s, failed for good at 9.8 s (reason given). */
const eventsFailing = (reason: string): JobEvent[] => [
  event(1, at(0), { event_type: 'created', to_status: 'pending' }),
  event(2, at(0), { event_type: 'claimed', from_status: 'pending', step_id: 'post' }),
  event(3, at(0.5), { event_type: 'step_failed', step_id: 'post', duration_ms: 500 }),
  event(4, at(0.5), { event_type: 'retry_scheduled', step_id: 'post' }),
  event(5, at(8.6), { event_type: 'claimed', from_status: 'awaiting_retry', step_id: 'post' }),
  event(6, at(9.8), { event_type: 'step_failed', step_id: 'post', duration_ms: 1200 }),
  event(7, at(9.8), { event_type: 'failed', step_id: 'post', data: { reason } }),
];

const fetchMock = vi.fn<typeof fetch>();
let job: Job;
let events: JobEvent[];
let queueWait: { workflow_id: string; jobs: number; p50_ms: number; p95_ms: number }[];
let ahead: number | null;

beforeEach(() => {
  job = baseJob;
  events = eventsFailing('non_retryable');
  queueWait = [];
  ahead = null;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/rpc/workflow_queue_wait') return postgrestResponse(queueWait);
    if (url.pathname === '/rest/v1/rpc/jobs_ahead') return postgrestResponse(ahead);
    if (url.pathname === '/rest/v1/jobs') return postgrestResponse(job);
    if (url.pathname === '/rest/v1/job_events') return postgrestResponse(events);
    if (url.pathname === '/rest/v1/workflow_versions')
      return postgrestResponse([{ inputs: [{ name: 'lead', type: 'string' }] }]);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const user = userEvent.setup();
  const rerun = vi.fn();
  renderWithProviders(
    <JobDetails
      id={jobId}
      workflowName={() => 'CRM webhook'}
      memberName={() => 'Olivia Owner'}
      renderRerun={({ job: source, onClose }) => {
        rerun(source.id);
        return (
          <div role="dialog" aria-label="Re-run">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        );
      }}
    />,
  );
  return { user, rerun };
}

const headerButtons = () =>
  screen
    .getAllByRole('button')
    .map((button) => button.textContent?.trim())
    .filter((name) => name === 'Re-run with edited input' || name === 'Retry from failed step');

describe('JobDetails: re-run and failures', () => {
  it('makes re-run the main action of a non-retryable failure; retry stays, second', async () => {
    const { user, rerun } = setup();
    await screen.findByRole('heading', { level: 1, name: /CRM webhook/ });
    expect(headerButtons()).toEqual(['Re-run with edited input', 'Retry from failed step']);
    await user.click(screen.getByRole('button', { name: 'Re-run with edited input' }));
    expect(screen.getByRole('dialog', { name: 'Re-run' })).toBeInTheDocument();
    expect(rerun).toHaveBeenCalledWith(jobId);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog', { name: 'Re-run' })).not.toBeInTheDocument();
  });

  it('keeps retry first when the retries ran out (a later retry may work)', async () => {
    job = { ...baseJob, error_code: 'upstream_error', error_message: 'Upstream said no' };
    events = eventsFailing('retries_exhausted');
    setup();
    await screen.findByRole('heading', { level: 1, name: /CRM webhook/ });
    expect(headerButtons()).toEqual(['Retry from failed step', 'Re-run with edited input']);
  });

  it('offers re-run on a completed job (no retry there)', async () => {
    job = { ...baseJob, status: 'completed', error_code: null, error_message: null };
    setup();
    expect(
      await screen.findByRole('button', { name: 'Re-run with edited input' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry from failed step' })).toBeNull();
  });

  it('links a refused host to Settings → Connections, naming it', async () => {
    setup();
    const alert = await screen.findByRole('alert', { name: 'Job error' });
    const link = within(alert).getByRole('link', {
      name: 'Add api.crm.com in Settings → Connections',
    });
    expect(link).toHaveAttribute('href', '/settings/connections');
  });

  it("shows the last attempt's duration with the total beside it", async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: /CRM webhook/ });
    expect(screen.getByText('1.2 s (last attempt) · 9.8 s total')).toBeInTheDocument();
  });

  it('links the job a re-run came from, and shows the input in its declared order', async () => {
    job = {
      ...baseJob,
      status: 'completed',
      error_code: null,
      error_message: null,
      rerun_of: sourceId,
    };
    setup();
    const link = await screen.findByRole('link', { name: '60000000' });
    expect(link).toHaveAttribute('href', `/jobs/${sourceId}`);
    expect(screen.getByText('Re-run of')).toBeInTheDocument();
    // jsonb gave { url, lead }; the version declares lead, so lead comes first.
    await waitFor(() =>
      expect(
        Object.keys(JSON.parse(screen.getByLabelText('Job input JSON').textContent ?? '{}')),
      ).toEqual(['lead', 'url']),
    );
  });
});

describe('JobDetails: a pending job waiting longer than usual', () => {
  const pending = (waitedSeconds: number): Job => ({
    ...baseJob,
    status: 'pending',
    started_at: null,
    completed_at: null,
    error_code: null,
    error_message: null,
    created_at: new Date(Date.now() - waitedSeconds * 1000).toISOString(),
  });

  it('says how many jobs are ahead once the wait passes the p95', async () => {
    job = pending(60);
    events = [event(1, job.created_at, { event_type: 'created', to_status: 'pending' })];
    queueWait = [{ workflow_id: workflowId, jobs: 20, p50_ms: 800, p95_ms: 2_000 }];
    ahead = 3;
    setup();
    const note = await screen.findByRole('region', { name: 'Queue' });
    await waitFor(() => expect(note).toHaveTextContent('Waiting for a worker: 3 jobs ahead'));
    expect(note).toHaveTextContent('usually start within 2.0 s');
  });

  it('says nothing while the wait is usual (10 s when no figure)', async () => {
    job = pending(2);
    events = [event(1, job.created_at, { event_type: 'created', to_status: 'pending' })];
    setup();
    await screen.findByRole('heading', { level: 1, name: /CRM webhook/ });
    // Give the p95 query time to answer before looking.
    await waitFor(() =>
      expect(
        fetchMock.mock.calls.some(([input]) => String(input).includes('workflow_queue_wait')),
      ).toBe(true),
    );
    expect(screen.queryByRole('region', { name: 'Queue' })).toBeNull();
    expect(fetchMock.mock.calls.some(([input]) => String(input).includes('jobs_ahead'))).toBe(
      false,
    );
  });
});

describe('lastAttempt', () => {
  it('counts attempts from claims out of pending or awaiting_retry, and from hand retries', () => {
    expect(lastAttempt(baseJob, eventsFailing('non_retryable'))).toEqual({ ms: 1200, attempts: 2 });
    const byHand = [
      ...eventsFailing('retries_exhausted'),
      event(8, at(60), { event_type: 'retried', step_id: 'post' }),
      event(9, at(61), { event_type: 'claimed', from_status: 'running', step_id: 'post' }),
    ];
    expect(
      lastAttempt({ status: 'running', completed_at: null }, byHand, Date.parse(at(63))),
    ).toEqual({
      ms: 2000,
      attempts: 3,
    });
    expect(lastAttempt({ status: 'pending', completed_at: null }, [])).toBeNull();
  });

  it('ends an attempt awaiting its retry where the retry was scheduled', () => {
    const waiting = eventsFailing('x').slice(0, 4);
    expect(
      lastAttempt({ status: 'awaiting_retry', completed_at: null }, waiting, Date.parse(at(5))),
    ).toEqual({
      ms: 500,
      attempts: 1,
    });
  });
});

describe('refusedHost', () => {
  it('reads the host from both of the executor’s messages', () => {
    expect(refusedHost(baseJob.error_message)).toBe('api.crm.com');
    expect(refusedHost('The host x.example.com is not allowed: add it to …')).toBe('x.example.com');
    expect(refusedHost(null)).toBeNull();
  });
});
