import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Check, ChevronDown } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { cn } from '@/lib/utils';
import { Input } from './form-field';

export type SearchPickerOption = {
  value: string;
  label: string;
  /** A second, smaller line (an email, a city). */
  description?: string;
};

/** Long enough to skip a request per keystroke, short enough to feel live. */
export const SEARCH_PICKER_DEBOUNCE_MS = 200;
/** How many matches a search asks for; typing more narrows the rest (never silently cut). */
export const SEARCH_PICKER_LIMIT = 20;

type Props = {
  /** The accessible name of the trigger and of the search box ("Assigned rep"). */
  label: string;
  /** The trigger's id, for a form field's label to point at. */
  id?: string;
  /** Shown small above the trigger when set. */
  showLabel?: boolean;
  /** The picked value; '' is the "all" option. */
  value: string;
  /** What the trigger shows for `value` (the caller knows it: from the URL's option or a lookup). */
  selectedLabel?: string | undefined;
  onChange: (value: string, option?: SearchPickerOption) => void;
  /**
   * Asks the server for options matching `query` (already trimmed), at most `limit` of them.
   * It runs as you type, so a list of 100,000 is searched rather than truncated.
   */
  search: (query: string, limit: number, signal: AbortSignal) => Promise<SearchPickerOption[]>;
  /** TanStack Query key prefix for the search; the query text is appended. */
  queryKey: readonly unknown[];
  /** The label of the '' option ("All reps"); no such option when omitted. */
  allLabel?: string;
  /** Fixed options listed after "all" whatever the search ("Unassigned", "Me"). */
  extraOptions?: readonly SearchPickerOption[];
  placeholder?: string;
  className?: string;
  limit?: number;
};

/**
 * A filter picker that searches the server as you type: a button showing the choice (fixed
 * height, truncated, so a long name never re-wraps the filter bar) opening a search box and a
 * listbox. Arrow keys move, Enter picks, Escape closes and returns focus to the button.
 */
export function SearchPicker({
  label,
  id: triggerId,
  showLabel = false,
  value,
  selectedLabel,
  onChange,
  search,
  queryKey,
  allLabel,
  extraOptions = [],
  placeholder = 'Type to search',
  className,
  limit = SEARCH_PICKER_LIMIT,
}: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // A click anywhere else closes the picker (focus stays where the user put it).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const shown =
    value === ''
      ? (allLabel ?? placeholder)
      : (extraOptions.find((option) => option.value === value)?.label ?? selectedLabel ?? '…');

  return (
    <div ref={rootRef} className={cn('relative min-w-0', showLabel && 'space-y-1', className)}>
      <span
        id={`${id}-label`}
        className={showLabel ? 'block text-xs font-medium text-slate-600' : 'sr-only'}
      >
        {label}
      </span>
      <button
        ref={buttonRef}
        id={triggerId}
        type="button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-labelledby={`${id}-label ${id}-value`}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className={cn(
          'flex h-9 w-full min-w-0 items-center justify-between gap-2 rounded-lg bg-white px-3 text-left text-sm text-slate-900',
          'shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600 focus:outline-none',
        )}
      >
        <span id={`${id}-value`} className="truncate">
          {shown}
        </span>
        <ChevronDown className="size-4 shrink-0 text-slate-400" aria-hidden />
      </button>
      {open ? (
        <PickerPanel
          label={label}
          value={value}
          search={search}
          queryKey={queryKey}
          allLabel={allLabel}
          extraOptions={extraOptions}
          placeholder={placeholder}
          limit={limit}
          onPick={(option) => {
            setOpen(false);
            buttonRef.current?.focus();
            if (option.value !== value) onChange(option.value, option);
          }}
          onClose={() => {
            setOpen(false);
            buttonRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function PickerPanel({
  label,
  value,
  search,
  queryKey,
  allLabel,
  extraOptions,
  placeholder,
  limit,
  onPick,
  onClose,
}: Pick<Props, 'label' | 'value' | 'search' | 'queryKey' | 'allLabel' | 'placeholder'> & {
  extraOptions: readonly SearchPickerOption[];
  limit: number;
  onPick: (option: SearchPickerOption) => void;
  onClose: () => void;
}) {
  const listId = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const query = useDebouncedValue(text.trim(), SEARCH_PICKER_DEBOUNCE_MS);

  const results = useQuery({
    queryKey: [...queryKey, 'search-picker', query, limit],
    queryFn: ({ signal }) => search(query, limit, signal),
    // The previous matches stay while the next search runs: the list never blinks empty.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const fixed: SearchPickerOption[] =
    query === ''
      ? [...(allLabel === undefined ? [] : [{ value: '', label: allLabel }]), ...extraOptions]
      : [];
  const options = [...fixed, ...(results.data ?? [])];
  const current = Math.min(active, Math.max(options.length - 1, 0));
  const optionId = (index: number) => `${listId}-option-${index}`;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === 'ArrowDown' && options.length > 0) {
      event.preventDefault();
      setActive((current + 1) % options.length);
    } else if (event.key === 'ArrowUp' && options.length > 0) {
      event.preventDefault();
      setActive((current - 1 + options.length) % options.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[current];
      if (option) onPick(option);
    }
  };

  const status = results.isError
    ? 'Could not load the options.'
    : results.isPending
      ? 'Searching…'
      : (results.data?.length ?? 0) === 0 && query !== ''
        ? `Nothing matches “${query}”.`
        : (results.data?.length ?? 0) >= limit
          ? `Showing the first ${limit}; type more to narrow.`
          : '';

  return (
    <div className="absolute top-full left-0 z-30 mt-1 w-full min-w-72 max-w-[90vw] rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200">
      <Input
        aria-label={`Search ${label.toLowerCase()}`}
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={options.length > 0 ? optionId(current) : undefined}
        autoFocus
        autoComplete="off"
        placeholder={placeholder}
        className="h-9"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={label}
        aria-busy={results.isFetching}
        className="mt-2 max-h-64 overflow-y-auto"
      >
        {options.map((option, index) => (
          <li
            key={`${index < fixed.length ? 'fixed' : 'match'}-${option.value}`}
            id={optionId(index)}
            role="option"
            aria-selected={option.value === value}
            onMouseMove={() => index !== current && setActive(index)}
            onClick={() => onPick(option)}
            className={cn(
              'flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm',
              index === current ? 'bg-brand-50 text-brand-900' : 'text-slate-800',
            )}
          >
            <Check
              className={cn(
                'size-4 shrink-0',
                option.value === value ? 'opacity-100' : 'opacity-0',
              )}
              aria-hidden
            />
            <span className="min-w-0">
              <span className="block truncate">{option.label}</span>
              {option.description ? (
                <span className="block truncate text-xs text-slate-500">{option.description}</span>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="min-h-5 px-2 pt-1 text-xs text-slate-500" role="status">
        {status}
      </p>
    </div>
  );
}
