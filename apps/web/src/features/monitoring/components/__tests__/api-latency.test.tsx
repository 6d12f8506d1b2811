import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { ApiLatency } from '../api-latency';

const fetchMock = vi.fn<typeof fetch>();
let answer: () => Response | Promise<Response>;
let bodies: Record<string, unknown>[];

beforeEach(() => {
  bodies = [];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== '/rest/v1/rpc/function_latency_stats')
      throw new Error(`unexpected request ${url.pathname}`);
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return answer();
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('ApiLatency', () => {
  it('shows p50 and p95 per function over the range', async () => {
    answer = () =>
      postgrestResponse([
        { function_name: 'get-job', p50_ms: 4.25, p95_ms: 37.5 },
        { function_name: 'workflow-orchestrator', p50_ms: 850, p95_ms: 2400 },
      ]);
    const before = Date.now();
    renderWithProviders(<ApiLatency range="1h" />);
    const table = await screen.findByRole('table', { name: 'API response times · last hour' });
    expect(within(table).getByRole('row', { name: /get-job/ })).toHaveTextContent(
      'get-job4 ms38 ms',
    );
    expect(within(table).getByRole('row', { name: /workflow-orchestrator/ })).toHaveTextContent(
      'workflow-orchestrator850 ms2.4 s',
    );
    // Since the start of the range, aligned to its buckets (5 min for the last hour).
    const since = Date.parse(String(bodies[0]?.p_since));
    expect(since).toBeGreaterThan(before - 3_600_000 - 1);
    expect(since).toBeLessThanOrEqual(before - 3_600_000 + 5 * 60_000);
  });

  it('says so while loading', async () => {
    answer = () => new Promise<Response>(() => undefined);
    renderWithProviders(<ApiLatency range="24h" />);
    expect(
      await screen.findByRole('status', { name: 'Loading API response times' }),
    ).toBeInTheDocument();
  });

  it('explains an empty range', async () => {
    answer = () => postgrestResponse([]);
    renderWithProviders(<ApiLatency range="7d" />);
    expect(await screen.findByText('No API calls in this range')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when the database does not record response times', async () => {
    answer = () =>
      postgrestResponse(
        { code: 'PGRST202', message: 'Could not find the function public.function_latency_stats' },
        { status: 404 },
      );
    renderWithProviders(<ApiLatency range="24h" />);
    expect(await screen.findByText('Response times are not recorded here')).toBeInTheDocument();
  });

  it('shows an error with a retry that loads the figures', async () => {
    answer = () => postgrestResponse({ code: 'XX000', message: 'boom' }, { status: 500 });
    const user = userEvent.setup();
    renderWithProviders(<ApiLatency range="24h" />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load the API response times");
    answer = () => postgrestResponse([{ function_name: 'me', p50_ms: 3, p95_ms: null }]);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    const table = await screen.findByRole('table', { name: /^API response times/ });
    expect(within(table).getByRole('row', { name: /me/ })).toHaveTextContent('me3 ms—');
  });
});
