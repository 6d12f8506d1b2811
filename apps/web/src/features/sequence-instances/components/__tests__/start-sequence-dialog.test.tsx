import type { BusinessCalendar } from '@forkflow/domain/business-calendar';
import { OPEN_AROUND_THE_CLOCK } from '@forkflow/domain/business-calendar';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { SequenceInstance } from '../../api/queries';
import { StartSequenceDialog } from '../start-sequence-dialog';

const restaurant = {
  id: '20000000-0000-4000-8000-000000000003',
  name: 'Spice Route',
  assignedRepId: '10000000-0000-4000-8000-000000000002',
};
const members = [
  { id: '10000000-0000-4000-8000-000000000001', name: 'Olivia Owner' },
  { id: '10000000-0000-4000-8000-000000000002', name: 'Remy Rep' },
];

// Weekdays 09:00-17:00 in London.
const officeHours: BusinessCalendar = {
  time_zone: 'Europe/London',
  working_days: [1, 2, 3, 4, 5],
  windows: [{ start: '09:00', end: '17:00' }],
  holidays: [],
};

const templateRow = {
  id: '32000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up',
  description: 'After a demo is booked.',
  start_delay_value: 0,
  start_delay_unit: 'days',
  exit_stages: ['won', 'lost'],
  sequence_steps: [
    {
      id: 's2',
      step_order: 2,
      name: 'Prepare demo materials',
      type: 'internal_activity',
      delay_value: 1,
      delay_unit: 'days',
    },
    {
      id: 's1',
      step_order: 1,
      name: 'Send demo confirmation',
      type: 'email',
      delay_value: 0,
      delay_unit: 'days',
    },
    {
      id: 's3',
      step_order: 3,
      name: 'Reminder call',
      type: 'call',
      delay_value: 2,
      delay_unit: 'hours',
    },
  ],
};
const emptyTemplate = {
  ...templateRow,
  id: '32000000-0000-4000-8000-000000000009',
  name: 'Empty',
  sequence_steps: [],
};

const fetchMock = vi.fn<typeof fetch>();
let startResponse: () => Response;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-27T16:30:00Z')); // Friday 16:30 in London
  startResponse = () =>
    postgrestResponse({ id: 'x', name: 'Demo Follow-up – Spice Route – 2026-11-27' });
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/sequence_templates') {
      return postgrestResponse([templateRow, emptyTemplate]);
    }
    if (url.pathname === '/rest/v1/rpc/start_sequence') return startResponse();
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
});

function renderDialog(
  calendar: BusinessCalendar = officeHours,
  calendarIsDefault = false,
  instances: SequenceInstance[] = [],
) {
  const user = userEvent.setup();
  const onOpenChange = vi.fn();
  const onStarted = vi.fn();
  renderWithProviders(
    <StartSequenceDialog
      open
      onOpenChange={onOpenChange}
      restaurant={restaurant}
      members={members}
      calendar={calendar}
      calendarIsDefault={calendarIsDefault}
      onStarted={onStarted}
      instances={instances}
    />,
  );
  return { user, onOpenChange, onStarted };
}

const preview = () => screen.getByRole('region', { name: 'Timeline preview' });

