import { OPEN_AROUND_THE_CLOCK, type BusinessCalendar } from '@forkflow/domain/business-calendar';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import { BusinessCalendarForm } from '../business-calendar-form';

// Friday 27 November 2026, 16:30 UTC (and in London).
const now = new Date('2026-11-27T16:30:00Z');

const london: BusinessCalendar = {
  time_zone: 'Europe/London',
  working_days: [1, 2, 3, 4, 5],
  windows: [
    { start: '09:00', end: '11:30' },
    { start: '14:30', end: '17:30' },
  ],
  holidays: [],
};

function setup(props: Partial<Parameters<typeof BusinessCalendarForm>[0]> = {}) {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <BusinessCalendarForm
      defaultValues={london}
      readOnly={false}
      onSubmit={onSubmit}
      now={now}
      {...props}
    />,
  );
  return { user, onSubmit };
}

const save = () => screen.getByRole('button', { name: 'Save calendar' });
const preview = () => screen.getByTestId('calendar-preview');

describe('BusinessCalendarForm', () => {
  it('shows when a 1-day and a 2-hour step completed now would be due', () => {
    setup();
    // Friday 16:30: one working day later is Monday 16:30; two open hours run
    // 16:30–17:30 on Friday and 09:00–10:00 on Monday.
    expect(preview()).toHaveTextContent(
      'A 1-day step completed now would be due Mon 30 Nov 16:30; a 2-hour one Mon 30 Nov 10:00 (Europe/London).',
    );
  });

  it('updates the preview as working days change', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Saturday' }));
    expect(preview()).toHaveTextContent('1-day step completed now would be due Sat 28 Nov 16:30');
  });

  it('needs at least one working day', async () => {
    const { user, onSubmit } = setup({ defaultValues: { ...london, working_days: [1] } });
    await user.click(screen.getByRole('button', { name: 'Monday' }));
    expect(preview()).toHaveTextContent('Fix the fields above');
    await user.click(save());
    expect(await screen.findByText('Choose at least one working day')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects windows that overlap or end before they start, next to the window', async () => {
    const { user, onSubmit } = setup();
    const secondStart = screen.getByRole('textbox', { name: 'Window 2 starts' });
    await user.clear(secondStart);
    await user.type(secondStart, '11:00');
    const secondEnd = screen.getByRole('textbox', { name: 'Window 2 ends' });
    await user.clear(secondEnd);
    await user.type(secondEnd, '10:30');
    await user.click(save());

    await waitFor(() =>
      expect(secondEnd).toHaveAccessibleDescription('The window must end after it starts'),
    );
    expect(secondStart).toHaveAccessibleDescription(
      'Windows must be in time order and must not overlap',
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('explains a time that is not HH:MM, with the range the field accepts', async () => {
    const { user } = setup();
    const start = screen.getByRole('textbox', { name: 'Window 1 starts' });
    await user.clear(start);
    await user.type(start, '9am');
    await user.click(save());
    await waitFor(() =>
      expect(start).toHaveAccessibleDescription(
        'Enter a 24-hour time as HH:MM, from 00:00 to 23:59',
      ),
    );
  });

  it('says under each time field which times it accepts', () => {
    setup();
    expect(screen.getByRole('textbox', { name: 'Window 1 starts' })).toHaveAccessibleDescription(
      '00:00 to 23:59',
    );
    expect(screen.getByRole('textbox', { name: 'Window 1 ends' })).toHaveAccessibleDescription(
      '00:01 to 24:00',
    );
    expect(screen.getByText(/at 24:00 at the latest/)).toBeInTheDocument();
  });

  it('shows selected days as pressed toggles with a tick, unselected ones without', async () => {
    const { user } = setup();
    const monday = screen.getByRole('button', { name: 'Monday' });
    const saturday = screen.getByRole('button', { name: 'Saturday' });
    expect(monday).toHaveAttribute('aria-pressed', 'true');
    expect(monday.querySelector('svg')).not.toBeNull();
    expect(saturday).toHaveAttribute('aria-pressed', 'false');
    expect(saturday.querySelector('svg')).toBeNull();
    await user.click(saturday);
    expect(saturday).toHaveAttribute('aria-pressed', 'true');
    expect(saturday.querySelector('svg')).not.toBeNull();
  });

  // Two tests, not one: each user.type is a keystroke-by-keystroke render of the whole form and
  // its live preview, and all of it in one test ran past vitest's 5 s on a loaded CI machine.
  it('adds and removes a window, and saves the windows it keeps', async () => {
    const { user, onSubmit } = setup({ defaultValues: { ...OPEN_AROUND_THE_CLOCK } });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'Europe/Paris');
    await user.click(screen.getByRole('button', { name: /Around service/ }));
    expect(screen.getByRole('textbox', { name: 'Window 2 ends' })).toHaveValue('17:30');
    await user.click(screen.getByRole('button', { name: 'Add window' }));
    const thirdEnd = screen.getByRole('textbox', { name: 'Window 3 ends' });
    expect(screen.getByRole('textbox', { name: 'Window 3 starts' })).toHaveValue('17:30');
    await user.type(thirdEnd, '19:00');
    expect(thirdEnd).toHaveValue('19:00');
    await user.click(screen.getByRole('button', { name: 'Remove window 3' }));
    expect(screen.queryByRole('textbox', { name: 'Window 3 ends' })).not.toBeInTheDocument();

    await user.click(save());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      time_zone: 'Europe/Paris',
      windows: [
        { start: '09:00', end: '11:30' },
        { start: '14:30', end: '17:30' },
      ],
    });
  });

  it('adds and removes holidays and working days, and saves them sorted', async () => {
    const { user, onSubmit } = setup({ defaultValues: { ...OPEN_AROUND_THE_CLOCK } });
    for (const date of ['2026-12-27', '2026-12-26', '2026-12-25']) {
      await user.type(screen.getByLabelText('Holiday date'), date);
      await user.click(screen.getByRole('button', { name: 'Add holiday' }));
    }
    expect(
      within(screen.getByRole('list', { name: 'Holidays' })).getAllByRole('listitem'),
    ).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Remove holiday 2026-12-26' }));

    await user.click(screen.getByRole('button', { name: 'Sunday' }));
    await user.click(screen.getByRole('button', { name: 'Saturday' }));
    await user.click(save());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      working_days: [1, 2, 3, 4, 5],
      holidays: ['2026-12-25', '2026-12-27'],
    });
  });

  it('is read-only for members', () => {
    setup({ readOnly: true });
    expect(screen.getByRole('combobox', { name: 'Time zone' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Monday' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Window 1 starts' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save calendar' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add window' })).not.toBeInTheDocument();
    // The preview still tells a member what to expect.
    expect(preview()).toHaveTextContent('would be due Mon 30 Nov 16:30');
  });
});
