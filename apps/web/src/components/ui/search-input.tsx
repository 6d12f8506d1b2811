import { Search } from 'lucide-react';
import { useId, type ComponentProps } from 'react';
import { cn } from '@/lib/utils';
import { Input } from './form-field';

/**
 * A list's search box: a magnifier, and a label for screen readers (and tests). The other
 * props go to the input.
 */
export function SearchInput({
  label,
  className,
  ...props
}: Omit<ComponentProps<'input'>, 'type' | 'id'> & { label: string }) {
  const id = useId();
  return (
    <div className={cn('relative min-w-0', className)}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Search
        className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400"
        aria-hidden
      />
      <Input id={id} type="search" className="h-9 pl-9" {...props} />
    </div>
  );
}
