import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { toJobQuery, type JobListItem } from '../../api/queries';
import { useJobFilters } from '../../hooks/use-job-filters';
import type { WorkflowOption } from '../../types';
import { JobsFiltersBar } from '../jobs-filters-bar';
import { JobsList } from '../jobs-list';
import { ECHO_WORKFLOW_ID, ME, jobListItem } from './job-fixtures';

const me = ME;
const echo: WorkflowOption = {
  id: ECHO_WORKFLOW_ID,
  name: 'Echo example',
  key: 'echo-example',
};
const transcribe: WorkflowOption = {
  id: '40000000-0000-4000-8000-000000000002',
  name: 'Transcribe a call',
  key: 'transcribe-call',
};

const job = jobListItem;

const fetchMock = vi.fn<typeof fetch>();
let jobs: JobListItem[] = [];
const jobRequests = () =>
  fetchMock.mock.calls
    .map(([input]) => new URL(input instanceof Request ? input.url : String(input)))
    .filter((url) => url.pathname === '/rest/v1/jobs');

beforeEach(() => {
  jobs = [];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async () => postgrestResponse(jobs));
  vi.stubGlobal('fetch', fetchMock);
});

function JobsPage({ canSeeAll = true }: { canSeeAll?: boolean }) {
  const { filters, setFilters, hasFilters, clearFilters } = useJobFilters();
  const location = useLocation();
  return (
    <>
      <JobsFiltersBar
        filters={filters}
        setFilters={setFilters}
        hasFilters={hasFilters}
        clearFilters={clearFilters}
        workflows={[echo, transcribe]}
        canSeeAll={canSeeAll}
      />
      <output aria-label="Search">{location.search}</output>
      <JobsList
        query={toJobQuery(filters, me)}
        hasFilters={hasFilters}
        onClearFilters={clearFilters}
        workflowName={(id) => [echo, transcribe].find((w) => w.id === id)?.name}
        memberName={() => 'Olivia Owner'}
        showOwner={filters.scope === 'everyone'}
      />
    </>
  );
}

const search = () => screen.getByRole('status', { name: 'Search' }).textContent;

describe('jobs filters', () => {
  it('keep their state in the URL and ask the server for exactly that', async () => {
    const user = userEvent.setup();
    renderWithProviders(<JobsPage />, { route: '/jobs' });
    await screen.findByText('No jobs yet');
    expect(jobRequests().at(-1)?.searchParams.get('user_id')).toBe(`eq.${me}`);

    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await user.selectOptions(screen.getByLabelText('Workflow'), 'Transcribe a call');
    await user.type(screen.getByLabelText('Created from'), '2026-11-20');
    await user.selectOptions(screen.getByLabelText('Started by'), 'everyone');
    expect(search()).toBe(
      `?status=failed&workflow=${transcribe.id}&from=2026-11-20&scope=everyone`,
    );

    // Everyone's: no user filter.
    await waitFor(() => expect(jobRequests().at(-1)?.searchParams.get('user_id')).toBeNull());
    const params = jobRequests().at(-1)?.searchParams;
    expect(params?.get('status')).toBe('eq.failed');
    expect(params?.get('workflow_id')).toBe(`eq.${transcribe.id}`);
    expect(params?.get('created_at')).toBe(`gte.${new Date(2026, 10, 20).toISOString()}`);
    expect(params?.get('order')).toBe('created_at.desc,id.desc');

    expect(await screen.findByText('No jobs match these filters')).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Reset filters' })[0] as HTMLElement);
    expect(search()).toBe('');
  });

  it('read filters from a link, ignoring what they cannot understand', async () => {
    renderWithProviders(<JobsPage />, {
      route: `/jobs?status=bogus&workflow=${echo.id}&from=yesterday&to=2026-11-21`,
    });
    expect(screen.getByLabelText('Status')).toHaveValue('');
    expect(screen.getByLabelText('Workflow')).toHaveValue(echo.id);
    expect(screen.getByLabelText('Created from')).toHaveValue('');
    expect(screen.getByLabelText('Created to')).toHaveValue('2026-11-21');
    await waitFor(() => expect(jobRequests()).toHaveLength(1));
    // "To" is inclusive: everything before the start of the next day.
    expect(jobRequests()[0]?.searchParams.get('created_at')).toBe(
      `lt.${new Date(2026, 10, 22).toISOString()}`,
    );
  });

  it('do not offer everyone’s jobs to members', () => {
    renderWithProviders(<JobsPage canSeeAll={false} />, { route: '/jobs' });
    expect(screen.queryByLabelText('Started by')).not.toBeInTheDocument();
  });

  it('list the jobs with their workflow and status, refreshing while one runs', async () => {
    jobs = [
      job({ id: '60000000-0000-4000-8000-000000000002', status: 'running', completed_at: null }),
      job({
        id: '60000000-0000-4000-8000-000000000001',
        workflow_id: transcribe.id,
        status: 'failed',
        error_message: 'Gemini said no',
        retry_count: 3,
      }),
    ];
    renderWithProviders(<JobsPage />, { route: '/jobs' });
    const list = await screen.findByRole('list', { name: 'Jobs' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Echo example');
    expect(rows[0]).toHaveTextContent('Running');
    expect(rows[1]).toHaveTextContent('Transcribe a call');
    expect(rows[1]).toHaveTextContent('3 retries');
    expect(rows[1]).toHaveTextContent('Gemini said no');

    // A running job on screen: the list asks again within about a second.
    const before = jobRequests().length;
    jobs = [job({ id: '60000000-0000-4000-8000-000000000002' }), ...jobs.slice(1)];
    await waitFor(() => expect(jobRequests().length).toBeGreaterThan(before), { timeout: 2500 });
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem')[0]).toHaveTextContent('Completed'),
    );
  });

  it('load more jobs and put focus on the first one loaded', async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => {
        const n = from + index;
        return job({
          id: `60000000-0000-4000-8000-${String(1000 - n).padStart(12, '0')}`,
          created_at: new Date(Date.UTC(2026, 10, 22, 9) - n * 60_000).toISOString(),
        });
      });
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return postgrestResponse(url.searchParams.has('or') ? page(25, 3) : page(0, 25));
    });
    const user = userEvent.setup();
    renderWithProviders(<JobsPage />, { route: '/jobs' });
    const list = await screen.findByRole('list', { name: 'Jobs' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(25);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(28));
    const links = within(list).getAllByRole('link');
    await waitFor(() => expect(links[25]).toHaveFocus());
    // The last page is in: nothing more to load.
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});
