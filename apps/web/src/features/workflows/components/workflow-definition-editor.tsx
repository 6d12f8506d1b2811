import { CheckCircle2, CircleAlert, Sparkles, WandSparkles } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { FieldControlProps } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/form-field';
import { cn } from '@/lib/utils';
import {
  analyseDefinition,
  EXAMPLE_DEFINITION,
  prettyJson,
  type DefinitionProblem,
} from '../utils/analyse-definition';

type Props = {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  name?: string;
  inputRef?: (element: HTMLTextAreaElement | null) => void;
  /** Transformer ids the organisation can use; null while they load. */
  knownTransformerIds: readonly string[] | null;
  readOnly?: boolean;
};

const EXAMPLE_TEXT = prettyJson(EXAMPLE_DEFINITION);

/**
 * The JSON definition, checked as you type with the same validation save-workflow runs
 * (packages/domain): every problem is listed with its path and line, and a line button
 * puts the cursor there.
 */
export function WorkflowDefinitionEditor({
  control,
  value,
  onChange,
  onBlur,
  name,
  inputRef,
  knownTransformerIds,
  readOnly = false,
}: Props) {
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const [confirmExample, setConfirmExample] = useState(false);
  const analysis = useMemo(
    () => analyseDefinition(value, knownTransformerIds),
    [value, knownTransformerIds],
  );
  const problemsId = `${control.id}-problems`;
  const describedBy = [control['aria-describedby'], problemsId].filter(Boolean).join(' ');

  const goTo = (problem: DefinitionProblem) => {
    const element = textarea.current;
    if (!element || problem.offset === null) return;
    element.focus();
    element.setSelectionRange(problem.offset, problem.offset);
    // Scroll the line into view: roughly line height × line.
    const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight) || 24;
    element.scrollTop = Math.max(0, ((problem.line ?? 1) - 3) * lineHeight);
  };

  const applyExample = () => {
    onChange(EXAMPLE_TEXT);
    setConfirmExample(false);
    textarea.current?.focus();
  };

  const format = () => {
    if (analysis.status !== 'valid') return;
    try {
      onChange(prettyJson(JSON.parse(value)));
    } catch {
      // Unreachable: a valid analysis parsed it.
    }
  };

  const stepCount = analysis.status === 'valid' ? Object.keys(analysis.definition.steps).length : 0;

  return (
    <div className="space-y-2">
      {readOnly ? null : (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            size="sm"
            onClick={() =>
              value.trim() && value.trim() !== EXAMPLE_TEXT
                ? setConfirmExample(true)
                : applyExample()
            }
          >
            <Sparkles className="size-4" aria-hidden />
            Use example
          </Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={format}
            disabled={analysis.status !== 'valid'}
            title={analysis.status === 'valid' ? undefined : 'Fix the problems first'}
          >
            <WandSparkles className="size-4" aria-hidden />
            Format
          </Button>
        </div>
      )}
      <Textarea
        {...control}
        aria-describedby={describedBy}
        aria-invalid={control['aria-invalid'] || analysis.status === 'invalid'}
        ref={(element) => {
          textarea.current = element;
          inputRef?.(element);
        }}
        name={name}
        value={value}
        readOnly={readOnly}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        rows={16}
        // Lines as written, so "Line 7" is the seventh line on screen too.
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        className="font-mono text-[13px] leading-5"
        placeholder={'{\n  "start_step": "step1",\n  "steps": { … }\n}'}
      />
      <div id={problemsId} aria-live="polite">
        {analysis.status === 'valid' ? (
          <p className="flex items-center gap-1.5 text-sm text-emerald-700">
            <CheckCircle2 className="size-4" aria-hidden />
            Valid definition · {stepCount} {stepCount === 1 ? 'step' : 'steps'}
            {knownTransformerIds === null ? ' (transformers not checked yet)' : ''}
          </p>
        ) : null}
        {analysis.status === 'valid' && analysis.warnings.length > 0 ? (
          <ul
            aria-label="Definition warnings"
            className="mt-2 space-y-1.5 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
          >
            {analysis.warnings.map((warning, index) => (
              <li
                key={`${warning.path}-${warning.code}-${index}`}
                className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5"
              >
                <CircleAlert className="size-4 self-center" aria-hidden />
                {warning.line !== null ? (
                  <span className="font-mono text-xs">Line {warning.line}</span>
                ) : null}
                <span>{warning.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {analysis.status === 'invalid' ? (
          <div className="rounded-lg border border-red-200 bg-red-50 p-3">
            <p className="flex items-center gap-1.5 text-sm font-medium text-red-800">
              <CircleAlert className="size-4" aria-hidden />
              {analysis.problems.length === 1
                ? '1 problem in the definition'
                : `${analysis.problems.length} problems in the definition`}
            </p>
            <ul aria-label="Definition problems" className="mt-2 space-y-1.5 text-sm">
              {analysis.problems.map((problem, index) => (
                <li
                  key={`${problem.path}-${problem.code}-${index}`}
                  className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-red-800"
                >
                  {problem.line !== null ? (
                    <button
                      type="button"
                      onClick={() => goTo(problem)}
                      className={cn(
                        'rounded px-1 font-mono text-xs text-red-700 underline underline-offset-2',
                        'hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-red-600',
                      )}
                      aria-label={`Go to line ${problem.line}`}
                    >
                      Line {problem.line}
                    </button>
                  ) : null}
                  {problem.path ? (
                    <code className="rounded bg-white/70 px-1 font-mono text-xs">
                      {problem.path}
                    </code>
                  ) : null}
                  <span>{problem.message}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmExample}
        onOpenChange={setConfirmExample}
        title="Replace the definition with the example?"
        description="What you've written so far is replaced by the echo example."
        confirmLabel="Use example"
        tone="primary"
        onConfirm={applyExample}
      />
    </div>
  );
}
