import {
  businessCalendarSchema,
  dueDate,
  listTimeZones,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from '@forkflow/domain/business-calendar';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Select } from '@/components/ui/form-field';
import { formatInZone } from '@/lib/format-in-zone';
import { Section } from './calendar-section';
import { HolidaysField } from './holidays-field';
import { WorkingDaysField } from './working-days-field';
import { WorkingHoursField } from './working-hours-field';

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
  const summaryRef = useRef<HTMLDivElement>(null);
  // ~420 options, built once: the form re-renders on every keystroke (the preview watches every
  // field), and the same elements let React skip the whole list instead of diffing it each time.
  const zoneOptions = useMemo(
    () =>
      listTimeZones().map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      )),
    [],
  );
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

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
                {zoneOptions}
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
          <WorkingDaysField form={form} />
        </Section>

        <Section
          title="Working hours"
          description="Windows in the day when tasks may fall due. Leave gaps for lunch and dinner service."
        >
          <WorkingHoursField form={form} readOnly={readOnly} />
        </Section>

        <Section title="Holidays" description="Closed days that would otherwise be working days.">
          <HolidaysField form={form} readOnly={readOnly} />
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
