import { OPEN_AROUND_THE_CLOCK } from '@forkflow/domain/business-calendar';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { BulkStartSequenceDialog } from '../bulk-start-sequence-dialog';

const restaurants = [
  { id: '20000000-0000-4000-8000-000000000001', name: "Luigi's Pizza Kitchen" },
  { id: '20000000-0000-4000-8000-000000000002', name: 'The Golden Wok' },
  { id: '20000000-0000-4000-8000-000000000009', name: 'Burger Barn' },
  { id: '20000000-0000-4000-8000-000000000010', name: 'Noodle Bar' },
  { id: '20000000-0000-4000-8000-000000000011', name: 'Trashed Tavern' },
];

// What the restaurants look like when the dialog opens (the trashed one is not visible).
const candidateRows = [
  { id: restaurants[0]!.id, lead_stage: 'new', lead_status: 'active', sequence_instances: [] },
  {
    id: restaurants[1]!.id,
    lead_stage: 'contacted',
    lead_status: 'active',
    sequence_instances: [
      { sequence_template_id: '32000000-0000-4000-8000-000000000002', status: 'active' },
    ],
  },
  { id: restaurants[2]!.id, lead_stage: 'lost', lead_status: 'active', sequence_instances: [] },
  {
    id: restaurants[3]!.id,
    lead_stage: 'new',
    lead_status: 'do_not_contact',
    sequence_instances: [],
  },
];

const template = {
  id: '32000000-0000-4000-8000-000000000002',
  name: 'New Lead Outreach',
  description: null,
  start_delay_value: 0,
  start_delay_unit: 'days',
  exit_stages: ['lost'],
  sequence_steps: [
    {
      id: 's1',
      step_order: 1,
      name: 'Introduction email',
      type: 'email',
      delay_value: 0,
      delay_unit: 'days',
    },
  ],
};

const fetchMock = vi.fn<typeof fetch>();
let candidates: () => Promise<Response>;

beforeEach(() => {
  candidates = async () => postgrestResponse(candidateRows);
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/sequence_templates') return postgrestResponse([template]);
    if (url.pathname === '/rest/v1/restaurants') return candidates();
    if (url.pathname === '/rest/v1/rpc/start_sequence_bulk') {
      return postgrestResponse([
        {
          restaurant_id: restaurants[0]!.id,
          status: 'started',
          instance_id: '50000000-0000-4000-8000-000000000001',
        },
      ]);
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderDialog(list = restaurants) {
  const user = userEvent.setup();
  const onFinished = vi.fn();
  renderWithProviders(
    <BulkStartSequenceDialog
      open
      onOpenChange={vi.fn()}
      restaurants={list}
      calendar={{ ...OPEN_AROUND_THE_CLOCK }}
      calendarIsDefault
      restaurantHref={(id) => `/restaurants/${id}`}
      onFinished={onFinished}
    />,
  );
  return { user, onFinished };
}

const bulkCall = () => {
  const call = fetchMock.mock.calls.find(([input]) =>
    String(input).includes('/rpc/start_sequence_bulk'),
  );
  return call ? (JSON.parse(String(call[1]?.body)) as unknown) : undefined;
};

describe('BulkStartSequenceDialog', () => {
  it('says before submitting which restaurants will be skipped and why, in words, and sends only the rest', async () => {
    const { user, onFinished } = renderDialog();
    expect(
      screen.getByRole('dialog', { name: 'Start a sequence for 5 restaurants' }),
    ).toBeInTheDocument();
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'New Lead Outreach (1 step)',
    );
    expect(screen.getByRole('region', { name: 'Timeline preview' })).toBeInTheDocument();
    const skipped = await screen.findByRole('region', { name: 'Will be skipped' });
    expect(skipped).toHaveTextContent('4 will be skipped; 1 will start it');
    expect(
      within(skipped)
        .getAllByRole('listitem')
        .map((row) => row.textContent),
    ).toEqual([
      'The Golden Wok — already in this sequence',
      'Burger Barn — stage is Lost (an exit stage of this sequence)',
      'Noodle Bar — marked “do not contact”',
      'Trashed Tavern — in the trash',
    ]);
    // Never the raw stage code.
    expect(skipped).not.toHaveTextContent(/\blost\b/);
    await user.click(screen.getByRole('button', { name: 'Start for 1 restaurant' }));

    const results = await screen.findByRole('list', { name: 'Results' });
    expect(screen.getByText('1 started')).toBeInTheDocument();
    expect(screen.getByText('4 skipped')).toBeInTheDocument();
    expect(screen.getByText('0 failed')).toBeInTheDocument();
    const rows = within(results).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      "Luigi's Pizza Kitchen — Started",
      'The Golden Wok — SkippedAlready in this sequence',
      'Burger Barn — SkippedStage is Lost (an exit stage of this sequence)',
      'Noodle Bar — SkippedMarked “do not contact”',
      'Trashed Tavern — SkippedIn the trash',
    ]);
    expect(within(rows[0]!).getByRole('link', { name: "Luigi's Pizza Kitchen" })).toHaveAttribute(
      'href',
      `/restaurants/${restaurants[0]!.id}`,
    );
    expect(bulkCall()).toEqual({
      p_template_id: template.id,
      p_restaurant_ids: [restaurants[0]!.id],
    });
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it('cannot be submitted when every restaurant would be skipped', async () => {
    const { user } = renderDialog(restaurants.slice(1, 3));
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'New Lead Outreach (1 step)',
    );
    expect(await screen.findByRole('region', { name: 'Will be skipped' })).toHaveTextContent(
      '2 will be skipped; none can start it',
    );
    expect(screen.getByRole('button', { name: 'Start for 0 restaurants' })).toBeDisabled();
    expect(bulkCall()).toBeUndefined();
  });

  it('sends every restaurant when the check ahead fails, and says the results will tell', async () => {
    candidates = async () => postgrestResponse({ message: 'boom' }, { status: 500 });
    const { user } = renderDialog(restaurants.slice(0, 2));
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'New Lead Outreach (1 step)',
    );
    expect(
      await screen.findByText(
        /Couldn’t check ahead which restaurants would be skipped/,
        {},
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start for 2 restaurants' }));
    await screen.findByRole('list', { name: 'Results' });
    expect(bulkCall()).toEqual({
      p_template_id: template.id,
      p_restaurant_ids: restaurants.slice(0, 2).map((r) => r.id),
    });
  });
});
