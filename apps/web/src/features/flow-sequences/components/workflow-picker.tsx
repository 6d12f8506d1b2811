import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { Input } from '@/components/ui/form-field';
import { cn } from '@/lib/utils';
import type { SequenceWorkflow } from '../api/queries';
import { fuzzyFilter, highlightRuns } from '../utils/fuzzy';

/** How many matches are listed; a few more letters narrow the rest. */
const MAX_SHOWN = 30;

/**
 * "Add flow": a search box over the organisation's active workflows by name (fuzzy: "enl"
 * finds "Enrich lead"), arrows to move through the matches, Enter to pick one.
 */
export function WorkflowPicker({
  open,
  onOpenChange,
  title,
  workflows,
  onPick,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Says where the flow goes ("Add a flow after flow1"). */
  title: string;
  workflows: readonly SequenceWorkflow[];
  onPick: (workflow: SequenceWorkflow) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} size="lg">
      <PickerBody
        workflows={workflows}
        onPick={(workflow) => {
          onPick(workflow);
          onOpenChange(false);
        }}
      />
    </Dialog>
  );
}

function PickerBody({
  workflows,
  onPick,
}: {
  workflows: readonly SequenceWorkflow[];
  onPick: (workflow: SequenceWorkflow) => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const matches = useMemo(
    () =>
      fuzzyFilter(
        workflows.filter((workflow) => workflow.status === 'active'),
        query,
        (workflow) => workflow.name,
      ).slice(0, MAX_SHOWN),
    [workflows, query],
  );
  const current = Math.min(active, Math.max(matches.length - 1, 0));
  const optionId = (index: number) => `${listId}-option-${index}`;

  const moveTo = (index: number) => {
    setActive(index);
    listRef.current
      ?.querySelector(`#${CSS.escape(optionId(index))}`)
      ?.scrollIntoView?.({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (matches.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      moveTo((current + 1) % matches.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      moveTo((current - 1 + matches.length) % matches.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const match = matches[current];
      if (match) onPick(match.item);
    }
  };

  return (
    <div className="space-y-3">
      <label htmlFor={`${listId}-search`} className="block text-sm font-medium text-slate-800">
        Search workflows
      </label>
      <Input
        id={`${listId}-search`}
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches.length > 0 ? optionId(current) : undefined}
        autoFocus
        autoComplete="off"
        placeholder="Type part of a name"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <p className="sr-only" aria-live="polite">
        {matches.length === 0 ? 'No workflow matches' : `${matches.length} workflows match`}
      </p>
      {matches.length === 0 ? (
        <p className="rounded-lg bg-slate-50 px-3 py-6 text-center text-sm text-slate-600">
          {workflows.length === 0
            ? 'This organisation has no workflows yet.'
            : `No active workflow matches “${query}”.`}
        </p>
      ) : (
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          aria-label="Workflows"
          className="max-h-80 space-y-0.5 overflow-y-auto"
        >
          {matches.map(({ item, match }, index) => (
            <li
              key={item.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => onPick(item)}
              className={cn(
                'cursor-pointer rounded-lg px-3 py-2 text-sm',
                index === current ? 'bg-brand-50 text-brand-900' : 'text-slate-800',
              )}
            >
              <span className="block font-medium">
                {highlightRuns(item.name, match.indices).map((run, n) =>
                  run.matched ? (
                    <mark key={n} className="rounded-sm bg-amber-100 text-inherit">
                      {run.text}
                    </mark>
                  ) : (
                    <span key={n}>{run.text}</span>
                  ),
                )}
              </span>
              <span className="block font-mono text-xs text-slate-500">{item.key}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
