import {
  businessCalendarSchema,
  dueDate,
  isoWeekdayLabels,
  listTimeZones,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from '@forkflow/domain/business-calendar';
import { zodResolver } from '@hookform/resolvers/zod';
import { CalendarX2, Clock, Plus, Trash2 } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Controller, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Select } from '@/components/ui/form-field';
import { formatInZone } from '@/lib/format-in-zone';
import { cn, formatDate } from '@/lib/utils';

type Props = {
  defaultValues: BusinessCalendar;
  /** Members see the calendar; only owners and admins change it. */
  readOnly: boolean;
  onSubmit: (values: BusinessCalendar) => void;
  isPending?: boolean;
  serverError?: string | null;
  /** The moment the preview counts from (tests pin it). */
  now?: Date;
};

// ISO weekday numbers in display order (Monday first).
const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

/** Lunch and dinner service are when restaurants don't pick up: a sensible starting point. */
const RESTAURANT_WINDOWS = [
  { start: '09:00', end: '11:30' },
  { start: '14:30', end: '17:30' },
];

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="grid grid-cols-1 gap-3 border-t border-slate-100 px-5 py-5 first:border-t-0 sm:px-6 md:grid-cols-[14rem_minmax(0,1fr)] md:gap-8"
    >
      <div>
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      <div className="min-w-0 space-y-3">{children}</div>
    </section>
  );
}

/**
 * When the organisation works: sequence tasks fall due inside these hours only.
 * Validation is the domain's businessCalendarSchema (the same rules as the database).
 */
