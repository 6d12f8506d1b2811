import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { ExportJobsMenu } from '../export-jobs-menu';

const echoId = '40000000-0000-4000-8000-000000000001';
const row = {
  id: '60000000-0000-4000-8000-000000000001',
  organisation_id: '00000000-0000-4000-8000-000000000001',
  workflow_id: echoId,
  workflow_version: 1,
  user_id: '10000000-0000-4000-8000-000000000001',
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
  input_data: { payload: 'hello' },
  final_result: { result: 'hello' },
};

const fetchMock = vi.fn<typeof fetch>();
const createObjectURL = vi.fn((_blob: Blob) => 'blob:export');

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  // jsdom has no object URLs and can't follow a download link: record the download instead.
  createObjectURL.mockClear();
  URL.createObjectURL = createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function exportAs(format: RegExp) {
  const user = userEvent.setup();
  renderWithProviders(
    <ExportJobsMenu query={{ userId: null }} workflowName={() => 'Echo example'} />,
  );
  await user.click(screen.getByRole('button', { name: 'Export jobs' }));
  await user.click(screen.getByRole('menuitem', { name: format }));
}

describe('ExportJobsMenu', () => {
  it('downloads the matching jobs and says how many', async () => {
    fetchMock.mockImplementation(async () => postgrestResponse([row]));
    await exportAs(/^CSV/);
    expect(await screen.findByRole('status')).toHaveTextContent('Exported 1 job');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    const file = createObjectURL.mock.calls[0]![0];
    expect(file.type).toBe('text/csv;charset=utf-8');
    expect(file.size).toBeGreaterThan(100);
  });

  it('downloads nothing when no job matches, and says why', async () => {
    fetchMock.mockImplementation(async () => postgrestResponse([]));
    await exportAs(/^JSON/);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Nothing to exportNo jobs match these filters',
    );
    expect(createObjectURL).not.toHaveBeenCalled();
  });
});
