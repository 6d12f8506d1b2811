import type { JobListItem } from '../../api/queries';

export const ECHO_WORKFLOW_ID = '40000000-0000-4000-8000-000000000001';
export const ME = '10000000-0000-4000-8000-000000000001';

/** A completed one-step echo job of ME's, as the jobs list reads it. */
export const jobListItem = (overrides: Partial<JobListItem> = {}): JobListItem => ({
  id: '60000000-0000-4000-8000-000000000001',
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: ECHO_WORKFLOW_ID,
  workflow_version: 1,
  user_id: ME,
  status: 'completed',
  current_step_id: null,
  error_code: null,
  error_message: null,
  retry_count: 0,
  max_retries: 3,
  next_retry_at: null,
  started_at: '2026-11-22T09:00:01Z',
  completed_at: '2026-11-22T09:00:01.250Z',
  created_at: '2026-11-22T09:00:00Z',
  last_updated_at: '2026-11-22T09:00:01.250Z',
  trigger_id: null,
  sequence_task_id: null,
  flow_run_flow_id: null,
  ...overrides,
});
