import {
  KNOWN_VARIABLES,
  variableDescriptions,
  type KnownVariable,
} from '@forkflow/domain/message-template';
import { Braces } from 'lucide-react';
import { useId } from 'react';

/** Buttons that insert a {variable} where the cursor is in the message. */
export function VariablePicker({
  onInsert,
  disabled,
}: {
  onInsert: (variable: KnownVariable) => void;
  disabled?: boolean;
}) {
  // Several pickers can share a page (one per sequence step): each labels its own group.
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="space-y-2">
      <p id={labelId} className="flex items-center gap-1.5 text-xs font-medium text-slate-600">
        <Braces className="size-3.5" aria-hidden />
        Insert a variable
      </p>
      <div className="flex flex-wrap gap-1.5">
        {KNOWN_VARIABLES.map((variable) => (
          <button
            key={variable}
            type="button"
            disabled={disabled}
            title={variableDescriptions[variable]}
            aria-label={`Insert {${variable}}: ${variableDescriptions[variable]}`}
            onClick={() => onInsert(variable)}
            className="rounded-md bg-slate-100 px-2 py-1 font-mono text-xs text-slate-700 ring-1 ring-slate-200 ring-inset hover:bg-brand-50 hover:text-brand-800 hover:ring-brand-200 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-50"
          >
            {`{${variable}}`}
          </button>
        ))}
      </div>
    </div>
  );
}
