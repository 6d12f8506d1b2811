import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import {
  emptySequenceStep,
  type SequenceStepFormValues,
  type SequenceTemplateFormValues,
  type SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import { ListPlus, Plus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useFieldArray, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { SortableStep, stepLabel } from './sortable-step';
import { StepEditor, type StepOptions } from './step-editor';

type Form = SequenceTemplateFormValues;

type Props = StepOptions & {
  /** Saved steps start folded; a new template's first step starts open. */
  collapseInitially: boolean;
};

/**
 * The sequence's steps in order. Reorder by dragging the handle (mouse or touch), by
 * keyboard on the handle (Space to lift, arrows to move, Space to drop), or with the
 * Move up / Move down buttons.
 */
export function SequenceSteps({ collapseInitially, ...options }: Props) {
  const form = useFormContext<Form, unknown, SequenceTemplateInput>();
  const { fields, append, remove, move } = useFieldArray({
    control: form.control,
    name: 'steps',
    keyName: 'key',
  });
  const { errors, submitCount } = useFormState({ control: form.control, name: 'steps' });
  const steps = useWatch({ control: form.control, name: 'steps' });
  const listRef = useRef<HTMLOListElement>(null);
  const stepErrors = Array.isArray(errors.steps) ? errors.steps : [];

  // Folded steps, by field key. A step added in the builder is open (not in the set).
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(
    () => new Set(collapseInitially ? fields.map((field) => field.key) : []),
  );
  // A submit that found problems opens the steps that have them (adjusted during render).
  const [seenSubmit, setSeenSubmit] = useState(submitCount);
  if (seenSubmit !== submitCount) {
    setSeenSubmit(submitCount);
    const withErrors = fields.filter((_, index) => stepErrors[index]).map((field) => field.key);
    if (withErrors.some((key) => collapsed.has(key))) {
      setCollapsed(new Set([...collapsed].filter((key) => !withErrors.includes(key))));
    }
  }
  // …and once they are open, focus the first field with a problem.
  useEffect(() => {
    if (submitCount === 0) return;
    const index = stepErrors.findIndex(Boolean);
    const first = stepErrors[index];
    if (!first) return;
    const key = (Object.keys(first) as Array<keyof SequenceStepFormValues>).find(
      (name) => name !== 'id' && first[name],
    );
    if (key) requestAnimationFrame(() => form.setFocus(`steps.${index}.${key}`));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per submit
  }, [submitCount]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const indexOfKey = (key: unknown) => fields.findIndex((field) => field.key === key);
  const nameAt = (index: number) => steps?.[index]?.name;

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const index = indexOfKey(active.id);
      return `Picked up ${stepLabel(index, nameAt(index))}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`;
    },
    onDragOver: ({ active, over }) =>
      over
        ? `${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} is over position ${indexOfKey(over.id) + 1} of ${fields.length}.`
        : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} at position ${indexOfKey(over.id) + 1} of ${fields.length}.`
        : undefined,
    onDragCancel: ({ active }) =>
      `Cancelled. ${stepLabel(indexOfKey(active.id), nameAt(indexOfKey(active.id)))} stays where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = indexOfKey(active.id);
    const to = indexOfKey(over.id);
    if (from >= 0 && to >= 0) move(from, to);
  };

  const focusButton = (key: string, label: 'up' | 'down' | 'handle') => {
    // After a move React re-renders the list; keep focus on the control that was used,
    // or on its twin when that one became disabled at the top or bottom.
    requestAnimationFrame(() => {
      const item = listRef.current?.querySelector<HTMLElement>(`[data-step-key="${key}"]`);
      const button =
        item?.querySelector<HTMLButtonElement>(`[data-move="${label}"]:not(:disabled)`) ??
        item?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
      button?.focus();
    });
  };

  // The new step renders open, so react-hook-form can focus its name field.
  const addStep = () =>
    append({ ...emptySequenceStep }, { focusName: `steps.${fields.length}.name` });

  const listError = errors.steps?.root?.message ?? errors.steps?.message;

  return (
    <section aria-labelledby="steps-title" className="space-y-3">
      <div className="flex items-end justify-between gap-3">
        <div>
          <h2 id="steps-title" className="text-base font-semibold text-slate-900">
            Steps
          </h2>
          <p className="text-sm text-slate-600">
            Each step becomes a task. Its delay counts from when the previous step is done.
          </p>
        </div>
      </div>

      {fields.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <ListPlus className="size-8 text-slate-400" aria-hidden />
          <p className="mt-2 text-sm font-medium text-slate-900">No steps yet</p>
          <p className="mt-1 text-sm text-slate-600">A sequence needs at least one step.</p>
        </div>
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            announcements,
            screenReaderInstructions: {
              draggable:
                'To reorder, press Space or Enter to lift the step, use the arrow keys to move it, and Space or Enter again to drop it. Escape cancels.',
            },
          }}
        >
          <SortableContext
            items={fields.map((field) => field.key)}
            strategy={verticalListSortingStrategy}
          >
            <ol ref={listRef} aria-label="Steps in order" className="space-y-3">
              {fields.map((field, index) => (
                <SortableStep
                  key={field.key}
                  field={field}
                  index={index}
                  total={fields.length}
                  name={steps?.[index]?.name}
                  step={steps?.[index]}
                  hasError={Boolean(stepErrors[index])}
                  expanded={!collapsed.has(field.key)}
                  onToggle={() =>
                    setCollapsed((current) => {
                      const next = new Set(current);
                      if (next.has(field.key)) next.delete(field.key);
                      else next.add(field.key);
                      return next;
                    })
                  }
                  onMoveUp={() => {
                    move(index, index - 1);
                    focusButton(field.key, 'up');
                  }}
                  onMoveDown={() => {
                    move(index, index + 1);
                    focusButton(field.key, 'down');
                  }}
                  onRemove={() => remove(index)}
                >
                  <StepEditor index={index} {...options} />
                </SortableStep>
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}

      {listError ? (
        <p role="alert" className="text-sm text-red-700">
          {listError}
        </p>
      ) : null}

      <Button variant="secondary" onClick={addStep} className="w-full border-dashed sm:w-auto">
        <Plus className="size-4" aria-hidden />
        Add step
      </Button>
    </section>
  );
}
