import { useId, type ReactNode } from 'react';
import { cn } from '@/lib/utils';
import { Select } from './form-field';

/** A compact select for a list's filter bar; its label is for screen readers (and tests). */
export function FilterSelect({
  label,
  value,
  onChange,
  className,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="sr-only">
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