describe('StartSequenceDialog', () => {
  it("previews each step's due date in the organisation's business calendar", async () => {
    const { user } = renderDialog();
    const select = await screen.findByRole('combobox', { name: 'Sequence' });
    // Templates without steps can't be started, so they aren't offered.
    expect(within(select).queryByRole('option', { name: /Empty/ })).not.toBeInTheDocument();
    expect(
      screen.getByText('Choose a sequence to see when each step would be due.'),
    ).toBeInTheDocument();

    await user.selectOptions(select, 'Demo Follow-up (3 steps)');

    const steps = within(preview()).getAllByRole('listitem');
    expect(steps.map((step) => step.textContent)).toEqual([
      // Now is inside opening hours: due at once.
      '1Step 1: Send demo confirmationEmail · due Fri 27 Nov 16:30',
      // One working day later: the weekend doesn't count.
      '2Step 2: Prepare demo materialsInternal activity · due Mon 30 Nov 16:30',
      // Two open hours: 30 minutes on Monday, 90 on Tuesday morning.
      '3Step 3: Reminder callCall · due Tue 1 Dec 10:30',
    ]);
    expect(preview()).toHaveTextContent('Times in Europe/London');
  });

  it('counts around the clock when the organisation has no calendar', async () => {
    const { user } = renderDialog({ ...OPEN_AROUND_THE_CLOCK }, true);
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'Demo Follow-up (3 steps)',
    );
    const steps = within(preview()).getAllByRole('listitem');
    expect(steps.map((step) => step.querySelector('time')?.textContent)).toEqual([
      'Fri 27 Nov 16:30',
      'Sat 28 Nov 16:30',
      'Sat 28 Nov 18:30',
    ]);
    expect(preview()).toHaveTextContent('no business calendar is set');
  });

  it('starts the sequence with start_sequence and closes', async () => {
    const { user, onOpenChange, onStarted } = renderDialog();
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'Demo Follow-up (3 steps)',
    );
    await user.selectOptions(screen.getByRole('combobox', { name: 'Assign to' }), 'Olivia Owner');
    await user.click(screen.getByRole('button', { name: 'Start sequence' }));

    await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(onStarted).toHaveBeenCalled();
    const call = fetchMock.mock.calls.find(([input]) =>
      String(input).includes('/rpc/start_sequence'),
    );
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({
      p_template_id: templateRow.id,
      p_restaurant_id: restaurant.id,
      p_assigned_to: members[0]!.id,
    });
  });

  it('says clearly when the restaurant already runs the sequence (409)', async () => {
    startResponse = () =>
      postgrestResponse(
        {
          code: '23505',
          message: 'this restaurant already runs Demo Follow-up',
          details: null,
          hint: 'pause, cancel or finish the running one first',
        },
        { status: 409 },
      );
    const { user, onOpenChange } = renderDialog();
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Sequence' }),
      'Demo Follow-up (3 steps)',
    );
    await user.click(screen.getByRole('button', { name: 'Start sequence' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The sequence wasn't started");
    expect(alert).toHaveTextContent(
      'This restaurant already runs Demo Follow-up. Pause, cancel or finish the running one first.',
    );
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('asks for a sequence before starting', async () => {
    const { user } = renderDialog();
    await screen.findByRole('combobox', { name: 'Sequence' });
    await user.click(screen.getByRole('button', { name: 'Start sequence' }));
    expect(await screen.findByText('Choose a sequence')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([input]) => String(input).includes('/rpc/'))).toBe(false);
  });

  describe('when the restaurant is already in a running sequence', () => {
    const instance = (templateId: string, name: string, status = 'active'): SequenceInstance => ({
      id: `50000000-0000-4000-8000-${templateId.slice(-12)}`,
      organisation_id: testOrganisation.id,
      restaurant_id: restaurant.id,
      sequence_template_id: templateId,
      name,
      status,
      current_step_order: 2,
      total_steps: 5,
      assigned_to: null,
      started_at: '2026-11-20T09:00:00Z',
      paused_at: null,
      resume_at: null,
      resumed_at: null,
      completed_at: null,
      cancelled_at: null,
      exit_reason: null,
      is_modified: false,
      updated_at: '2026-11-20T09:00:00Z',
      tasks: [],
    });
    const outreach = instance(
      '32000000-0000-4000-8000-000000000002',
      'New Lead Outreach – Spice Route – 2026-11-20',
    );

    it('says so before submitting, and still starts another sequence', async () => {
      const done = { ...outreach, id: '50000000-0000-4000-8000-0000000000ff', status: 'completed' };
      const { user, onOpenChange } = renderDialog(officeHours, false, [outreach, done]);
      await user.selectOptions(
        await screen.findByRole('combobox', { name: 'Sequence' }),
        'Demo Follow-up (3 steps)',
      );
      const note = screen.getByRole('note');
      expect(note).toHaveTextContent(
        'Spice Route is already in a running sequence; starting this one runs both at the same time:',
      );
      // Only the running one is named, with where it is.
      expect(
        within(note)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual(['New Lead Outreach – Spice Route – 2026-11-20 (step 2 of 5)']);
      await user.click(screen.getByRole('button', { name: 'Start sequence' }));
      await waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    });

    it('refuses before submitting to start the sequence it already runs', async () => {
      const demo = instance(templateRow.id, 'Demo Follow-up – Spice Route – 2026-11-20', 'paused');
      const { user } = renderDialog(officeHours, false, [demo]);
      await user.selectOptions(
        await screen.findByRole('combobox', { name: 'Sequence' }),
        'Demo Follow-up (3 steps)',
      );
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Spice Route is already in this sequence (Demo Follow-up – Spice Route – 2026-11-20).',
      );
      expect(screen.getByRole('button', { name: 'Start sequence' })).toBeDisabled();
      expect(fetchMock.mock.calls.some(([input]) => String(input).includes('/rpc/'))).toBe(false);
    });

    it('says nothing when its sequences have all ended', async () => {
      const { user } = renderDialog(officeHours, false, [{ ...outreach, status: 'cancelled' }]);
      await user.selectOptions(
        await screen.findByRole('combobox', { name: 'Sequence' }),
        'Demo Follow-up (3 steps)',
      );
      expect(screen.queryByRole('note')).not.toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    });
  });
});
