import {
  isoWeekdayLabels,
  type BusinessCalendar,
  type BusinessCalendarInput,
} from '@forkflow/domain/business-calendar';
import { Controller, type UseFormReturn } from 'react-hook-form';
import { cn } from '@/lib/utils';

type CalendarForm = UseFormReturn<BusinessCalendarInput, unknown, BusinessCalendar>;

// ISO weekday numbers in display order (Monday first).
const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

/** A toggle per weekday, Monday first. */
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
    </>
  );
}
