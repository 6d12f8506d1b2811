import type { BusinessCalendar, BusinessCalendarInput } from '@forkflow/domain/business-calendar';
import { CalendarX2, Plus } from 'lucide-react';
import { useId, useState } from 'react';
import { useWatch, type UseFormReturn } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/form-field';
import { formatDateInZone } from '@/lib/format-in-zone';

type CalendarForm = UseFormReturn<BusinessCalendarInput, unknown, BusinessCalendar>;

/** Closed days: a chip each, and a date input to add one. */
export function HolidaysField({ form, readOnly }: { form: CalendarForm; readOnly: boolean }) {
  const { errors } = form.formState;
  const holidays = useWatch({ control: form.control, name: 'holidays' }) ?? [];
  const holidayInputId = useId();
  const [holidayDraft, setHolidayDraft] = useState('');
  return (
    <>
      {holidays.length ? (
        <ul aria-label="Holidays" className="flex flex-wrap gap-2">
          {holidays.map((date) => (
            <li
              key={date}
              className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pr-1 pl-3 text-sm text-slate-800"
            >
              <time dateTime={date}>{formatDateInZone(new Date(`${date}T12:00:00Z`), 'UTC')}</time>
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
            <label htmlFor={holidayInputId} className="block text-sm font-medium text-slate-800">
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
    </>
  );
}
