import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { ExportJobsMenu } from '../export-jobs-menu';
import { jobListItem } from './job-fixtures';

const row = {
  ...jobListItem(),
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
