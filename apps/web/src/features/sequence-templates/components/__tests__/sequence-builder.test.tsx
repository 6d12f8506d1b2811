import { OPEN_AROUND_THE_CLOCK, type BusinessCalendar } from '@forkflow/domain/business-calendar';
import {
  emptySequenceStep,
  emptySequenceTemplateFormValues,
  type SequenceTemplateFormValues,
} from '@forkflow/domain/sequence-template';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import { SequenceBuilder } from '../sequence-builder';

// Monday 23 November 2026, 09:00 UTC.
const now = new Date('2026-11-23T09:00:00Z');

const threeSteps: SequenceTemplateFormValues = {
  ...emptySequenceTemplateFormValues,
  name: 'Demo follow-up',
  steps: [
    { ...emptySequenceStep, name: 'Intro call', delay_value: 0, delay_unit: 'days' },
    { ...emptySequenceStep, name: 'Send menu', type: 'email', delay_value: 2, delay_unit: 'hours' },
    { ...emptySequenceStep, name: 'Check-in call', delay_value: 3, delay_unit: 'days' },
  ],
};

const weekdays: BusinessCalendar = {
  time_zone: 'Europe/London',
  working_days: [1, 2, 3, 4, 5],
  windows: [
    { start: '09:00', end: '11:30' },
    { start: '14:30', end: '17:30' },
  ],
  holidays: [],
};

function setup(
  props: Partial<Parameters<typeof SequenceBuilder>[0]> & {
    defaultValues?: SequenceTemplateFormValues;
  } = {},
) {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <SequenceBuilder
      defaultValues={threeSteps}
      calendar={OPEN_AROUND_THE_CLOCK}
      hasCalendar={false}
      taskTemplates={[]}
      messageTemplates={[]}
      members={[{ id: '10000000-0000-4000-8000-000000000002', name: 'Remy Rep' }]}
      submitLabel="Create sequence"
      onSubmit={onSubmit}
      onCancel={vi.fn()}
      now={now}
      {...props}
    />,
  );
  return { user, onSubmit };
}

/** The timeline's lines, as a rep reads them. */
const timeline = () =>
  within(screen.getByRole('list', { name: 'Due dates' }))
    .getAllByRole('listitem')
    .map((item) => item.textContent?.replace(/\s+/g, ' ').trim());

const stepNames = () =>
  within(screen.getByRole('list', { name: 'Steps in order' }))
    .getAllByRole('listitem')
    .map((item) =>
      item
        .querySelector('[aria-expanded] .truncate')
        ?.textContent?.replace(/^Step \d+: /, '')
        .trim(),
    );

