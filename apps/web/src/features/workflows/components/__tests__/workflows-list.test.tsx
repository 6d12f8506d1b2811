import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { parseWorkflowFilters, type WorkflowFilters } from '../../api/queries';
import { WorkflowsList } from '../workflows-list';

// The workflows page asks public.workflow_list for one page (search, status, sort, offset from
// the URL's filters) and shows each row's last run; these tests stub PostgREST.

const JOB_ID = '30000000-0000-4000-8000-000000000001';

const rpcRow = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  organisation_id: testOrganisation.id,
  key: `flow-${n}`,
  name: `Flow ${n}`,
  description: null,
  status: 'active',
  version: 1,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-02T10:00:00Z',
  last_run_job_id: null,
  last_run_status: null,
  last_run_at: null,
  total_count: 1,
  ...overrides,
});

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function renderList(filters: Partial<WorkflowFilters> = {}) {
  const props = {
    filters: { ...parseWorkflowFilters(new URLSearchParams()), ...filters },
    setFilters: vi.fn(),
    canCreate: true,
    renderRunStatus: (status: string) => <span>status {status}</span>,
  };
  const user = userEvent.setup();
  renderWithProviders(<WorkflowsList {...props} />);
  return { user, ...props };
}

async function requestBody(call = 0) {
  const [url, init] = fetchMock.mock.calls[call] ?? [];
  return { url: new URL(String(url)), body: JSON.parse(String(init?.body)) as unknown };
}

describe('WorkflowsList', () => {
  it('asks the server for the page the URL describes', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([rpcRow(41, { total_count: 41 })]));
    renderList({ q: 'transcr call', status: 'all', sort: 'last_run', page: 3 });

    await screen.findByRole('link', { name: 'Flow 41' });
    const { url, body } = await requestBody();
    expect(url.pathname).toBe('/rest/v1/rpc/workflow_list');
    expect(body).toEqual({
      p_organisation_id: testOrganisation.id,
      p_query: 'transcr call',
      p_status: 'all',
      p_sort: 'last_run',
      p_limit: 20,
      p_offset: 40,
    });
  });

  it("shows each row's last run, linked to its job, or that it never ran", async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse([
        rpcRow(1, {
          total_count: 2,
          last_run_job_id: JOB_ID,
          last_run_status: 'failed',
          last_run_at: '2026-01-03T10:00:00Z',
        }),
        rpcRow(2, { total_count: 2 }),
      ]),
    );
    renderList();

    const rows = within(await screen.findByRole('list', { name: 'Workflows' })).getAllByRole(
      'listitem',
    );
    const run = within(rows[0]!).getByRole('link', { name: /^Last run: failed/ });
    expect(run).toHaveAttribute('href', `/jobs/${JOB_ID}`);
    expect(within(run).getByText('status failed')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Never run')).toBeInTheDocument();
    // One page: no pagination.
    expect(screen.queryByRole('navigation', { name: 'Pagination' })).not.toBeInTheDocument();
  });

  it('pages by 20 with the total', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse(Array.from({ length: 20 }, (_, i) => rpcRow(i + 1, { total_count: 45 }))),
    );
    const { user, setFilters } = renderList();

    const nav = await screen.findByRole('navigation', { name: 'Pagination' });
    expect(nav).toHaveTextContent('1–20 of 45');
    expect(within(nav).getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(within(nav).getByRole('button', { name: 'Next' }));
    expect(setFilters).toHaveBeenCalledWith({ page: 2 });
  });

  it('says when nothing matches and offers every workflow', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([]));
    const { user, setFilters } = renderList({ q: 'zzz' });

    expect(await screen.findByRole('heading', { name: 'No workflows match' })).toBeInTheDocument();
    expect(screen.getByText('Nothing matches “zzz” among active workflows.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show all workflows' }));
    expect(setFilters).toHaveBeenCalledWith({ q: '', status: 'all' });
  });

  it('with nothing typed, offers to create the first workflow', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([]));
    renderList({ status: 'all' });

    expect(await screen.findByRole('heading', { name: 'No workflows yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New workflow' })).toBeInTheDocument();
  });

  it('a page past the end goes back to the first', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([]));
    const { setFilters } = renderList({ page: 9 });

    await waitFor(() => expect(setFilters).toHaveBeenCalledWith({ page: 1 }, { replace: true }));
  });
});

describe('parseWorkflowFilters', () => {
  it('reads the URL, ignoring junk', () => {
    expect(
      parseWorkflowFilters(new URLSearchParams('q=%20inv%20&status=archived&sort=name&page=2')),
    ).toEqual({ q: 'inv', status: 'archived', sort: 'name', page: 2 });
    expect(parseWorkflowFilters(new URLSearchParams('status=gone&sort=id%3Bdrop&page=-4'))).toEqual(
      { q: '', status: 'active', sort: 'updated', page: 1 },
    );
  });
});
