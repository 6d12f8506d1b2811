import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { Job, JobEvent } from '../../api/queries';
import { JobDetails } from '../job-details';

const jobId = '60000000-0000-4000-8000-000000000001';
const workflowId = '40000000-0000-4000-8000-000000000001';
const userId = '10000000-0000-4000-8000-000000000001';

const baseJob: Job = {
  id: jobId,
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: workflowId,
  workflow_version: 2,
  user_id: userId,
  status: 'failed',
  input_data: { payload: 'hello' },
  step_data: {},
  current_step_id: 'step1',
  flow_run_flow_id: null,
  final_result: null,
  error_message: 'Upstream said no',
  error_code: 'upstream_error',
  retry_count: 1,
  max_retries: 1,
  next_retry_at: null,
  started_at: '2026-11-22T09:00:00.100Z',
  completed_at: '2026-11-22T09:00:02.000Z',
  created_at: '2026-11-22T09:00:00.000Z',
  last_updated_at: '2026-11-22T09:00:02.000Z',
  idempotency_key: null,
  available_at: '2026-11-22T09:00:00.000Z',
  locked_by: null,
  attempt: 2,
  rerun_of: null,
  sequence_task_id: null,
  trigger_id: null,
  trigger_firing_id: null,
};

const event = (id: number, overrides: Partial<JobEvent>): JobEvent => ({
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
  created_at: '2026-11-22T09:00:00.000Z',
  ...overrides,
});

const failedEvents: JobEvent[] = [
  event(1, { event_type: 'created', to_status: 'pending' }),
  event(2, {
    event_type: 'claimed',
    step_id: 'step1',
    transformer_id: 'echo-transformer',
    attempt: 1,
  }),
  event(3, {
    event_type: 'step_failed',
    step_id: 'step1',
    attempt: 1,
    duration_ms: 320,
    message: 'Upstream said no',
    data: {
      input: { data: 'hello' },
      error: { code: 'upstream_error', message: 'Upstream said no', retryable: true },
    },
  }),
  event(4, {
    event_type: 'retry_scheduled',
    step_id: 'step1',
    attempt: 1,
    message: 'retry 1 of 1',
  }),
  event(5, { event_type: 'claimed', step_id: 'step1', attempt: 2 }),
  event(6, {
    event_type: 'step_failed',
    step_id: 'step1',
    attempt: 2,
    duration_ms: 280,
    data: { input: { data: 'hello' }, error: { code: 'upstream_error', message: 'Again' } },
  }),
  event(7, { event_type: 'failed', step_id: 'step1', message: 'Upstream said no' }),
];

const fetchMock = vi.fn<typeof fetch>();
let job: Job;
let events: JobEvent[];
let rpcCalls: { name: string; body: unknown }[];
let cancelRefused: boolean;

beforeEach(() => {
  job = baseJob;
  events = failedEvents;
  rpcCalls = [];
  cancelRefused = true;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      const name = url.pathname.slice('/rest/v1/rpc/'.length);
      // The pending job's queue note (job-queue-wait.tsx): not an action on the job.
      if (name === 'workflow_queue_wait') return postgrestResponse([]);
      if (name === 'jobs_ahead') return postgrestResponse(0);
      rpcCalls.push({ name, body: JSON.parse(String(init?.body)) });
      if (name === 'retry_job') job = { ...job, status: 'pending', completed_at: null };
      if (name === 'cancel_job' && !cancelRefused) {
        job = { ...job, status: 'cancelled' };
      } else if (name === 'cancel_job') {
        return postgrestResponse(
          { code: 'job_finished', message: 'the job is already completed' },
          { status: 409 },
        );
      }
      return postgrestResponse({ job_id: jobId, status: job.status });
    }
    if (url.pathname === '/rest/v1/jobs') return postgrestResponse(job);
    if (url.pathname === '/rest/v1/job_events') return postgrestResponse(events);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const user = userEvent.setup();
  renderWithProviders(
    <JobDetails
      id={jobId}
      workflowName={(id) => (id === workflowId ? 'Echo example' : undefined)}
      memberName={() => 'Olivia Owner'}
    />,
  );
  return { user };
}

