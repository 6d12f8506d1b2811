import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { taskItem } from '@/testing/task-fixtures';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { TaskListItem } from '../../api/queries';
import { useTaskActions } from '../../hooks/use-task-actions';
import { AUTOMATION_POLL_MS, automationPollInterval } from '../../utils/automation';
import { TaskCard } from '../task-card';

// An automated sequence task on its card (issue 14 §1): each state says what is happening;
// one that needs attention offers Retry (retry_automated_task), Complete by hand and Skip;
// completing one whose job runs asks first, because it cancels the job.

const JOB_ID = '60000000-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-27T09:00:00Z');

const automated = (overrides: Partial<TaskListItem> = {}) =>
  taskItem({
    name: 'Enrich lead',
    type: 'automated',
    sequence_instance_id: '50000000-0000-4000-8000-000000000001',
    sequence_step_order: 2,
    sequence_instance: {
      id: '50000000-0000-4000-8000-000000000001',
      name: 'Onboarding – Spice Route',
      status: 'active',
      total_steps: 3,
      current_step_order: 2,
    },
    automation_status: 'waiting',
    ...overrides,
  });

const fetchMock = vi.fn<typeof fetch>();
const calls = () =>
  fetchMock.mock.calls.map(([input]) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return url.pathname;
  });

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/rpc/retry_automated_task') {
      return postgrestResponse({
        task: {
          id: '40000000-0000-4000-8000-000000000001',
          name: 'Enrich lead',
          status: 'active',
          automation_status: 'running',
        },
        next_task: null,
        instance: null,
        warnings: [],
      });
    }
    if (url.pathname === '/rest/v1/rpc/complete_task') {
      return postgrestResponse({
        task: { id: 't', name: 'Enrich lead', status: 'completed' },
        next_task: null,
        instance: null,
        warnings: [],
      });
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function ActionsCard({ task }: { task: TaskListItem }) {
  const actions = useTaskActions({ timeZone: 'Europe/London' });
  return (
    <TaskCard
      task={task}
      timeZone="Europe/London"
      now={NOW}
      onComplete={actions.onComplete}
      onSkip={actions.onSkip}
    />
  );
}

function renderCard(task: TaskListItem) {
  const user = userEvent.setup();
  renderWithProviders(<ActionsCard task={task} />);
  const card = screen.getByRole('article', { name: /Enrich lead/ });
  return { user, card };
}

describe('automated task card', () => {
  it('a waiting task says when it runs', () => {
    const { card } = renderCard(automated({ due_date: '2026-11-27T15:00:00Z' }));
    expect(within(card).getByText(/Runs/)).toHaveTextContent('Runs Fri 27 Nov 15:00');
  });

  it('a running task names its workflow and links to its job', () => {
    const { card } = renderCard(
      automated({
        automation_status: 'running',
        job_id: JOB_ID,
        job: { id: JOB_ID, status: 'running', workflow: { name: 'Lead enrichment' } },
      }),
    );
    expect(within(card).getByText('Running Lead enrichment')).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'View the job' })).toHaveAttribute(
      'href',
      `/jobs/${JOB_ID}`,
    );
    // Nothing to snooze while a job runs.
    expect(within(card).queryByRole('button', { name: /Snooze/ })).not.toBeInTheDocument();
  });

  it('needs attention: the error in words, and retry runs it again', async () => {
    const { user, card } = renderCard(
      automated({
        automation_status: 'needs_attention',
        job_id: JOB_ID,
        automation_error: {
          code: 'step_failed',
          message: 'The workflow failed at step fetch: the CRM answered 503.',
        },
        job: { id: JOB_ID, status: 'failed', workflow: { name: 'Lead enrichment' } },
      }),
    );
    expect(within(card).getByText(/Needs attention/).parentElement).toHaveTextContent(
      'Needs attention: The workflow failed at step fetch: the CRM answered 503.',
    );
    expect(
      within(card).getByRole('button', { name: 'Complete by hand Enrich lead' }),
    ).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Skip Enrich lead' })).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Retry Enrich lead' }));
    await waitFor(() => expect(calls()).toContain('/rest/v1/rpc/retry_automated_task'));
    const retryCall = fetchMock.mock.calls.find(([input]) =>
      String(input instanceof Request ? input.url : input).includes('retry_automated_task'),
    );
    const init = retryCall?.[1];
    expect(JSON.parse(String(init?.body))).toEqual({
      p_task_id: '40000000-0000-4000-8000-000000000001',
    });
    expect(await screen.findByText('Running it again')).toBeInTheDocument();
  });

  it('completing by hand while the job runs asks first, and nothing happens on "Let it run"', async () => {
    const { user, card } = renderCard(
      automated({
        automation_status: 'running',
        job_id: JOB_ID,
        job: { id: JOB_ID, status: 'running', workflow: { name: 'Lead enrichment' } },
      }),
    );
    await user.click(within(card).getByRole('button', { name: 'Complete Enrich lead' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Complete it by hand and cancel the job?',
    });
    expect(dialog).toHaveTextContent('Lead enrichment is running for this step');
    await user.click(within(dialog).getByRole('button', { name: 'Let it run' }));
    expect(calls()).not.toContain('/rest/v1/rpc/complete_task');

    await user.click(within(card).getByRole('button', { name: 'Complete Enrich lead' }));
    await user.click(
      within(
        await screen.findByRole('alertdialog', { name: 'Complete it by hand and cancel the job?' }),
      ).getByRole('button', { name: 'Cancel the job and complete' }),
    );
    await waitFor(() => expect(calls()).toContain('/rest/v1/rpc/complete_task'));
  });

  it('a done task shows what its job returned', () => {
    const { card } = renderCard(
      automated({
        status: 'completed',
        completed_at: '2026-11-27T08:59:00Z',
        automation_status: 'done',
        job_id: JOB_ID,
        automation_output: { result: 'Spice Route', score: 72, tags: ['a', 'b'], extra: null },
        job: { id: JOB_ID, status: 'completed', workflow: { name: 'Lead enrichment' } },
      }),
    );
    expect(within(card).getByText('Done by Lead enrichment')).toBeInTheDocument();
    expect(
      within(within(card).getByRole('list', { name: 'Output' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['result: Spice Route', 'score: 72', 'tags: 2 items', 'and 1 more']);
  });
});

describe('automationPollInterval', () => {
  const now = NOW.getTime();
  it.each([
    ['nothing automated', [taskItem()], false],
    ['a running job', [automated({ automation_status: 'running' })], AUTOMATION_POLL_MS],
    [
      'a waiting task due in 10 minutes',
      [automated({ due_date: new Date(now + 600_000).toISOString() })],
      600_000,
    ],
    [
      'a waiting task just due',
      [automated({ due_date: new Date(now - 1_000).toISOString() })],
      AUTOMATION_POLL_MS,
    ],
    [
      'a waiting task late by five minutes (the orchestrator is behind)',
      [automated({ due_date: new Date(now - 300_000).toISOString() })],
      15_000,
    ],
    [
      'a waiting task of a paused sequence',
      [
        automated({
          due_date: new Date(now - 1_000).toISOString(),
          sequence_instance: {
            id: 'i',
            name: 'x',
            status: 'paused',
            total_steps: 3,
            current_step_order: 2,
          },
        }),
      ],
      false,
    ],
    ['a task that needs attention', [automated({ automation_status: 'needs_attention' })], false],
  ])('%s', (_, tasks, expected) => {
    expect(automationPollInterval(tasks, now)).toBe(expected);
  });
});
