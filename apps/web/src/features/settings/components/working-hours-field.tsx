import type { BusinessCalendar, BusinessCalendarInput } from '@forkflow/domain/business-calendar';
import { Clock, Plus, Trash2 } from 'lucide-react';
import { useFieldArray, useWatch, type UseFormReturn } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/form-field';

type CalendarForm = UseFormReturn<BusinessCalendarInput, unknown, BusinessCalendar>;

/** Lunch and dinner service are when restaurants don't pick up: a sensible starting point. */
const RESTAURANT_WINDOWS = [
  { start: '09:00', end: '11:30' },
  { start: '14:30', end: '17:30' },
];

// What each field accepts, said under it and again in its error: "Enter a time as HH:MM" alone
// left people guessing whether 9:00, 9am or 24:00 would do.
const START_RANGE = '00:00 to 23:59';
const END_RANGE = '00:01 to 24:00';

/** The schema's format errors with the range the field accepts; other errors as they are. */
const withRange = (message: string | undefined, range: string) =>
  message?.startsWith('Enter a time as HH:MM')
    ? `Enter a 24-hour time as HH:MM, from ${range}`
    : message;

/** The day's working windows: a start and an end each, added, removed or preset. */
export function WorkingHoursField({ form, readOnly }: { form: CalendarForm; readOnly: boolean }) {
  const { errors } = form.formState;
  const windows = useFieldArray({ control: form.control, name: 'windows' });
  const values = useWatch({ control: form.control, name: 'windows' });
  const windowErrors = Array.isArray(errors.windows) ? errors.windows : [];
  return (
    <>
      <ol className="space-y-3" aria-label="Working hour windows">
        {windows.fields.map((field, index) => {
          const rowErrors = windowErrors[index];
          return (
            <li key={field.id} className="flex flex-wrap items-start gap-2">
              <Field
                label={`Window ${index + 1} starts`}
                error={withRange(rowErrors?.start?.message, START_RANGE)}
                hint={START_RANGE}
                className="w-40 [&>label]:sr-only"
              >
                {(control) => (
                  <Input
                    {...control}
                    {...form.register(`windows.${index}.start`)}
                    placeholder="09:00"
                    inputMode="numeric"
                    autoComplete="off"
                    className="tabular-nums"
                  />
                )}
              </Field>
              <span className="mt-2.5 text-sm text-slate-500" aria-hidden>
                –
              </span>
              <Field
                label={`Window ${index + 1} ends`}
                error={withRange(rowErrors?.end?.message, END_RANGE)}
                hint={END_RANGE}
                className="w-40 [&>label]:sr-only"
              >
                {(control) => (
                  <Input
                    {...control}
                    {...form.register(`windows.${index}.end`)}
                    placeholder="17:30"
                    inputMode="numeric"
                    autoComplete="off"
                    className="tabular-nums"
                  />
                )}
              </Field>
              {readOnly ? null : (
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove window ${index + 1}`}
                  disabled={windows.fields.length === 1}
                  onClick={() => windows.remove(index)}
                  className="hover:bg-red-50 hover:text-red-700"
                >
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              )}
            </li>
          );
        })}
      </ol>
      {errors.windows?.message || errors.windows?.root?.message ? (
        <p role="alert" className="text-sm text-red-700">
          {errors.windows.message ?? errors.windows.root?.message}
        </p>
      ) : null}
      {readOnly ? null : (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              const last = values?.[values.length - 1];
              const start = last?.end && last.end !== '24:00' ? last.end : '09:00';
              windows.append({ start, end: '' }, { focusName: 'end' });
            }}
          >
            <Plus className="size-4" aria-hidden />
            Add window
          </Button>
          <Button variant="ghost" size="sm" onClick={() => windows.replace(RESTAURANT_WINDOWS)}>
            <Clock className="size-4" aria-hidden />
            Around service (09:00–11:30, 14:30–17:30)
          </Button>
        </div>
      )}
      <p className="text-xs text-slate-500">
        Times as HH:MM on the 24-hour clock: a window starts from 00:00 to 23:59 and ends after it
        starts, at 24:00 at the latest (the end of the day).
      </p>
    </>
  );
}
