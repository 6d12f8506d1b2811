import { useId } from 'react';
import { cn } from '@/lib/utils';
import { monitoringRanges, rangeSettings, type MonitoringRange } from '../utils/stats';

export function RangeSelector({
  range,
  onRangeChange,
}: {
  range: MonitoringRange;
  onRangeChange: (range: MonitoringRange) => void;
}) {
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="flex items-center gap-2">
      <span id={labelId} className="text-sm text-slate-600">
        Range
      </span>
      <div className="inline-flex rounded-lg bg-slate-100 p-0.5">
        {monitoringRanges.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={range === option}
            title={rangeSettings[option].label}
            onClick={() => onRangeChange(option)}
            className={cn(
              // At least 36 px tall on a phone, so a thumb hits the intended range.
              'min-h-9 rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600 sm:min-h-0',
              range === option
                ? 'bg-white text-slate-900 shadow-xs'
                : 'text-slate-600 hover:text-slate-900',
            )}
          >
            <span aria-hidden>{option}</span>
            <span className="sr-only">{rangeSettings[option].label}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
