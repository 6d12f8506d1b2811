import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { TrashList } from '../trash-list';

const restaurant = {
  kind: 'restaurant',
  id: '30000000-0000-4000-8000-000000000001',
  name: 'Spice Route',
  deleted_at: '2026-12-01T12:00:00Z',
  deleted_by: '10000000-0000-4000-8000-000000000001',
  deleted_by_name: 'Rita Rep',
  purge_after: '2026-12-31T12:00:00Z',
};
const template = {
  ...restaurant,
  kind: 'message_template',
  id: '30000000-0000-4000-8000-000000000002',
  name: 'Intro email',
  deleted_by_name: null,
};

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

const setup = () => {
  const user = userEvent.setup();
  renderWithProviders(<TrashList organisationId={testOrganisation.id} />);
  return { user };
};

describe('TrashList', () => {
  it("lists the organisation's trash with what each row is and who deleted it", async () => {
    fetchMock.mockResolvedValue(postgrestResponse([restaurant, template]));
    setup();
    const row = (await screen.findByText('Spice Route', { selector: 'p' })).closest('li')!;
    expect(within(row).getByText('Restaurant')).toBeInTheDocument();
    expect(within(row).getByText(/by Rita Rep/)).toBeInTheDocument();
    const other = screen.getByText('Intro email', { selector: 'p' }).closest('li')!;
    expect(within(other).getByText('Message template')).toBeInTheDocument();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toContain('/rest/v1/rpc/trash_items');
    expect(JSON.parse(String(init?.body))).toEqual({ p_organisation_id: testOrganisation.id });
  });

  it('lists a trashed workflow as a workflow', async () => {
    const workflow = {
      ...restaurant,
      kind: 'workflow',
      id: '30000000-0000-4000-8000-000000000003',
      name: 'Transcribe call',
    };
    fetchMock.mockResolvedValue(postgrestResponse([workflow]));
    setup();
    const row = (await screen.findByText('Transcribe call', { selector: 'p' })).closest('li')!;
    expect(within(row).getByText('Workflow')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Restore Transcribe call' })).toBeEnabled();
  });

  it('restores a row through restore_from_trash with its kind and id', async () => {
    fetchMock
      .mockResolvedValueOnce(postgrestResponse([restaurant]))
      .mockResolvedValueOnce(postgrestResponse([{ id: restaurant.id }]))
      .mockResolvedValue(postgrestResponse([]));
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Restore Spice Route' }));
    await waitFor(() => expect(fetchMock.mock.calls.length).toBeGreaterThanOrEqual(2));
    const [url, init] = fetchMock.mock.calls[1]!;
    expect(String(url)).toContain('/rest/v1/rpc/restore_from_trash');
    expect(JSON.parse(String(init?.body))).toEqual({
      p_kind: 'restaurant',
      p_ids: [restaurant.id],
    });
    // The list is fetched again, now without it.
    expect(await screen.findByText('The trash is empty')).toBeInTheDocument();
  });

  it('says so when nothing was restored', async () => {
    fetchMock
      .mockResolvedValueOnce(postgrestResponse([restaurant]))
      .mockResolvedValueOnce(postgrestResponse([]))
      .mockResolvedValue(postgrestResponse([restaurant]));
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Restore Spice Route' }));
    expect(await screen.findByText("Couldn't restore Spice Route")).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    fetchMock.mockResolvedValue(postgrestResponse({ message: 'boom' }, { status: 500 }));
    setup();
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load the trash");
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('offers Delete permanently on workflows only, and only when the page passes the action', async () => {
    const workflow = {
      ...restaurant,
      kind: 'workflow',
      id: '30000000-0000-4000-8000-000000000004',
      name: 'Old flow',
    };
    fetchMock.mockImplementation(() => Promise.resolve(postgrestResponse([restaurant, workflow])));
    const onDeleteWorkflow = vi.fn();
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(
      <TrashList organisationId={testOrganisation.id} onDeleteWorkflow={onDeleteWorkflow} />,
    );
    const row = (await screen.findByText('Old flow', { selector: 'p' })).closest('li')!;
    const other = screen.getByText('Spice Route', { selector: 'p' }).closest('li')!;
    expect(
      within(other).queryByRole('button', { name: /Delete permanently/ }),
    ).not.toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: 'Delete permanently Old flow' }));
    expect(onDeleteWorkflow).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'workflow', id: workflow.id, name: 'Old flow' }),
    );
    unmount();

    setup();
    await screen.findByText('Old flow', { selector: 'p' });
    expect(screen.queryByRole('button', { name: /Delete permanently/ })).not.toBeInTheDocument();
  });
});
