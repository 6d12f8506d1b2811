import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { JobListItem, JobQuery } from '../../api/queries';
import { JobsList } from '../jobs-list';
import { ECHO_WORKFLOW_ID, ME, jobListItem } from './job-fixtures';

// The Jobs list's selection and bulk bar (issue 12 §7/§9): retry the selected failed jobs,
// delete the selected ones, delete every finished job matching the filters — each delete
// confirmed with its count.

const id = (n: number) => `60000000-0000-4000-8000-00000000000${n}`;
const rows: JobListItem[] = [
  jobListItem({ id: id(1), status: 'failed', error_message: 'boom' }),
  jobListItem({ id: id(2), status: 'completed' }),
  jobListItem({ id: id(3), status: 'running', completed_at: null }),
];

const fetchMock = vi.fn<typeof fetch>();
let calls: { name: string; body: unknown }[];

beforeEach(() => {
  calls = [];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      const name = url.pathname.slice('/rest/v1/rpc/'.length);
      const body: unknown = JSON.parse(String(init?.body));
      calls.push({ name, body });
      if (name === 'retry_job') return postgrestResponse({ job_id: id(1), status: 'pending' });
      if (name === 'delete_jobs') return postgrestResponse(2);
      if (name === 'count_finished_jobs') return postgrestResponse(42);
      if (name === 'delete_finished_jobs') return postgrestResponse(42);
    }
    if (url.pathname === '/rest/v1/jobs') return postgrestResponse(rows);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

const query: JobQuery = {
  status: undefined,
  workflowId: ECHO_WORKFLOW_ID,
  createdFrom: '2026-11-20T00:00:00.000Z',
  createdBefore: undefined,
  userId: ME,
};

function setup() {
  const user = userEvent.setup();
  renderWithProviders(
    <JobsList
      query={query}
      hasFilters
      onClearFilters={() => {}}
      workflowName={() => 'Echo example'}
      memberName={() => 'Olivia Owner'}
      showOwner={false}
    />,
  );
  return { user };
}

const bar = () => screen.getByRole('toolbar', { name: 'Bulk actions' });

describe('jobs list selection and bulk actions', () => {
  it('selects rows by click and keyboard, and all shown at once', async () => {
    const { user } = setup();
    const [first] = await screen.findAllByRole('checkbox', {
      name: /Select Echo example job 60000000/,
    });
    expect(within(bar()).getByText('No job selected')).toBeInTheDocument();
    expect(within(bar()).queryByRole('button', { name: /Retry selected/ })).toBeNull();

    await user.click(first!);
    expect(within(bar()).getByText('1 job selected')).toBeInTheDocument();
    const all = screen.getByRole('checkbox', { name: 'Select all 3 shown' });
    expect((all as HTMLInputElement).indeterminate).toBe(true);

    // Keyboard: Tab past the row's link to the next row's box, Space ticks it.
    await user.tab();
    await user.tab();
    expect(screen.getAllByRole('checkbox')[2]).toHaveFocus();
    await user.keyboard(' ');
    expect(within(bar()).getByText('2 jobs selected')).toBeInTheDocument();

    await user.click(all);
    expect(within(bar()).getByText('3 jobs selected')).toBeInTheDocument();
    expect(all).toBeChecked();
    await user.click(all);
    expect(within(bar()).getByText('No job selected')).toBeInTheDocument();
  });

  it('retries the failed ones among the selected and says what it skipped', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Select all 3 shown' }));
    await user.click(within(bar()).getByRole('button', { name: 'Retry selected' }));
    expect(await screen.findByText('1 job re-queued, 2 skipped (not failed).')).toBeInTheDocument();
    expect(calls).toEqual([{ name: 'retry_job', body: { p_job_id: id(1) } }]);
    expect(within(bar()).getByText('No job selected')).toBeInTheDocument();
  });

  it('deletes the selected finished jobs after a confirmation stating the count', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Select all 3 shown' }));
    await user.click(within(bar()).getByRole('button', { name: 'Delete selected' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete 2 jobs?' });
    expect(dialog).toHaveTextContent('1 selected job still in the queue is left alone.');
    // Cancel changes nothing.
    await user.click(within(dialog).getByRole('button', { name: 'Keep them' }));
    expect(calls).toEqual([]);

    await user.click(within(bar()).getByRole('button', { name: 'Delete selected' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Delete 2 jobs?' })).getByRole('button', {
        name: 'Delete 2 jobs',
      }),
    );
    await waitFor(() =>
      expect(calls).toEqual([{ name: 'delete_jobs', body: { p_job_ids: [id(1), id(2)] } }]),
    );
    expect(await screen.findByText('2 jobs deleted')).toBeInTheDocument();
    expect(
      screen.getByText('1 skipped: still running, or not yours to delete.'),
    ).toBeInTheDocument();
  });

  it('deletes every finished job matching the filters, counted first', async () => {
    const { user } = setup();
    await user.click(
      await screen.findByRole('button', { name: 'Delete all finished matching these filters' }),
    );
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Delete all 42 finished jobs matching these filters?',
    });
    const filters = {
      p_organisation_id: '00000000-0000-4000-8000-000000000001',
      p_filters: { workflow_id: ECHO_WORKFLOW_ID, from: '2026-11-20T00:00:00.000Z', mine: true },
    };
    expect(calls).toEqual([{ name: 'count_finished_jobs', body: filters }]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete 42 jobs' }));
    await waitFor(() =>
      expect(calls.at(-1)).toEqual({ name: 'delete_finished_jobs', body: filters }),
    );
    expect(await screen.findByText('42 finished jobs deleted')).toBeInTheDocument();
  });
});
