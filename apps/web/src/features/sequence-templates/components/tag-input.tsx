import { normaliseTag, SEQUENCE_TAG_MAX } from '@forkflow/domain/sequence-template';
import { X } from 'lucide-react';
import { useId, useState, type KeyboardEvent } from 'react';
import type { FieldControlProps } from '@/components/ui/form-field';
import { cn } from '@/lib/utils';

type Props = FieldControlProps & {
  value: string[];
  onChange: (tags: string[]) => void;
  onBlur?: () => void;
  suggestions?: string[];
};

/** Tags as chips: Enter or comma adds what was typed, Backspace in an empty box removes the last. */
export function TagInput({ value, onChange, onBlur, suggestions = [], ...control }: Props) {
  const [text, setText] = useState('');
  const listId = useId();

  const add = (raw: string) => {
    const tag = normaliseTag(raw);
    if (!tag) return;
    if (!value.includes(tag)) onChange([...value, tag]);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add(text);
    } else if (event.key === 'Backspace' && text === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  const unused = suggestions.filter((tag) => !value.includes(tag));

  return (
    <div
      className={cn(
        'flex min-h-10 flex-wrap items-center gap-1.5 rounded-lg bg-white px-2 py-1.5 shadow-xs ring-1 ring-slate-300 ring-inset focus-within:ring-2 focus-within:ring-brand-600',
        control['aria-invalid'] && 'ring-red-400',
      )}
    >
      {value.map((tag) => (
        <span
          key={tag}
          className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-2.5 text-xs font-medium text-brand-800 ring-1 ring-brand-600/15 ring-inset"
        >
          {tag}
          <button
            type="button"
            className="rounded-full p-0.5 text-brand-600 hover:bg-brand-100 hover:text-brand-800 focus-visible:outline-2 focus-visible:outline-brand-600"
            aria-label={`Remove tag ${tag}`}
            onClick={() => onChange(value.filter((item) => item !== tag))}
          >
            <X className="size-3" aria-hidden />
          </button>
        </span>
      ))}
      <input
        {...control}
        value={text}
        maxLength={SEQUENCE_TAG_MAX}
        list={unused.length ? listId : undefined}
        onChange={(event) => {
          // Picking a suggestion from the list adds it straight away.
          const next = event.target.value;
          if (unused.includes(next)) add(next);
          else setText(next);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          add(text);
          onBlur?.();
        }}
        placeholder={value.length ? '' : 'e.g. demo, onboarding'}
        className="h-7 min-w-32 flex-1 border-0 bg-transparent px-1 text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none"
      />
      {unused.length ? (
        <datalist id={listId}>
          {unused.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}
