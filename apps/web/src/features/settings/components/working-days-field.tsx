import {
  isoWeekdayLabels,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from '@forkflow/domain/business-calendar';
import { Check } from 'lucide-react';
import { Controller, type UseFormReturn } from 'react-hook-form';
import { cn } from '@/lib/utils';

type CalendarForm = UseFormReturn<BusinessCalendarInput, unknown, BusinessCalendar>;

// ISO weekday numbers in display order (Monday first).
const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

/** A toggle button per weekday (aria-pressed), Monday first. */
export function WorkingDaysField({ form }: { form: CalendarForm }) {
  const { errors } = form.formState;
  return (
    <>
      <Controller
        control={form.control}
        name="working_days"
        render={({ field }) => (
          <div role="group" aria-label="Working days" className="flex flex-wrap gap-2">
            {weekdays.map((day) => {
              const checked = field.value.includes(day);
              return (
                <button
                  key={day}
                  type="button"
                  aria-pressed={checked}
                  aria-label={isoWeekdayLabels[day]}
                  onClick={() =>
                    field.onChange(
                      checked
                        ? field.value.filter((item) => item !== day)
                        : [...field.value, day].sort((a, b) => a - b),
                    )
                  }
                  onBlur={field.onBlur}
                  className={cn(
                    'inline-flex min-w-16 cursor-pointer items-center justify-center gap-1.5 rounded-lg px-3 py-2 text-sm font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60',
                    // Selected is filled, bold and ticked, not a pale tint of unselected:
                    // the difference must read at a glance and without colour.
                    checked
                      ? 'bg-brand-600 font-semibold text-white ring-brand-600 hover:bg-brand-700'
                      : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
                  )}
                >
                  {checked ? <Check className="size-4" aria-hidden /> : null}
                  <span aria-hidden>{isoWeekdayLabels[day]?.slice(0, 3)}</span>
                </button>
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
    </>
  );
}
