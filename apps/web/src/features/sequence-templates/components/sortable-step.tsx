import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  formatDelay,
  sequenceStepTypeLabels,
  type SequenceStepFormValues,
  type SequenceTemplateFormValues,
} from '@forkflow/domain/sequence-template';
import { AlertCircle, ArrowDown, ArrowUp, ChevronDown, GripVertical, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import type { FieldArrayWithId } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';

type StepField = FieldArrayWithId<SequenceTemplateFormValues, 'steps', 'key'>;

/** "step 2: Intro call", as the move buttons and the drag announcements name a step. */
export const stepLabel = (index: number, name: string | undefined) =>
  `step ${index + 1}${name?.trim() ? `: ${name.trim()}` : ''}`;

/**
 * One step of the list: its drag handle, a header that folds it open and says when it runs,
 * and the Move up / Move down / Remove buttons; its editor is the children.
 */
export function SortableStep({
  field,
  index,
  total,
  name,
  step,
  hasError,
  expanded,
  onToggle,
  onMoveUp,
  onMoveDown,
  onRemove,
  children,
}: {
  field: StepField;
  index: number;
  total: number;
  name: string | undefined;
  step: SequenceStepFormValues | undefined;
  hasError: boolean;
  expanded: boolean;
  onToggle: () => void;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: field.key });
  const label = stepLabel(index, name);
  const editorId = `step-editor-${field.key}`;
  const delay =
    step && Number.isSafeInteger(step.delay_value) && step.delay_value >= 0
      ? formatDelay({ value: step.delay_value, unit: step.delay_unit })
      : 'delay to fix';
  const summary = step
    ? [
        sequenceStepTypeLabels[step.type],
        index === 0
          ? delay === 'no delay'
            ? 'when the sequence starts'
            : `${delay} after the start`
          : delay === 'no delay'
            ? 'right after the previous step'
            : `${delay} after the previous step`,
      ].join(' · ')
    : '';

  return (
    <li
      ref={setNodeRef}
      data-step-key={field.key}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(
        'relative rounded-xl bg-white shadow-xs ring-1 ring-slate-200',
        isDragging && 'z-10 shadow-lg ring-2 ring-brand-500',
        hasError && !isDragging && 'ring-red-300',
      )}
    >
      <div className="flex items-center gap-1 py-2 pr-2 pl-1 sm:gap-2 sm:pl-2">
        <button
          type="button"
          ref={setActivatorNodeRef}
          data-move="handle"
          {...attributes}
          {...listeners}
          aria-label={`Drag to reorder ${label}`}
          className="flex size-9 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600 active:cursor-grabbing"
        >
          <GripVertical className="size-5" aria-hidden />
        </button>
        <span
          className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 tabular-nums"
          aria-hidden
        >
          {index + 1}
        </span>
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={editorId}
          className="min-w-0 flex-1 rounded-md px-1.5 py-1 text-left focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <span className="sr-only">{expanded ? 'Collapse' : 'Edit'} </span>
          <span className="block truncate text-sm font-medium text-slate-900">
            <span className="sr-only">Step {index + 1}: </span>
            {name?.trim() || <span className="text-slate-400">Untitled step</span>}
          </span>
          <span className="block truncate text-xs text-slate-500">{summary}</span>
        </button>
        {hasError ? (
          <span className="flex items-center gap-1 text-xs font-medium text-red-700">
            <AlertCircle className="size-4" aria-hidden />
            <span className="max-sm:sr-only">Needs attention</span>
          </span>
        ) : null}
        <div className="flex shrink-0 items-center">
          <Button
            variant="ghost"
            size="icon"
            data-move="up"
            aria-label={`Move ${label} up`}
            disabled={index === 0}
            onClick={onMoveUp}
            className="max-sm:size-8"
          >
            <ArrowUp className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            data-move="down"
            aria-label={`Move ${label} down`}
            disabled={index === total - 1}
            onClick={onMoveDown}
            className="max-sm:size-8"
          >
            <ArrowDown className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove ${label}`}
            onClick={onRemove}
            className="hover:bg-red-50 hover:text-red-700 max-sm:size-8"
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-hidden
            tabIndex={-1}
            onClick={onToggle}
            className="max-sm:hidden"
          >
            <ChevronDown
              className={cn('size-4 transition-transform', expanded && 'rotate-180')}
              aria-hidden
            />
          </Button>
        </div>
      </div>
      {expanded ? (
        <div
          id={editorId}
          role="group"
          aria-label={`Step ${index + 1}`}
          className="border-t border-slate-100 px-4 py-4 sm:px-5"
        >
          {children}
        </div>
      ) : null}
    </li>
  );
}
