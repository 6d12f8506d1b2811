import { useId, type ReactNode } from 'react';
import { cn } from '@/lib/utils';
import { Select } from './form-field';

/**
 * A compact select for a list's filter bar. Its label is for screen readers (and tests),
 * or shown small above it with `showLabel`.
 */
export function FilterSelect({
  label,
  showLabel = false,
  value,
  onChange,
  className,
  children,
}: {
  label: string;
  showLabel?: boolean;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className={cn('min-w-0', showLabel && 'space-y-1')}>
      <label
        htmlFor={id}
        className={showLabel ? 'block text-xs font-medium text-slate-600' : 'sr-only'}
      >
        {label}
      </label>
      <Select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={cn('h-9 min-w-0', className)}
      >
        {children}
      </Select>
    </div>
  );
}
