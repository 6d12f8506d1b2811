import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrganisationRole } from '@/lib/organisation';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { InviteMemberForm } from '../invite-member-form';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup(myRole: OrganisationRole = 'admin') {
  const user = userEvent.setup();
  renderWithProviders(
    <InviteMemberForm
      organisationId={testOrganisation.id}
      myRole={myRole}
      linkFor={(token) => `https://app.test/invitations/${token}`}
    />,
  );
  return { user };
}

const email = () => screen.getByLabelText(/^Email/);

describe('InviteMemberForm', () => {
  it('invites an email with a role and shows the link to copy', async () => {
    const token = 'a'.repeat(64);
    fetchMock.mockResolvedValue(
      postgrestResponse({
        id: '20000000-0000-4000-8000-000000000001',
        email: 'new@example.test',
        role: 'admin',
        expires_at: '2026-12-10T00:00:00Z',
        token,
      }),
    );
    const { user } = setup();
    await user.type(email(), '  New@Example.test ');
    await user.selectOptions(screen.getByLabelText('Role'), 'admin');
    await user.click(screen.getByRole('button', { name: 'Invite' }));

    expect(await screen.findByLabelText('Invitation link')).toHaveValue(
      `https://app.test/invitations/${token}`,
    );
    const [input, init] = fetchMock.mock.calls[0]!;
    expect(String(input instanceof Request ? input.url : input)).toContain(
      '/rest/v1/rpc/invite_organisation_member',
    );
    expect(JSON.parse(String(init?.body))).toEqual({
      p_organisation_id: testOrganisation.id,
      p_email: 'new@example.test',
      p_role: 'admin',
    });
    expect(email()).toHaveValue('');
  });

  it('needs a valid email, shown next to the field', async () => {
    const { user } = setup();
    await user.type(email(), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    await waitFor(() => expect(email()).toHaveAccessibleDescription('Enter a valid email address'));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('only owners are offered the owner role', () => {
    setup('admin');
    expect(screen.queryByRole('option', { name: 'Owner' })).not.toBeInTheDocument();
  });

  it('an owner may invite an owner', () => {
    setup('owner');
    expect(screen.getByRole('option', { name: 'Owner' })).toBeInTheDocument();
  });

  it('says so when the person is already a member', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse({ code: '23505', message: 'already a member' }, { status: 409 }),
    );
    const { user } = setup();
    await user.type(email(), 'mia@example.test');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'mia@example.test is already a member of this organisation.',
    );
  });
});
