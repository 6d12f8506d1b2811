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

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/sequence_templates') return postgrestResponse([template]);
    if (url.pathname === '/rest/v1/rpc/start_sequence_bulk') {
      return postgrestResponse([
        {
          restaurant_id: restaurants[0]!.id,
          status: 'started',
          instance_id: '50000000-0000-4000-8000-000000000001',
        },
        {
          restaurant_id: restaurants[1]!.id,
          status: 'skipped',
          reason: 'this restaurant already runs New Lead Outreach',
        },
        {
          restaurant_id: restaurants[2]!.id,
          status: 'skipped',
          reason: 'Burger Barn is at stage lost, which ends "New Lead Outreach"',
        },
      ]);
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('BulkStartSequenceDialog', () => {
  it('starts one sequence for every selected restaurant and lists what happened to each', async () => {
    const user = userEvent.setup();
    const onFinished = vi.fn();
    renderWithProviders(
      <BulkStartSequenceDialog
        open
        onOpenChange={vi.fn()}
        restaurants={restaurants}
        calendar={{ ...OPEN_AROUND_THE_CLOCK }}
        calendarIsDefault
        restaurantHref={(id) => `/restaurants/${id}`}
        onFinished={onFinished}
      />,
    );
    expect(
      screen.getByRole('dialog', { name: 'Start a sequence for 3 restaurants' }),
    ).toBeInTheDocument();
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'New Lead Outreach (1 step)',
    );
    expect(screen.getByRole('region', { name: 'Timeline preview' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start for 3 restaurants' }));

    const results = await screen.findByRole('list', { name: 'Results' });
    expect(screen.getByText('1 started')).toBeInTheDocument();
    expect(screen.getByText('2 skipped')).toBeInTheDocument();
    expect(screen.getByText('0 failed')).toBeInTheDocument();
    const rows = within(results).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      "Luigi's Pizza Kitchen — Started",
      'The Golden Wok — SkippedThis restaurant already runs New Lead Outreach',
      'Burger Barn — SkippedBurger Barn is at stage lost, which ends "New Lead Outreach"',
    ]);
    expect(within(rows[0]!).getByRole('link', { name: "Luigi's Pizza Kitchen" })).toHaveAttribute(
      'href',
      `/restaurants/${restaurants[0]!.id}`,
    );
    const call = fetchMock.mock.calls.find(([input]) =>
      String(input).includes('/rpc/start_sequence_bulk'),
    );
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({
      p_template_id: template.id,
      p_restaurant_ids: restaurants.map((r) => r.id),
    });
    expect(onFinished).toHaveBeenCalledTimes(1);
  });
});
