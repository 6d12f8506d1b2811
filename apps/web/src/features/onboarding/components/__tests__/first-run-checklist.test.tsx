import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { FirstRunChecklist, type FirstRunLinks } from '../first-run-checklist';

const fetchMock = vi.fn<typeof fetch>();
const links: FirstRunLinks = {
  importRestaurants: '/restaurants/import',
  addRestaurant: { to: '/restaurants', state: { addRestaurant: true } },
  sequences: '/sequence-templates',
  sequence: (id) => `/sequence-templates/${id}`,
  members: '/members',
};
const copiedId = '32000000-0000-4000-8000-0000000000aa';

/** The organisation's rows as PostgREST would answer the checklist's four reads. */
function organisationHas(rows: {
  restaurants?: number;
  sequences?: number;
  members?: number;
  invitations?: number;
}) {
  const state = { restaurants: 0, sequences: 0, members: 1, invitations: 0, ...rows };
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(String(input));
    const table = url.pathname.split('/').pop();
    if (table === 'copy_starter_templates') {
      state.sequences = 1;
      return postgrestResponse({ sequence_template_id: copiedId, created: 7 });
    }
    const n =
      table === 'restaurants'
        ? state.restaurants
        : table === 'sequence_templates'
          ? state.sequences
          : table === 'organisation_members'
            ? state.members
            : table === 'organisation_invitations'
              ? state.invitations
              : 0;
    return postgrestResponse(Array.from({ length: n }, (_, i) => ({ id: `row-${i}` })));
  });
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

const render = (role: 'owner' | 'member' = 'owner') =>
  renderWithProviders(
    <FirstRunChecklist
      organisationId={testOrganisation.id}
      userId="user-1"
      role={role}
      links={links}
    />,
    { organisation: { ...testOrganisation, role } },
  );

const checklist = () => screen.findByRole('region', { name: 'Get set up' });

describe('FirstRunChecklist', () => {
  it('ticks each step from the organisation’s rows and links to where each is done', async () => {
    organisationHas({ restaurants: 3 });
    render();
    const card = await checklist();
    expect(within(card).getByText('1 of 3 done')).toBeInTheDocument();
    const [restaurants, sequence, team] = within(card).getAllByRole('listitem');
    expect(restaurants).toHaveTextContent('Done: Add your restaurants');
    expect(sequence).toHaveTextContent('To do: Pick a starter sequence');
    expect(team).toHaveTextContent('To do: Invite your team');
    expect(within(restaurants!).getByRole('link', { name: 'Import a CSV' })).toHaveAttribute(
      'href',
      '/restaurants/import',
    );
    expect(within(team!).getByRole('link', { name: 'Invite people' })).toHaveAttribute(
      'href',
      '/members',
    );
  });

  it('copies the starter sequence and ticks the step', async () => {
    organisationHas({});
    const user = userEvent.setup();
    render();
    const card = await checklist();
    await user.click(within(card).getByRole('button', { name: 'Copy Demo Follow-up' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Demo Follow-up copied');
    await waitFor(() =>
      expect(within(card).getAllByRole('listitem')[1]).toHaveTextContent(
        'Done: Pick a starter sequence',
      ),
    );
    expect(within(card).getByText('1 of 3 done')).toBeInTheDocument();
    const rpc = fetchMock.mock.calls.find(([input]) =>
      String(input).includes('/rpc/copy_starter_templates'),
    );
    expect(JSON.parse(String(rpc?.[1]?.body))).toEqual({ p_organisation_id: testOrganisation.id });
  });

  it('a colleague or an open invitation ticks "Invite your team"', async () => {
    organisationHas({ invitations: 1 });
    render();
    const card = await checklist();
    expect(within(card).getAllByRole('listitem')[2]).toHaveTextContent('Done: Invite your team');
  });

  it('goes away once everything is done', async () => {
    organisationHas({ restaurants: 1, sequences: 1, members: 2 });
    render();
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(4));
    expect(screen.queryByRole('region', { name: 'Get set up' })).toBeNull();
  });

  it('hides when dismissed, and stays hidden for this user and organisation', async () => {
    organisationHas({});
    const user = userEvent.setup();
    const first = render();
    await user.click(
      within(await checklist()).getByRole('button', {
        name: 'Hide the getting-started checklist',
      }),
    );
    expect(screen.queryByRole('region', { name: 'Get set up' })).toBeNull();
    first.unmount();
    fetchMock.mockClear();
    render();
    expect(screen.queryByRole('region', { name: 'Get set up' })).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('tells a member who invites people instead of offering to', async () => {
    organisationHas({});
    render('member');
    const team = within(await checklist()).getAllByRole('listitem')[2]!;
    expect(team).toHaveTextContent('Owners and admins invite colleagues');
    expect(within(team).getByRole('link', { name: 'See members' })).toBeInTheDocument();
  });

  it('says so when the checklist cannot load, with a retry', async () => {
    fetchMock.mockResolvedValue(postgrestResponse({ message: 'boom' }, { status: 500 }));
    render();
    expect(await screen.findByRole('alert', {}, { timeout: 3000 })).toHaveTextContent(
      'Couldn’t load your getting-started checklist',
    );
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
