import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { InvitationsList } from '../invitations-list';

const now = new Date('2026-12-03T12:00:00Z');
const open = {
  id: '20000000-0000-4000-8000-000000000001',
  email: 'new@example.test',
  role: 'admin',
  created_at: '2026-12-01T12:00:00Z',
  expires_at: '2026-12-08T12:00:00Z',
};
const expired = {
  id: '20000000-0000-4000-8000-000000000002',
  email: 'late@example.test',
  role: 'member',
  created_at: '2026-11-20T12:00:00Z',
  expires_at: '2026-11-27T12:00:00Z',
};

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

const setup = () => {
  const user = userEvent.setup();
  renderWithProviders(<InvitationsList organisationId={testOrganisation.id} now={now} />);
  return { user };
};

describe('InvitationsList', () => {
  it('lists open invitations and says which expired', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([open, expired]));
    setup();
    const late = (await screen.findByText('late@example.test')).closest('li')!;
    expect(within(late).getByText(/Expired/)).toBeInTheDocument();
    const fresh = screen.getByText('new@example.test').closest('li')!;
    expect(within(fresh).getByText(/^Expires/)).toBeInTheDocument();
    // Never asks for the token's hash.
    const url = new URL(String(fetchMock.mock.calls[0]![0]));
    expect(url.searchParams.get('select')).not.toContain('token');
  });

  it('shows an empty state', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([]));
    setup();
    expect(await screen.findByText('No open invitations.')).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    fetchMock.mockResolvedValue(postgrestResponse({ message: 'boom' }, { status: 500 }));
    setup();
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load the invitations");
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('revokes after confirmation', async () => {
    fetchMock.mockImplementation(async (_input, init) =>
      init?.method === 'DELETE' ? postgrestResponse([{ id: open.id }]) : postgrestResponse([open]),
    );
    const { user } = setup();
    await user.click(
      await screen.findByRole('button', { name: 'Revoke the invitation for new@example.test' }),
    );
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke this invitation?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }));
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true),
    );
    expect(await screen.findByText('Invitation revoked')).toBeInTheDocument();
  });
});
