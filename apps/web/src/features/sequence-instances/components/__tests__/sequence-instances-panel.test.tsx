import { OPEN_AROUND_THE_CLOCK } from '@forkflow/domain/business-calendar';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { SequenceInstance } from '../../api/queries';
import { SequenceInstancesPanel } from '../sequence-instances-panel';

const restaurant = {
  id: '20000000-0000-4000-8000-000000000003',
  name: 'Spice Route',
  assignedRepId: null,
};

const task = (order: number, status: string, due: string | null = null) => ({
  id: `40000000-0000-4000-8000-00000000000${order}`,
  name: ['Send demo confirmation', 'Prepare demo materials', 'Reminder call'][order - 1]!,
  type: 'call',
  status,
  due_date: due,
  sequence_step_order: order,
  completed_at: status === 'completed' ? '2026-11-26T10:00:00Z' : null,
  skipped_at: null,
  cancelled_at: null,
  assigned_to: null,
  sequence_delay_value: order === 1 ? 0 : 1,
  sequence_delay_unit: 'days',
});

const running: SequenceInstance = {
  id: '50000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  restaurant_id: restaurant.id,
  sequence_template_id: '32000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up – Spice Route – 2026-11-26',
  status: 'active',
  current_step_order: 2,
  total_steps: 3,
  assigned_to: null,
  started_at: '2026-11-26T09:00:00Z',
  paused_at: null,
  resume_at: null,
  resumed_at: null,
  completed_at: null,
  cancelled_at: null,
  exit_reason: null,
  is_modified: false,
  updated_at: '2026-11-26T10:00:00Z',
  tasks: [task(1, 'completed'), task(2, 'active', '2026-11-27T10:00:00Z'), task(3, 'pending')],
};

const ended: SequenceInstance = {
  ...running,
  id: '50000000-0000-4000-8000-000000000002',
  name: 'New Lead Outreach – Spice Route – 2026-11-01',
  status: 'cancelled',
  current_step_order: 1,
  cancelled_at: '2026-11-05T09:00:00Z',
  exit_reason: 'restaurant moved to demo_booked',
  tasks: [task(1, 'completed'), task(2, 'cancelled'), task(3, 'cancelled')],
};

const fetchMock = vi.fn<typeof fetch>();
let rpc: (name: string, body: unknown) => Promise<Response>;

beforeEach(() => {
  rpc = async () => postgrestResponse({ message: 'not stubbed' }, { status: 500 });
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      return rpc(url.pathname.slice('/rest/v1/rpc/'.length), JSON.parse(String(init?.body)));
    }
    if (url.pathname === '/rest/v1/sequence_instances') return postgrestResponse([running, ended]);
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderPanel(route = `/restaurants/${restaurant.id}`) {
  const user = userEvent.setup();
  const onChanged = vi.fn();
  renderWithProviders(
    <SequenceInstancesPanel
      restaurant={restaurant}
      members={[]}
      calendar={{ ...OPEN_AROUND_THE_CLOCK }}
      calendarIsDefault
      timeZone="Europe/London"
      onChanged={onChanged}
    />,
    { route },
  );
  return { user, onChanged };
}

const card = (name: RegExp) => screen.getByRole('article', { name });

describe('SequenceInstancesPanel', () => {
  it('shows each sequence with its step, progress and status, running ones first', async () => {
    renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    expect(within(demo).getByText('Step 2 of 3')).toBeInTheDocument();
    expect(within(demo).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1');
    expect(within(demo).getByRole('progressbar')).toHaveAttribute('aria-valuemax', '3');
    expect(within(demo).getByText('Active')).toBeInTheDocument();
    expect(within(demo).getByText('Now:').parentElement).toHaveTextContent(
      'Now: Prepare demo materials · due Fri 27 Nov 10:00',
    );
    const outreach = card(/^New Lead Outreach/);
    expect(within(outreach).getByText('Cancelled')).toBeInTheDocument();
    expect(within(outreach).getByText(/restaurant moved to demo_booked/)).toBeInTheDocument();
    // Only an ended sequence can be restarted; only a running one paused or cancelled.
    expect(within(outreach).getByRole('button', { name: 'Restart' })).toBeInTheDocument();
    expect(within(outreach).queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    expect(within(demo).queryByRole('button', { name: 'Restart' })).not.toBeInTheDocument();
  });

  it('pauses at once on screen and rolls back with the reason when the server refuses', async () => {
    let answer: (response: Response) => void = () => undefined;
    rpc = () => new Promise((resolve) => (answer = resolve));
    const { user, onChanged } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });

    await user.click(within(demo).getByRole('button', { name: 'Pause' }));
    const dialog = screen.getByRole('dialog', { name: 'Pause this sequence?' });
    await user.click(within(dialog).getByRole('button', { name: 'Pause sequence' }));

    await waitFor(() =>
      expect(within(card(/^Demo Follow-up/)).getByText('Paused')).toBeInTheDocument(),
    );
    const call = fetchMock.mock.calls.find(([input]) =>
      String(input).includes('/rpc/pause_sequence'),
    );
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({ p_instance_id: running.id });

    answer(
      postgrestResponse(
        {
          code: '22023',
          message: 'the sequence has already ended (completed)',
          details: null,
          hint: null,
        },
        { status: 400 },
      ),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The sequence has already ended (completed).',
    );
    expect(within(card(/^Demo Follow-up/)).getByText('Active')).toBeInTheDocument();
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('pauses until a chosen moment', async () => {
    rpc = async (_name, body) =>
      postgrestResponse({ ...running, status: 'paused', ...(body as object) });
    const { user } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    await user.click(within(demo).getByRole('button', { name: 'Pause' }));
    const dialog = screen.getByRole('dialog', { name: 'Pause this sequence?' });
    await user.type(
      within(dialog).getByLabelText('Resume automatically on (optional)'),
      '2099-01-05T09:00',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Pause sequence' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const call = fetchMock.mock.calls.find(([input]) =>
      String(input).includes('/rpc/pause_sequence'),
    );
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({
      p_instance_id: running.id,
      p_resume_at: new Date('2099-01-05T09:00').toISOString(),
    });
  });

  it('asks before cancelling, and cancels with cancel_sequence', async () => {
    rpc = async () =>
      postgrestResponse({ ...running, status: 'cancelled', cancelled_at: '2026-11-27T10:00:00Z' });
    const { user } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });

    await user.click(within(demo).getByRole('button', { name: 'Cancel sequence' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Cancel this sequence?' });
    expect(within(confirm).getByRole('button', { name: 'Keep sequence' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Cancel sequence' }));

    await waitFor(() =>
      expect(
        fetchMock.mock.calls.some(([input]) => String(input).includes('/rpc/cancel_sequence')),
      ).toBe(true),
    );
    expect(await screen.findByText('Sequence cancelled')).toBeInTheDocument();
  });

  it('outlines the sequence a task linked to', async () => {
    renderPanel(`/restaurants/${restaurant.id}#sequence-${running.id}`);
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    expect(demo).toHaveAttribute('id', `sequence-${running.id}`);
    expect(demo.className).toMatch(/ring-brand-500/);
    expect(card(/^New Lead Outreach/).className).not.toMatch(/ring-brand-500/);
  });
});
