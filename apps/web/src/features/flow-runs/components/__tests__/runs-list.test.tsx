import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { RunsList } from '../runs-list';

const sequenceId = '30000000-0000-4000-8000-000000000001';
const owner = '10000000-0000-4000-8000-000000000001';

const row = (n: number, status: string, mode: string) => ({
  id: `50000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
  mode,
  status,
  environment_name: 'staging',
  created_by: owner,
  created_at: '2026-12-01T10:00:00Z',
  started_at: '2026-12-01T10:00:00Z',
  finished_at: status === 'completed' ? '2026-12-01T10:00:02.500Z' : null,
  error: null,
});

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const headers = new Headers(init?.headers);
    const url = new URL(input instanceof Request ? input.url : String(input));
    // supabase-js sends .range() as offset/limit: the second page starts at 10.
    const range = url.searchParams.get('offset') ?? headers.get('range') ?? '0';
    const first = range === '0' || range.startsWith('0-');
    return postgrestResponse(
      first
        ? [row(1, 'completed', 'normal'), row(2, 'paused', 'debug')]
        : [row(11, 'failed', 'normal')],
      { total: 11 },
    );
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('RunsList', () => {
  it('lists runs with status, mode, duration and who ran them, a page at a time', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <RunsList
        sequenceId={sequenceId}
        memberName={(id) => (id === owner ? 'Olivia Owner' : undefined)}
      />,
    );
    const table = await screen.findByRole('table', { name: /Runs of this sequence/ });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent));
    expect(rows[0]).toEqual(['Completed', 'Normal', 'staging', '2.5 s', 'Olivia Owner']);
    expect(rows[1]?.slice(0, 3)).toEqual(['Paused', 'Debug', 'staging']);
    expect(screen.getByText('Page 1 of 2')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(screen.getByText('Page 2 of 2')).toBeVisible());
    expect(await screen.findByText('Failed')).toBeVisible();
  });
});
