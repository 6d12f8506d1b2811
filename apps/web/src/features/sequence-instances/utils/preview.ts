import {
  BusinessCalendarError,
  previewDueDates,
  type BusinessCalendar,
} from '@forkflow/domain/business-calendar';
import type { StartableTemplate } from '../api/queries';

export type PreviewStep = {
  stepOrder: number;
  name: string;
  type: string;
  due: Date;
};

export type SequencePreview = { ok: true; steps: PreviewStep[] } | { ok: false; message: string };

/**
 * Each step's due date if the sequence started at `now` and every step were done the
 * moment it came due. The counting is the domain's (previewDueDates, the same rules as
 * start_sequence in SQL): the start delay first, then each step's delay from the step
 * before.
 */
export function previewSequence(
  now: Date,
  template: StartableTemplate,
  calendar: BusinessCalendar,
): SequencePreview {
  try {
    const [, ...dates] = previewDueDates(
      now,
      [
        { value: template.start_delay_value, unit: template.start_delay_unit },
        ...template.steps.map((step) => ({ value: step.delay_value, unit: step.delay_unit })),
      ],
      calendar,
    );
    return {
      ok: true,
      steps: template.steps.flatMap((step, index) => {
        const due = dates[index];
        return due ? [{ stepOrder: step.step_order, name: step.name, type: step.type, due }] : [];
      }),
    };
  } catch (error) {
    return {
      ok: false,
      message:
        error instanceof BusinessCalendarError
          ? `Can’t work out the due dates: ${error.message}.`
          : 'Can’t work out the due dates for this sequence.',
    };
  }
}