describe('SequenceBuilder', () => {
  it('previews each step’s due date and the total span', () => {
    setup();
    expect(timeline()).toEqual([
      'Day 0 · Mon 23 Nov 09:00 – Step 1: Intro call',
      'Day 0 · Mon 23 Nov 11:00 – Step 2: Send menu',
      'Day 3 · Thu 26 Nov 11:00 – Step 3: Check-in call',
    ]);
    expect(screen.getByText('3 steps over about 3 days')).toBeInTheDocument();
  });

  it('counts delays in the business calendar’s working time', () => {
    // Friday 27 November 16:30 in London; Tuesday 1 December is a holiday.
    setup({
      calendar: { ...weekdays, holidays: ['2026-12-01'] },
      hasCalendar: true,
      now: new Date('2026-11-27T16:30:00Z'),
    });
    expect(timeline()).toEqual([
      // Open now, so the first step is due at once.
      'Day 0 · Fri 27 Nov 16:30 – Step 1: Intro call',
      // 2 h of open time: 16:30–17:30 on Friday, then 09:00–10:00 on Monday.
      'Day 3 · Mon 30 Nov 10:00 – Step 2: Send menu',
      // 3 working days, skipping the holiday: Wednesday, Thursday, Friday.
      'Day 7 · Fri 4 Dec 10:00 – Step 3: Check-in call',
    ]);
    expect(screen.getByText('3 steps over about 7 days')).toBeInTheDocument();
    expect(screen.getByText(/Counted in your business calendar \(Europe\/London\)/)).toBeVisible();
  });

  it('updates the timeline as a delay is typed', async () => {
    const { user } = setup();
    const delay = screen.getByLabelText('Delay of step 3');
    await user.clear(delay);
    await user.type(delay, '10');
    expect(timeline()[2]).toBe('Day 10 · Thu 3 Dec 11:00 – Step 3: Check-in call');
    expect(screen.getByText('3 steps over about 10 days')).toBeInTheDocument();

    await user.clear(delay);
    expect(screen.getByText('Fix the delay of step 3 to see the rest.')).toBeInTheDocument();
    expect(timeline()).toHaveLength(2);
  });

  it('moves a step with the Move up / Move down buttons, and the timeline follows', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Move step 3: Check-in call up' }));
    expect(stepNames()).toEqual(['Intro call', 'Check-in call', 'Send menu']);
    expect(timeline()).toEqual([
      'Day 0 · Mon 23 Nov 09:00 – Step 1: Intro call',
      'Day 3 · Thu 26 Nov 09:00 – Step 2: Check-in call',
      'Day 3 · Thu 26 Nov 11:00 – Step 3: Send menu',
    ]);
    // Focus stays on the moved step's button, so pressing again keeps moving it.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Move step 2: Check-in call up' })).toHaveFocus(),
    );
    await user.keyboard('{Enter}');
    expect(stepNames()).toEqual(['Check-in call', 'Intro call', 'Send menu']);
    expect(screen.getByRole('button', { name: 'Move step 1: Check-in call up' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move step 3: Send menu down' })).toBeDisabled();
  });

  describe('dragging with the keyboard', () => {
    // jsdom has no layout: give each step a height so dnd-kit can find its neighbours.
    beforeEach(() => {
      vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (
        this: Element,
      ) {
        const item = this.closest('[data-step-key]');
        const index = item ? Array.from(item.parentElement?.children ?? []).indexOf(item) : 0;
        const top = index * 80;
        return {
          x: 0,
          y: top,
          top,
          left: 0,
          width: 600,
          height: 72,
          right: 600,
          bottom: top + 72,
          toJSON: () => ({}),
        } as DOMRect;
      });
    });
    afterEach(() => vi.restoreAllMocks());

    it('lifts a step with Space, moves it with the arrows and drops it with Space', async () => {
      const { user } = setup();
      const handle = screen.getByRole('button', { name: 'Drag to reorder step 1: Intro call' });
      handle.focus();
      await user.keyboard(' ');
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      await user.keyboard('{ArrowDown}');
      await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
      await user.keyboard(' ');
      await waitFor(() =>
        expect(stepNames()).toEqual(['Send menu', 'Intro call', 'Check-in call']),
      );
      expect(timeline()).toEqual([
        'Day 0 · Mon 23 Nov 11:00 – Step 1: Send menu',
        'Day 0 · Mon 23 Nov 11:00 – Step 2: Intro call',
        'Day 3 · Thu 26 Nov 11:00 – Step 3: Check-in call',
      ]);
    });
  });

  it('says what is wrong next to each field and does not save', async () => {
    const { user, onSubmit } = setup({
      defaultValues: {
        ...threeSteps,
        name: 'ab',
        steps: [{ ...emptySequenceStep, name: '' }],
      },
    });
    await user.click(screen.getByRole('button', { name: 'Create sequence' }));
    const name = await screen.findByRole('textbox', { name: 'Name' });
    await waitFor(() =>
      expect(name).toHaveAccessibleDescription('The name needs at least 3 characters'),
    );
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('textbox', { name: 'Step name' })).toHaveAccessibleDescription(
      'Name the step',
    );
    expect(screen.getByText('Fix the highlighted fields to save.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('opens a folded step that has a problem when saving', async () => {
    const { user, onSubmit } = setup({
      defaultValues: {
        ...threeSteps,
        id: '30000000-0000-4000-8000-000000000001',
        steps: threeSteps.steps.map((step, index) => ({
          ...step,
          id: `40000000-0000-4000-8000-00000000000${index + 1}`,
          ...(index === 1 ? { message_source: 'custom' as const, custom_message: '' } : {}),
        })),
      },
    });
    // Saved steps start folded.
    expect(screen.queryByRole('textbox', { name: 'Step name' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create sequence' }));
    const group = await screen.findByRole('group', { name: 'Step 2' });
    expect(
      within(group).getByRole('textbox', { name: 'Custom message' }),
    ).toHaveAccessibleDescription('Write the message');
    expect(screen.getAllByText('Needs attention')).toHaveLength(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('inserts a variable where the cursor is in a custom message', async () => {
    const { user } = setup({
      defaultValues: {
        ...threeSteps,
        steps: threeSteps.steps.map((step, index) =>
          index === 0
            ? { ...step, message_source: 'custom' as const, custom_message: 'Hi !' }
            : step,
        ),
      },
    });
    const group = screen.getByRole('group', { name: 'Step 1' });
    const message = within(group).getByRole('textbox', { name: 'Custom message' });
    await user.click(message);
    (message as HTMLTextAreaElement).setSelectionRange(3, 3);
    await user.click(within(group).getByRole('button', { name: /^Insert \{contact_first_name\}/ }));
    expect(message).toHaveValue('Hi {contact_first_name}!');
  });

  it('needs at least one step', async () => {
    const { user, onSubmit } = setup();
    for (const name of ['Check-in call', 'Send menu', 'Intro call']) {
      await user.click(
        screen.getByRole('button', { name: new RegExp(`^Remove step \\d: ${name}`) }),
      );
    }
    expect(screen.getByText('No steps yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create sequence' }));
    expect(await screen.findByText('Add at least one step')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('adds a step that opens for editing with its name focused', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    const group = screen.getByRole('group', { name: 'Step 4' });
    await waitFor(() =>
      expect(within(group).getByRole('textbox', { name: 'Step name' })).toHaveFocus(),
    );
    await user.keyboard('Proposal');
    expect(timeline()[3]).toBe('Day 4 · Fri 27 Nov 11:00 – Step 4: Proposal');
  });

  it('saves tags, exit stages and steps in order, as save_sequence_template expects', async () => {
    const { user, onSubmit } = setup();
    const tags = screen.getByRole('textbox', { name: 'Tags' });
    await user.type(tags, 'Demo{Enter}follow up,');
    expect(screen.getByRole('button', { name: 'Remove tag demo' })).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Won' }));
    await user.click(screen.getByRole('button', { name: 'Move step 1: Intro call down' }));
    await user.click(screen.getByRole('button', { name: 'Create sequence' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const saved = onSubmit.mock.calls[0]?.[0];
    expect(saved).toMatchObject({
      name: 'Demo follow-up',
      description: null,
      tags: ['demo', 'follow up'],
      exit_stages: ['won'],
      is_active: true,
      start_delay_value: 0,
      start_delay_unit: 'days',
    });
    expect(saved.steps.map((step: { name: string }) => step.name)).toEqual([
      'Send menu',
      'Intro call',
      'Check-in call',
    ]);
    expect(saved.steps[0]).toEqual({
      name: 'Send menu',
      description: null,
      type: 'email',
      priority: 'medium',
      task_template_id: null,
      message_source: 'none',
      message_template_id: null,
      custom_message: null,
      delay_value: 2,
      delay_unit: 'hours',
      assigned_to_override: null,
      // A manual step names no workflow (issue 14's automated steps do).
      workflow_id: null,
      input_map: {},
    });
  });

  it('tells whoever hosts it when there are unsaved changes', async () => {
    const onDirtyChange = vi.fn();
    const { user } = setup({ onDirtyChange });
    expect(onDirtyChange).toHaveBeenLastCalledWith(false);
    await user.click(screen.getByRole('button', { name: 'Move step 2: Send menu down' }));
    await waitFor(() => expect(onDirtyChange).toHaveBeenLastCalledWith(true));
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
  });
});