describe('JobDetails', () => {
  it('shows the failure, each step’s attempts, input and error, and the timeline', async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: /Echo example/ });
    expect(screen.getByRole('alert', { name: 'Job error' })).toHaveTextContent(
      'The job failedupstream_errorUpstream said no',
    );
    const steps = within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('listitem');
    expect(steps).toHaveLength(1);
    expect(steps[0]).toHaveTextContent('step1echo-transformerFailed2 attempts · 280 ms');
    expect(JSON.parse(screen.getByLabelText('Input of step1').textContent ?? '')).toEqual({
      data: 'hello',
    });
    expect(JSON.parse(screen.getByLabelText('Error of step1').textContent ?? '')).toEqual({
      code: 'upstream_error',
      message: 'Again',
    });
    const timeline = within(screen.getByRole('list', { name: 'Timeline' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent?.replace(/\d\d:\d\d:\d\d\.\d{3}[\s\S]*$/, '').trim());
    expect(timeline).toEqual([
      'Created',
      'Step startedstep1attempt 1',
      'Step failedstep1attempt 1320 ms',
      'Retry scheduledstep1attempt 1',
      'Step startedstep1attempt 2',
      'Step failedstep1attempt 2280 ms',
      'Failedstep1',
    ]);
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  it('retries from the failed step and keeps polling while the job runs again', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Retry from failed step' }));
    await waitFor(() =>
      expect(rpcCalls).toEqual([{ name: 'retry_job', body: { p_job_id: jobId } }]),
    );
    expect(await screen.findByText('Updating live while the job runs')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeInTheDocument();
  });

  it('asks before cancelling, and explains a refusal', async () => {
    job = {
      ...baseJob,
      status: 'running',
      completed_at: null,
      error_message: null,
      error_code: null,
    };
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Cancel this job?' });
    await user.click(within(confirm).getByRole('button', { name: 'Keep it running' }));
    expect(rpcCalls).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Cancel job' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Cancel this job?' })).getByRole('button', {
        name: 'Cancel job',
      }),
    );
    await waitFor(() =>
      expect(rpcCalls).toEqual([{ name: 'cancel_job', body: { p_job_id: jobId } }]),
    );
    expect(await screen.findByText("Couldn't cancel the job")).toBeInTheDocument();
    expect(
      screen.getByText('The job is already completed. The page now shows its current state.'),
    ).toBeInTheDocument();
  });

  it('offers to resume a cancelled job from the step it reached', async () => {
    cancelRefused = false;
    const running = {
      ...baseJob,
      status: 'running',
      completed_at: null,
      error_message: null,
      error_code: null,
    };
    job = running;
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Cancel this job?' });
    expect(confirm).toHaveTextContent('You can resume it later from the step it reached.');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel job' }));
    expect(await screen.findByText('Job cancelled')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Resume from where it stopped' }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() =>
      expect(rpcCalls).toEqual([
        { name: 'cancel_job', body: { p_job_id: jobId } },
        { name: 'retry_job', body: { p_job_id: jobId } },
      ]),
    );
  });

  it('says cancelling a job that never started is final', async () => {
    cancelRefused = false;
    job = {
      ...baseJob,
      status: 'pending',
      started_at: null,
      completed_at: null,
      error_message: null,
      error_code: null,
    };
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Cancel this job?' });
    expect(confirm).toHaveTextContent('It hasn’t started yet, so it never runs');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel job' }));
    expect(await screen.findByText('Job cancelled')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Resume from/ })).not.toBeInTheDocument();
  });

  it('shows a step in progress as running, with the previous attempt’s error', async () => {
    job = {
      ...baseJob,
      status: 'running',
      completed_at: null,
      error_message: null,
      error_code: null,
    };
    events = failedEvents.slice(0, 5);
    setup();
    const step = within(await screen.findByRole('list', { name: 'Steps' })).getByRole('listitem');
    expect(step).toHaveTextContent('step1echo-transformerRunning2 attempts');
    expect(step).toHaveTextContent('Its input and output show here when it finishes.');
    expect(
      JSON.parse(
        within(step).getByLabelText('Error of the previous attempt of step1').textContent ?? '',
      ),
    ).toMatchObject({ code: 'upstream_error' });
  });

  it('shows the step a cancelled job left unfinished as stopped, not running', async () => {
    job = {
      ...baseJob,
      status: 'cancelled',
      error_message: null,
      error_code: null,
    };
    events = [...failedEvents.slice(0, 2), event(3, { event_type: 'cancelled', step_id: 'step1' })];
    setup();
    const step = within(await screen.findByRole('list', { name: 'Steps' })).getByRole('listitem');
    expect(step).toHaveTextContent('step1echo-transformerStopped1 attempt');
    expect(step).toHaveTextContent('The job stopped before this step finished');
    expect(within(step).queryByText('Running')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Resume from where it stopped' }),
    ).toBeInTheDocument();
  });

  it('tells a screen reader when a job watched live finishes', async () => {
    job = {
      ...baseJob,
      status: 'running',
      completed_at: null,
      error_message: null,
      error_code: null,
    };
    setup();
    expect(await screen.findByText('Updating live while the job runs')).toBeInTheDocument();
    job = { ...baseJob, status: 'completed', error_message: null, error_code: null };
    expect(
      await screen.findByText('The job is completed.', {}, { timeout: 2500 }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Updating live while the job runs')).not.toBeInTheDocument();
  });

  it('says so when the job is not visible', async () => {
    fetchMock.mockImplementation(async () => postgrestResponse([]));
    setup();
    expect(await screen.findByText('Job not found')).toBeInTheDocument();
  });
});
