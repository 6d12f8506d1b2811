import {
  workflowDefinitionSchema,
  type WorkflowDefinition,
} from '@forkflow/domain/workflow-definition';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';
import type { Transformer } from '../../api/queries';
import { prettyJson } from '../../utils/analyse-definition';
import { LazyStepForms, LazyWorkflowCanvas } from './lazy-canvas';

// "Canvas | Form | JSON" over one definition state: the workflow form's definition text.
// The canvas and the forms read it parsed and write it back pretty-printed (keys in the
// order written: the parsed JSON itself, not zod's copy, is what they edit), so each view
// shows the others' changes. Text that is not a definition's shape cannot be drawn, so
// leaving the JSON view is refused with the reason until it is fixed.

export type DefinitionView = 'canvas' | 'form' | 'json';

const views: { id: DefinitionView; label: string }[] = [
  { id: 'canvas', label: 'Canvas' },
  { id: 'form', label: 'Form' },
  { id: 'json', label: 'JSON' },
];

type Parsed = { ok: true; definition: WorkflowDefinition } | { ok: false; message: string };

/** The definition text as the canvas edits it, or why it cannot. */
export function parseDefinitionText(text: string): Parsed {
  if (!text.trim()) return { ok: false, message: 'The definition is empty: add a first step.' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `The JSON does not parse: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const result = workflowDefinitionSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      message: `The JSON is not a workflow definition${where}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, definition: raw as WorkflowDefinition };
}

type Props = {
  text: string;
  onTextChange: (text: string) => void;
  transformers: Transformer[] | undefined;
  /** The JSON editor (the form's existing field). */
  json: ReactNode;
  /** The form's error for the definition (on submit), shown in every view. */
  error?: string | undefined;
  initialView?: DefinitionView;
};

export function DefinitionViews({
  text,
  onTextChange,
  transformers,
  json,
  error,
  initialView = 'json',
}: Props) {
  const [view, setView] = useState<DefinitionView>(initialView);
  const [blocked, setBlocked] = useState<string | null>(null);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const id = useId();
  const parsed = view === 'json' ? null : parseDefinitionText(text);

  const choose = (next: DefinitionView) => {
    if (next === view) return;
    if (next !== 'json') {
      const result = parseDefinitionText(text);
      if (!result.ok) {
        setBlocked(`Can't show the ${next === 'canvas' ? 'canvas' : 'form'}: ${result.message}`);
        return;
      }
    }
    setBlocked(null);
    setView(next);
  };

  const onTabKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    tabs.current[(index + delta + views.length) % views.length]?.focus();
  };

  const write = (definition: WorkflowDefinition) => onTextChange(prettyJson(definition));
  const firstStep = () =>
    onTextChange(
      prettyJson({
        start_step: 'step1',
        steps: {
          step1: { transformer_id: transformers?.[0]?.id ?? 'echo-transformer', next_step: null },
        },
      }),
    );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div
          role="tablist"
          aria-label="Definition view"
          className="inline-flex rounded-lg bg-slate-100 p-0.5"
        >
          {views.map((item, index) => (
            <button
              key={item.id}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`${id}-${item.id}`}
              aria-selected={view === item.id}
              aria-controls={`${id}-panel`}
              tabIndex={view === item.id ? 0 : -1}
              onClick={() => choose(item.id)}
              onKeyDown={(event) => onTabKey(event, index)}
              className={cn(
                'rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600',
                view === item.id
                  ? 'bg-white text-slate-900 shadow-xs'
                  : 'text-slate-600 hover:text-slate-900',
              )}
            >
              {item.label}
            </button>
          ))}
        </div>
        {!text.trim() ? (
          <Button variant="secondary" size="sm" onClick={firstStep}>
            Start with one step
          </Button>
        ) : null}
      </div>
      {error && view !== 'json' ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {blocked ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {blocked}
        </p>
      ) : null}
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${view}`}>
        {view === 'json' || !parsed ? (
          json
        ) : !parsed.ok ? (
          // Changed to something undrawable from outside the views (an import, a reload).
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {parsed.message} Switch to JSON to fix it.
          </p>
        ) : view === 'canvas' ? (
          <LazyWorkflowCanvas
            definition={parsed.definition}
            onChange={write}
            transformers={transformers}
          />
        ) : (
          <LazyStepForms
            definition={parsed.definition}
            onChange={write}
            transformers={transformers}
          />
        )}
      </div>
    </div>
  );
}