export function BusinessCalendarForm({
  defaultValues,
  readOnly,
  onSubmit,
  isPending = false,
  serverError,
  now: fixedNow,
}: Props) {
  const form = useForm<BusinessCalendarInput, unknown, BusinessCalendar>({
    resolver: zodResolver(businessCalendarSchema),
    defaultValues,
  });
  const { errors } = form.formState;
  const windows = useFieldArray({ control: form.control, name: 'windows' });
  const summaryRef = useRef<HTMLDivElement>(null);
  const zones = useMemo(() => listTimeZones(), []);
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const holidayInputId = useId();
  const [holidayDraft, setHolidayDraft] = useState('');

  useEffect(() => {
    if (serverError) summaryRef.current?.focus();
  }, [serverError]);

  const values = useWatch({ control: form.control }) as BusinessCalendarInput;
  const [openedAt] = useState(() => fixedNow ?? new Date());
  const preview = useMemo(() => {
    const parsed = businessCalendarSchema.safeParse(values);
    if (!parsed.success) return null;
    try {
      return {
        oneDay: formatInZone(
          dueDate(openedAt, { value: 1, unit: 'days' }, parsed.data),
          parsed.data.time_zone,
        ),
        twoHours: formatInZone(
          dueDate(openedAt, { value: 2, unit: 'hours' }, parsed.data),
          parsed.data.time_zone,
        ),
        zone: parsed.data.time_zone,
      };
    } catch {
      return null;
    }
  }, [values, openedAt]);

  const windowErrors = Array.isArray(errors.windows) ? errors.windows : [];
  const holidays = values.holidays ?? [];

  return (
    <form
      noValidate
      aria-label="Business calendar"
      onSubmit={form.handleSubmit(onSubmit)}
      className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      {serverError ? (
        <div ref={summaryRef} tabIndex={-1} className="px-5 pt-5 outline-none sm:px-6">
          <FormErrorSummary title="The calendar wasn't saved" messages={[serverError]} />
        </div>
      ) : null}
      <fieldset disabled={readOnly} className="min-w-0">
        <Section title="Time zone" description="Opening hours and holidays are in this zone.">
          <Field
            label="Time zone"
            error={errors.time_zone?.message}
            className="max-w-sm [&>label]:sr-only"
          >
            {(control) => (
              <Select {...control} {...form.register('time_zone')}>
                {zones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {!readOnly && browserZone && values.time_zone !== browserZone ? (
            <Button
              variant="link"
              size="sm"
              onClick={() =>
                form.setValue('time_zone', browserZone, { shouldDirty: true, shouldValidate: true })
              }
            >
              Use this device’s zone ({browserZone.replaceAll('_', ' ')})
            </Button>
          ) : null}
        </Section>

        <Section title="Working days" description="Days when tasks may fall due.">
          <Controller
            control={form.control}
            name="working_days"
            render={({ field }) => (
              <div role="group" aria-label="Working days" className="flex flex-wrap gap-2">
                {weekdays.map((day) => {
                  const checked = field.value.includes(day);
                  return (
                    <label
                      key={day}
                      className={cn(
                        'inline-flex min-w-16 cursor-pointer items-center justify-center rounded-lg px-3 py-2 text-sm font-medium ring-1 ring-inset has-focus-visible:outline-2 has-focus-visible:outline-brand-600 has-disabled:cursor-not-allowed',
                        checked
                          ? 'bg-brand-50 text-brand-800 ring-brand-600/30'
                          : 'bg-white text-slate-600 ring-slate-300 hover:bg-slate-50',
                      )}
                    >
                      <input
                        type="checkbox"
                        className="sr-only"
                        checked={checked}
                        aria-label={isoWeekdayLabels[day]}
                        onChange={(event) =>
                          field.onChange(
                            event.target.checked
                              ? [...field.value, day].sort((a, b) => a - b)
                              : field.value.filter((item) => item !== day),
                          )
                        }
                        onBlur={field.onBlur}
                      />
                      <span aria-hidden>{isoWeekdayLabels[day]?.slice(0, 3)}</span>
                    </label>
                  );
                })}
              </div>
            )}
          />
          {errors.working_days ? (
            <p role="alert" className="text-sm text-red-700">
              {errors.working_days.message}
            </p>
          ) : null}
        </Section>

        <Section
          title="Working hours"
          description="Windows in the day when tasks may fall due. Leave gaps for lunch and dinner service."
        >
          <ol className="space-y-3" aria-label="Working hour windows">
            {windows.fields.map((field, index) => {
              const rowErrors = windowErrors[index];
              return (
                <li key={field.id} className="flex flex-wrap items-start gap-2">
                  <Field
                    label={`Window ${index + 1} starts`}
                    error={rowErrors?.start?.message}
                    className="w-32 [&>label]:sr-only"
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
                    error={rowErrors?.end?.message}
                    className="w-32 [&>label]:sr-only"
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
                  const last = values.windows?.[values.windows.length - 1];
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
            Times as HH:MM, 24-hour clock; 24:00 is the end of the day.
          </p>
        </Section>

        <Section title="Holidays" description="Closed days that would otherwise be working days.">
          {holidays.length ? (
            <ul aria-label="Holidays" className="flex flex-wrap gap-2">
              {holidays.map((date) => (
                <li
                  key={date}
                  className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pr-1 pl-3 text-sm text-slate-800"
                >
                  <time dateTime={date}>{formatDate(`${date}T12:00:00Z`)}</time>
                  {readOnly ? null : (
                    <button
                      type="button"
                      aria-label={`Remove holiday ${date}`}
                      className="rounded-full p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
                      onClick={() =>
                        form.setValue(
                          'holidays',
                          holidays.filter((item) => item !== date),
                          { shouldDirty: true },
                        )
                      }
                    >
                      <CalendarX2 className="size-3.5" aria-hidden />
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">No holidays.</p>
          )}
          {readOnly ? null : (
            <div className="flex flex-wrap items-end gap-2">
              <div className="w-44 space-y-1.5">
                <label
                  htmlFor={holidayInputId}
                  className="block text-sm font-medium text-slate-800"
                >
                  Holiday date
                </label>
                <Input
                  id={holidayInputId}
                  type="date"
                  value={holidayDraft}
                  onChange={(event) => setHolidayDraft(event.target.value)}
                />
              </div>
              <Button
                variant="secondary"
                disabled={!holidayDraft}
                onClick={() => {
                  if (!holidayDraft) return;
                  if (!holidays.includes(holidayDraft)) {
                    form.setValue('holidays', [...holidays, holidayDraft].sort(), {
                      shouldDirty: true,
                      shouldValidate: form.formState.isSubmitted,
                    });
                  }
                  setHolidayDraft('');
                }}
              >
                <Plus className="size-4" aria-hidden />
                Add holiday
              </Button>
            </div>
          )}
          {Array.isArray(errors.holidays) && errors.holidays.some(Boolean) ? (
            <p role="alert" className="text-sm text-red-700">
              {errors.holidays.find(Boolean)?.message}
            </p>
          ) : null}
        </Section>
      </fieldset>

      <div className="flex flex-col gap-3 border-t border-slate-200 bg-slate-50 px-5 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p className="text-sm text-slate-700" aria-live="polite" data-testid="calendar-preview">
          {preview ? (
            <>
              A 1-day step completed now would be due{' '}
              <strong className="font-semibold text-slate-900">{preview.oneDay}</strong>; a 2-hour
              one <strong className="font-semibold text-slate-900">{preview.twoHours}</strong>
              <span className="text-slate-500"> ({preview.zone.replaceAll('_', ' ')})</span>.
            </>
          ) : (
            <span className="text-slate-500">
              Fix the fields above to see when steps would fall due.
            </span>
          )}
        </p>
        {readOnly ? null : (
          <Button type="submit" isLoading={isPending} className="shrink-0">
            Save calendar
          </Button>
        )}
      </div>
    </form>
  );
}
