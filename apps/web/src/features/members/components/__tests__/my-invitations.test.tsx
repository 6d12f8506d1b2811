import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { MyInvitations } from '../my-invitations';

const userId = '10000000-0000-4000-8000-000000000009';
const invitation = {
  id: '20000000-0000-4000-8000-000000000001',
  organisation_id: '30000000-0000-4000-8000-000000000001',
  organisation_name: 'Harbour Street Sales',
  role: 'member',
  invited_by_name: 'Olivia Owner',
  invited_by_email: 'olivia@example.test',
  expires_at: '2026-12-10T00:00:00Z',
};

const fetchMock = vi.fn<typeof fetch>();
const path = (call: Parameters<typeof fetch>) =>
  new URL(call[0] instanceof Request ? call[0].url : String(call[0])).pathname;

let pending: (typeof invitation)[] = [];

beforeEach(() => {
  pending = [invitation];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (...call) => {
    switch (path(call)) {
      case '/rest/v1/rpc/my_organisation_invitations':
        return postgrestResponse(pending);
      case '/rest/v1/rpc/accept_organisation_invitation':
        pending = [];
        return postgrestResponse({ organisation_id: invitation.organisation_id, role: 'member' });
      case '/rest/v1/rpc/decline_organisation_invitation':
        pending = [];
        return new Response(null, { status: 204 });
      default:
        return postgrestResponse({ message: 'unexpected' }, { status: 500 });
    }
  });
  vi.stubGlobal('fetch', fetchMock);
});

function setup() {
  const onAccepted = vi.fn();
  const user = userEvent.setup();
  const view = renderWithProviders(<MyInvitations userId={userId} onAccepted={onAccepted} />);
  return { user, onAccepted, ...view };
}

describe('MyInvitations', () => {
  it('shows who invited the user, to which organisation and as what', async () => {
    setup();
    expect(
      await screen.findByText(/Olivia Owner \(olivia@example\.test\) invited you to join/),
    ).toHaveTextContent('Harbour Street Sales as member.');
  });

  it('accepting joins the organisation and the invitation goes away', async () => {
    const { user, onAccepted } = setup();
    await user.click(await screen.findByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(onAccepted).toHaveBeenCalledWith(invitation.organisation_id));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull());
    const accept = fetchMock.mock.calls.find(
      (call) => path(call) === '/rest/v1/rpc/accept_organisation_invitation',
    );
    expect(JSON.parse(String(accept?.[1]?.body))).toEqual({ p_invitation_id: invitation.id });
  });

  it('declining joins nothing', async () => {
    const { user, onAccepted } = setup();
    await user.click(await screen.findByRole('button', { name: 'Decline' }));
    expect(await screen.findByText('Invitation declined')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Decline' })).toBeNull());
    expect(onAccepted).not.toHaveBeenCalled();
  });

  it('renders nothing without invitations', async () => {
    pending = [];
    setup();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(screen.queryByRole('region', { name: 'Invitations for you' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });
});
