import type { TriggerFiring, WorkflowTrigger } from '../../api/queries';

export const WORKFLOW_ID = '40000000-0000-4000-8000-000000000001';
export const ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';
export const ME = '10000000-0000-4000-8000-000000000001';

export const trigger = (overrides: Partial<WorkflowTrigger> = {}): WorkflowTrigger => ({
  id: '70000000-0000-4000-8000-000000000001',
  organisation_id: ORGANISATION_ID,
  workflow_id: WORKFLOW_ID,
  kind: 'schedule',
  name: 'Weekday morning',
  enabled: true,
  cron: '0 9 * * 1-5',
  timezone: null,
  next_fire_at: null,
  event_type: null,
  event_filter: null,
  input: {},
  run_as: ME,
  created_by: ME,
  last_fired_at: null,
  created_at: '2026-11-22T09:00:00Z',
  updated_at: '2026-11-22T09:00:00Z',
  firings: [],
  ...overrides,
});

export const firing = (overrides: Partial<TriggerFiring> = {}): TriggerFiring => ({
  id: '71000000-0000-4000-8000-000000000001',
  organisation_id: ORGANISATION_ID,
  trigger_id: '70000000-0000-4000-8000-000000000001',
  dedupe_key: 'tick:2026-12-04T09:00:00.000Z',
  status: 'started',
  job_id: '60000000-0000-4000-8000-000000000001',
  error: null,
  details: {},
  fired_at: '2026-12-04T09:00:00.200Z',
  ...overrides,
});
