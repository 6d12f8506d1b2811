import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { toJobQuery } from '../../api/queries';
import { JobsList } from '../jobs-list';
import { ME, jobListItem } from './job-fixtures';

// "Started by" in the jobs list (issue 14 §3): a job a trigger, a sequence step or a flow run
// started says so even in "my jobs"; one started by hand names no one there.

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

describe('JobsList started by', () => {
  it('reads what started each job and shows it for the ones not started by hand', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse([
        jobListItem({ id: '60000000-0000-4000-8000-000000000001' }),
        jobListItem({
          id: '60000000-0000-4000-8000-000000000002',
          trigger_id: '70000000-0000-4000-8000-000000000001',
        }),
      ]),
    );
    renderWithProviders(
      <JobsList
        query={toJobQuery({ scope: 'mine' }, ME)}
        hasFilters={false}
        onClearFilters={() => {}}
        workflowName={() => 'Echo example'}
        memberName={() => 'Olivia Owner'}
        showOwner={false}
        renderStartedBy={(job) => <span>origin of {job.id.slice(-1)}</span>}
      />,
    );
    const rows = await screen.findAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).queryByText(/origin of/)).not.toBeInTheDocument();
    expect(within(rows[0]!).queryByText('Olivia Owner')).not.toBeInTheDocument();
    expect(within(rows[1]!).getByText('origin of 2')).toBeInTheDocument();

    const select = new URL(String(fetchMock.mock.calls[0]?.[0])).searchParams.get('select');
    expect(select).toContain('trigger_id');
    expect(select).toContain('sequence_task_id');
    expect(select).toContain('flow_run_flow_id');
  });
});
