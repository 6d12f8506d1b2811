import { testOrganisation } from '@/testing/test-utils';
import type { TaskListItem } from '@/features/tasks/api/queries';

/** A task as the list query returns it, for tests. */
export function taskItem(overrides: Partial<TaskListItem> = {}): TaskListItem {
  return {
    id: '40000000-0000-4000-8000-000000000001',
    organisation_id: testOrganisation.id,
    restaurant_id: '20000000-0000-4000-8000-000000000003',
    name: 'Call Arjun',
    description: null,
    type: 'call',
    priority: 'medium',
    status: 'active',
    due_date: '2026-11-27T15:00:00Z',
    assigned_to: '10000000-0000-4000-8000-000000000002',
    message: null,
    subject: null,
    metadata: {},
    sequence_instance_id: null,
    sequence_step_order: null,
    completed_at: null,
    skipped_at: null,
    cancelled_at: null,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    automation_status: null,
    job_id: null,
    automation_error: null,
    automation_output: null,
    job: null,
    restaurant: { id: '20000000-0000-4000-8000-000000000003', name: 'Spice Route' },
    sequence_instance: null,
    ...overrides,
  };
}
