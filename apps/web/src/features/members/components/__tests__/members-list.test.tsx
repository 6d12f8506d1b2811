import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrganisationRole } from '@/lib/organisation';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { MembersList, type MemberRow } from '../members-list';

const owner: MemberRow = {
  userId: '10000000-0000-4000-8000-000000000001',
  role: 'owner',
  fullName: 'Olivia Owner',
  email: 'olivia@example.test',
};
const admin: MemberRow = {
  userId: '10000000-0000-4000-8000-000000000002',
  role: 'admin',
  fullName: 'Adam Admin',
  email: 'adam@example.test',
};
const member: MemberRow = {
  userId: '10000000-0000-4000-8000-000000000003',
  role: 'member',
  fullName: 'Mia Member',
  email: 'mia@example.test',
};
const members = [admin, member, owner];

const fetchMock = vi.fn<typeof fetch>();
const requests = () =>
  fetchMock.mock.calls.map(([input, init]) => ({
    url: new URL(input instanceof Request ? input.url : String(input)),
    method: init?.method ?? 'GET',
    body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
  }));

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

const coOwner: MemberRow = {
  userId: '10000000-0000-4000-8000-000000000004',
  role: 'owner',
  fullName: 'Cora Co-owner',
  email: 'cora@example.test',
};

function setup(me: MemberRow, myRole: OrganisationRole = me.role, list: MemberRow[] = members) {
  const onLeft = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <MembersList
      organisationId={testOrganisation.id}
      organisationName={testOrganisation.name}
      members={list}
      myUserId={me.userId}
      myRole={myRole}
      onLeft={onLeft}
    />,
  );
  return { user, onLeft };
}

const row = (name: string) => screen.getByText(name, { exact: false }).closest('li') as HTMLElement;

describe('MembersList', () => {
  it('shows every member with their role', () => {
    setup(member);
    expect(within(row('Olivia Owner')).getByText('Owner')).toBeInTheDocument();
    expect(within(row('Adam Admin')).getByText('Admin')).toBeInTheDocument();
    expect(within(row('Mia Member')).getByText('(you)')).toBeInTheDocument();
  });

  it('a member changes no roles and removes nobody, but can leave', () => {
    setup(member);
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Remove/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Leave organisation' })).toBeInTheDocument();
  });

  it('an admin manages members and admins but not the owner, and cannot make owners', () => {
    setup(admin);
    expect(screen.getByRole('combobox', { name: 'Role of Mia Member' })).toBeInTheDocument();
    expect(
      screen.queryByRole('combobox', { name: 'Role of Olivia Owner' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove Olivia Owner' })).not.toBeInTheDocument();
    const options = within(screen.getByRole('combobox', { name: 'Role of Mia Member' }))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['Member', 'Admin']);
  });

  it("an owner changes a member's role, owner included", async () => {
    fetchMock.mockResolvedValue(postgrestResponse([{ user_id: member.userId }]));
    const { user } = setup(owner);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role of Mia Member' }), 'owner');
    await waitFor(() => expect(requests()[0]?.method).toBe('PATCH'));
    const request = requests()[0]!;
    expect(request.url.pathname).toBe('/rest/v1/organisation_members');
    expect(request.url.searchParams.get('user_id')).toBe(`eq.${member.userId}`);
    expect(request.body).toEqual({ role: 'owner' });
  });

  it('says why when the last owner cannot be demoted', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse(
        { code: '23514', message: 'an organisation must keep at least one owner' },
        { status: 400 },
      ),
    );
    const { user } = setup(owner, 'owner');
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Role of Adam Admin' }),
      'member',
    );
    expect(await screen.findByText(/must keep at least one owner/)).toBeInTheDocument();
  });

  it('asks for confirmation and a successor before removing a member', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    const { user } = setup(owner);
    await user.click(screen.getByRole('button', { name: 'Remove Mia Member' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove Mia Member?' });
    expect(fetchMock).not.toHaveBeenCalled();

    const successor = within(dialog).getByRole('combobox', {
      name: 'Hand their restaurants and open tasks to',
    });
    // Anyone but the member being removed.
    expect(
      within(successor)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Nobody (leave them unassigned)', 'Adam Admin', 'Olivia Owner']);
    await user.selectOptions(successor, 'Adam Admin');
    await user.click(within(dialog).getByRole('button', { name: 'Remove member' }));

    await waitFor(() => expect(requests()).toHaveLength(1));
    const request = requests()[0]!;
    expect(request.url.pathname).toBe('/rest/v1/rpc/remove_organisation_member');
    expect(request.body).toEqual({
      p_organisation_id: testOrganisation.id,
      p_user_id: member.userId,
      p_successor_id: admin.userId,
    });
    expect(await screen.findByText('Mia Member was removed')).toBeInTheDocument();
  });

  it('cancelling the removal removes nobody', async () => {
    const { user } = setup(owner);
    await user.click(screen.getByRole('button', { name: 'Remove Mia Member' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('leaving calls onLeft; the last owner is told why they cannot', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    const { user, onLeft } = setup(member);
    await user.click(screen.getByRole('button', { name: 'Leave organisation' }));
    const dialog = screen.getByRole('alertdialog', { name: `Leave ${testOrganisation.name}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Leave organisation' }));
    await waitFor(() => expect(onLeft).toHaveBeenCalled());
    expect(requests()[0]?.body).toEqual({
      p_organisation_id: testOrganisation.id,
      p_user_id: member.userId,
    });
  });

  it('the only owner is offered no Leave, and told how to leave', () => {
    setup(owner);
    expect(row('Olivia Owner')).toHaveTextContent('make someone else owner to leave');
    expect(screen.queryByRole('button', { name: 'Leave organisation' })).not.toBeInTheDocument();
  });

  it('shows the server refusal inside the dialog', async () => {
    // Two owners on this page; the other has left in the meantime, so the server refuses.
    fetchMock.mockResolvedValue(
      postgrestResponse(
        { code: '23514', message: 'an organisation must keep at least one owner' },
        { status: 400 },
      ),
    );
    const { user, onLeft } = setup(owner, 'owner', [...members, coOwner]);
    await user.click(screen.getByRole('button', { name: 'Leave organisation' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Leave organisation' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'An organisation must keep at least one owner',
    );
    expect(onLeft).not.toHaveBeenCalled();
  });
});
